import type { Server } from "node:http";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../core/ports/logger.js";
import {
  guardedServer,
  type ListenerLimits,
  listenerLimits,
  listenOn,
  type RequestHandler,
} from "./http-guard.js";

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

function recordingLogger(): Logger & { errors: unknown[] } {
  const errors: unknown[] = [];
  const ignore = () => {};
  return {
    errors,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (fields: unknown) => void errors.push(fields),
  } as unknown as Logger & { errors: unknown[] };
}

async function serve(handler: RequestHandler, logger: Logger, limits: Partial<ListenerLimits> = {}) {
  const server = guardedServer(handler, {
    logger,
    listener: "test",
    limits: { ...listenerLimits, ...limits },
  });
  servers.push(server);
  await listenOn(server, 0, "127.0.0.1");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  return address.port;
}

/** A raw connection that sends `text` and resolves with everything the server sent until it closed. */
function rawExchange(port: number, text: string): { closed: Promise<string>; socket: Socket } {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk.toString();
  });
  socket.on("error", () => {});
  if (text) socket.write(text);
  return { socket, closed: new Promise((resolve) => socket.on("close", () => resolve(received))) };
}

describe("a guarded HTTP listener", () => {
  it("given a handler that throws, the request is answered 500, the error logged, and the next request answered", async () => {
    const logger = recordingLogger();
    let calls = 0;
    const port = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) throw new TypeError("boom");
      res.end("fine");
    }, logger);
    const failed = await fetch(`http://127.0.0.1:${port}/`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("internal error\n");
    expect(logger.errors).toHaveLength(1);
    const next = await fetch(`http://127.0.0.1:${port}/`);
    expect(await next.text()).toBe("fine");
  });

  it("given a handler whose promise rejects, the request is answered 500 and the process goes on", async () => {
    const logger = recordingLogger();
    const port = await serve(async () => {
      await Promise.resolve();
      throw new Error("later");
    }, logger);
    expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(500);
    expect((await fetch(`http://127.0.0.1:${port}/y`)).status).toBe(500);
    expect(logger.errors).toHaveLength(2);
  });

  it("given a handler that fails after it began answering, the connection is closed instead", async () => {
    const logger = recordingLogger();
    const port = await serve(async (_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      throw new Error("midway");
    }, logger);
    const { closed } = rawExchange(port, "GET / HTTP/1.1\r\nhost: x\r\n\r\n");
    expect(await closed).toContain("partial");
    expect(logger.errors).toHaveLength(1);
  });

  it("given a connection that never finishes its headers, it is closed by the headers timeout", async () => {
    const port = await serve((_req, res) => res.end("ok"), recordingLogger(), {
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
    });
    const { closed } = rawExchange(port, "GET / HTTP/1.1\r\nhost: x\r\nx-slow: ");
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it("given a body that never finishes, the request is closed by the request timeout", async () => {
    const port = await serve(
      (req, res) => {
        req.resume();
        req.on("end", () => res.end("ok"));
      },
      recordingLogger(),
      { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    );
    const { closed } = rawExchange(port, "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\nabc");
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it("given more connections than the cap, the ones past it are closed at once and the others served", async () => {
    const port = await serve((_req, res) => res.end("ok"), recordingLogger(), { maxConnections: 3 });
    // Each held connection is answered once and kept alive, so the server has surely counted it.
    const held = [0, 1, 2].map(() => rawExchange(port, "GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
    await Promise.all(held.map(({ socket }) => new Promise((resolve) => socket.once("data", resolve))));
    const extra = rawExchange(port, "GET / HTTP/1.1\r\nhost: x\r\n\r\n");
    expect(await extra.closed).toBe("");
    for (const { socket } of held) socket.end();
    for (const { closed } of held) expect(await closed).toMatch(/^HTTP\/1\.1 200/);
  });

  it("given headers over the byte limit, the answer is 431", async () => {
    const port = await serve((_req, res) => res.end("ok"), recordingLogger(), { maxHeaderBytes: 1024 });
    const { closed } = rawExchange(port, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(4096)}\r\n\r\n`);
    expect(await closed).toMatch(/^HTTP\/1\.1 431/);
  });

  it("given bytes that are not HTTP, the answer is 400 and the listener goes on", async () => {
    const port = await serve((_req, res) => res.end("ok"), recordingLogger());
    const { closed } = rawExchange(port, "\x16\x03\x01 not http at all\r\n\r\n");
    expect(await closed).toMatch(/^HTTP\/1\.1 400/);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("ok");
  });
});
