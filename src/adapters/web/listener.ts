import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Core } from "../../core/dispatch.js";
import { createWebApp } from "./app.js";
import type { WebOptions } from "./env.js";

/** The dashboard as a node:http handler, for the bot's one HTTP listener. */
export function dashboardListener(
  core: Core,
  options: WebOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const app = createWebApp(core, options);
  // Node's own Request and Response stay as they are: discord.js and Bolt use them too.
  return getRequestListener(app.fetch, { overrideGlobalObjects: false });
}

/** Where people open the dashboard: PUBLIC_URL, or this listener's own address when unset. */
export function dashboardUrl(publicUrl: string | undefined, host: string, port: number): string {
  if (publicUrl) return publicUrl;
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
