/**
 * Every HTTP listener the bot opens (the Slack receiver, health and metrics, web pages) is made
 * here: limits that hold before anything is trusted, and a handler that can fail without taking the
 * process with it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../core/ports/logger.js";

export interface ListenerLimits {
  /** All headers of a request must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections past this many are closed as they arrive. */
  maxConnections: number;
  /** Bytes of request line and headers together. */
  maxHeaderBytes: number;
}

export const listenerLimits: ListenerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
  maxHeaderBytes: 16 * 1024,
};

/** How often Node looks for requests past their timeouts; its default of 30 s lets them linger. */
const TIMEOUT_CHECK_MS = 1_000;

/** May return anything (an arrow that ends with `res.end()` returns the response); only a promise is awaited. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A short plain-text answer that closes nothing the client did not ask to close. */
export function answer(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(`${text}\n`);
}

/**
 * Runs the handler so that neither a throw nor a rejected promise escapes: the error is logged (the
 * logger scrubs it) and the request answered 500, or its connection closed if an answer had begun.
 */
export function guarded(handler: RequestHandler, logger: Logger, listener: string): RequestHandler {
  const failed = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    logger.error({ err: error, listener, method: req.method, path: pathOf(req) }, "http handler failed");
    if (!res.headersSent) answer(res, 500, "internal error");
    else res.destroy();
  };
  return (req, res) => {
    try {
      const pending: unknown = handler(req, res);
      if (pending instanceof Promise) pending.catch((error: unknown) => failed(req, res, error));
    } catch (error) {
      failed(req, res, error);
    }
  };
}

/** The request's path without its query, or "/" when the target is not a path at all. */
export function pathOf(req: IncomingMessage): string {
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return "/";
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

function clientErrorAnswer(code: string | undefined): string {
  const [status, text] =
    code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large"]
      : code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout"]
        : [400, "Bad Request"];
  return `HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`;
}

/** A server with the limits applied and the handler guarded; not yet listening. */
export function guardedServer(
  handler: RequestHandler,
  options: { logger: Logger; listener: string; limits?: ListenerLimits },
): Server {
  const limits = options.limits ?? listenerLimits;
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    guarded(handler, options.logger, options.listener),
  );
  server.maxConnections = limits.maxConnections;
  // As Node's own default: a short answer where the socket can take one, then the socket is closed.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable && error.code !== "ECONNRESET") socket.write(clientErrorAnswer(error.code));
    socket.destroy();
  });
  return server;
}

/** Listens on the port (0 picks a free one) and resolves once bound. */
export function listenOn(server: Server, port: number, host?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
