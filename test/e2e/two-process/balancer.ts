/**
 * A small load balancer on 127.0.0.1 for the two-process suites: a real HTTP proxy that hands each
 * request to the next backend in turn (round robin, no sticky sessions: two requests on one
 * keep-alive connection may go to different backends). Backends are asked for their port at each
 * request, so a bot restarted on another port is picked up; a backend marked down is skipped.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Backend {
  /** For logs and counts, e.g. "bot1". */
  name: string;
  /** The backend's port now; undefined while it is not running. */
  port(): number | undefined;
}

export interface Balancer {
  /** Where to send what the backends take, e.g. "http://127.0.0.1:4567/slack/events". */
  url(path: string): string;
  port: number;
  /** How many requests went to each backend (by name), answered or not. */
  readonly routed: Readonly<Record<string, number>>;
  /** Requests no backend answered: 502 when it refused or dropped them, 504 when it stayed silent. */
  readonly failed: number;
  /** Takes a backend out of the rotation, or puts it back, as a health check would. */
  setDown(name: string, down: boolean): void;
  close(): Promise<void>;
}

/** Headers that belong to one hop and are not passed on. */
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

function forwardable(headers: IncomingMessage["headers"]): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name)) kept[name] = value;
  }
  return kept;
}

export interface BalancerOptions {
  /**
   * How long a backend may stay silent on a request before the balancer gives up with 504, as a
   * real one does (a paused process, SIGSTOP, would otherwise hold the request forever). Default 10 s.
   */
  upstreamTimeoutMs?: number;
}

export async function startBalancer(
  backends: readonly Backend[],
  options: BalancerOptions = {},
): Promise<Balancer> {
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 10_000;
  if (backends.length === 0) throw new Error("A balancer needs backends.");
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const routed: Record<string, number> = Object.fromEntries(backends.map((b) => [b.name, 0]));
  const down = new Set<string>();
  let next = 0;
  let failed = 0;

  /** The next backend in turn that is up and running, or undefined when there is none. */
  const pick = (): { backend: Backend; port: number } | undefined => {
    for (let tried = 0; tried < backends.length; tried++) {
      const backend = backends[next % backends.length];
      next += 1;
      const port = backend && !down.has(backend.name) ? backend.port() : undefined;
      if (backend && port !== undefined) return { backend, port };
    }
    return undefined;
  };

  const fail = (res: ServerResponse, text: string, status = 502) => {
    failed += 1;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { "content-type": "text/plain" }).end(text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chosen = pick();
    if (!chosen) {
      req.resume();
      fail(res, "no backend is up");
      return;
    }
    routed[chosen.backend.name] = (routed[chosen.backend.name] ?? 0) + 1;
    const upstream = request(
      {
        host: "127.0.0.1",
        port: chosen.port,
        method: req.method,
        path: req.url,
        headers: { ...forwardable(req.headers), "x-forwarded-for": req.socket.remoteAddress ?? "" },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
        answer.pipe(res);
      },
    );
    let timedOut = false;
    upstream.setTimeout(upstreamTimeoutMs, () => {
      timedOut = true;
      upstream.destroy(new Error(`no answer within ${upstreamTimeoutMs} ms`));
    });
    upstream.on("error", (error) =>
      fail(res, `${chosen.backend.name} did not answer: ${error.message}`, timedOut ? 504 : 502),
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    port,
    routed,
    get failed() {
      return failed;
    },
    setDown(name, isDown) {
      if (!backends.some((b) => b.name === name)) throw new Error(`The balancer has no backend ${name}.`);
      if (isDown) down.add(name);
      else down.delete(name);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
