import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../core/ports/logger.js";
import { guardedServer, listenerLimits, listenOn, pathOf, type RequestHandler } from "./http-guard.js";

export interface Check {
  ok: boolean;
  /** What an operator reads when it fails (never a secret). */
  detail?: string;
}

export interface OpsEndpoints {
  /** Each readiness condition by name; ready when all are ok. */
  readiness(): Record<string, Check> | Promise<Record<string, Check>>;
  metrics(): Promise<string>;
  metricsContentType: string;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(head ? undefined : body);
}

const json = "application/json; charset=utf-8";

async function route(
  endpoints: OpsEndpoints,
  req: IncomingMessage,
  res: ServerResponse,
  pages: RequestHandler | undefined,
): Promise<void> {
  const path = pathOf(req);
  const known = path === "/healthz" || path === "/readyz" || path === "/metrics";
  if (!known && pages) {
    await pages(req, res);
    return;
  }
  if (!known) {
    send(res, 404, json, JSON.stringify({ error: "not found; try /healthz, /readyz or /metrics" }), false);
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    send(res, 405, json, JSON.stringify({ error: `${req.method} is not allowed; use GET` }), false);
    return;
  }
  const head = req.method === "HEAD";
  if (path === "/healthz") {
    // Alive means this process answers; whether it can do work is /readyz's question.
    send(res, 200, json, JSON.stringify({ status: "ok" }), head);
  } else if (path === "/readyz") {
    const checks = await endpoints.readiness();
    const ready = Object.values(checks).every((check) => check.ok);
    send(
      res,
      ready ? 200 : 503,
      json,
      JSON.stringify({ status: ready ? "ready" : "not ready", checks }),
      head,
    );
  } else {
    send(res, 200, endpoints.metricsContentType, await endpoints.metrics(), head);
  }
}

/**
 * Health, readiness and Prometheus metrics on one small HTTP listener for operators and probes;
 * every other path goes to `pages` (the web dashboard) when given.
 */
export async function startOpsServer(
  endpoints: OpsEndpoints,
  options: { host: string; port: number; logger: Logger; pages?: RequestHandler },
): Promise<OpsServer> {
  // Probes open a connection per request; a short keep-alive lets shutdown close promptly.
  const server: Server = guardedServer((req, res) => route(endpoints, req, res, options.pages), {
    logger: options.logger,
    listener: "ops",
    limits: { ...listenerLimits, keepAliveTimeoutMs: 1_000 },
  });
  await listenOn(server, options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
