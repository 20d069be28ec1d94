import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HTTPReceiver } from "@slack/bolt";

/** Slack's own advice: a request more than five minutes from now, either way, may be a replay. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/** Whether the request's timestamp is within the window of `nowMs`; missing or malformed is not. */
export function timestampFresh(request: Pick<IncomingMessage, "headers">, nowMs: number): boolean {
  const header = request.headers["x-slack-request-timestamp"];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isFinite(seconds)) return false;
  return Math.abs(nowMs / 1000 - seconds) <= TIMESTAMP_WINDOW_SECONDS;
}

/**
 * The HTTP front for Bolt's receiver. Bolt turns away stale requests but accepts future-dated ones;
 * this refuses both before Bolt checks the signature.
 */
export async function listen(receiver: HTTPReceiver, port: number, host?: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === "POST" && !timestampFresh(request, Date.now())) {
      response.writeHead(401, { "content-type": "text/plain" }).end("stale or future-dated request");
      return;
    }
    receiver.requestListener(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
