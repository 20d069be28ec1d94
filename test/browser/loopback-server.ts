/** Serves a fetch handler (a Hono app's `app.fetch`) on 127.0.0.1 at a free port, for page tests. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";

export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  readonly origin: string;
  /** Stops listening and drops open connections (a browser's keep-alive ones would hold close() open). */
  close(): Promise<void>;
}

type FetchHandler = Parameters<typeof getRequestListener>[0];

export async function serveOnLoopback(fetch: FetchHandler): Promise<LoopbackServer> {
  const server = createServer(getRequestListener(fetch));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
