import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/ports/logger.js";
import type { Check, OpsServer } from "./http.js";
import { startOpsServer } from "./http.js";

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(checks: Record<string, Check>, metrics = async () => "quorum_up 1\n") {
  server = await startOpsServer(
    { readiness: () => checks, metrics, metricsContentType: "text/plain; version=0.0.4; charset=utf-8" },
    { host: "127.0.0.1", port: 0, logger: silentLogger },
  );
  return `http://127.0.0.1:${server.port}`;
}

describe("ops HTTP listener", () => {
  it("given a running process, /healthz answers 200 ok", async () => {
    const base = await serve({ database: { ok: false } });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("given every check ok, /readyz answers 200 with the checks", async () => {
    const base = await serve({ database: { ok: true }, migrations: { ok: true, detail: "5 applied" } });
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ready",
      checks: { database: { ok: true }, migrations: { ok: true, detail: "5 applied" } },
    });
  });

  it("given one failing check, /readyz answers 503 and names it", async () => {
    const base = await serve({ database: { ok: true }, discord: { ok: false, detail: "not connected" } });
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, Check> };
    expect(body.status).toBe("not ready");
    expect(body.checks.discord).toEqual({ ok: false, detail: "not connected" });
  });

  it("given /metrics, answers the exposition text with Prometheus's content type", async () => {
    const base = await serve({}, async () => "quorum_commands_total 3\n");
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(await res.text()).toBe("quorum_commands_total 3\n");
  });

  it("given HEAD, answers the status without a body", async () => {
    const base = await serve({ database: { ok: false } });
    const res = await fetch(`${base}/readyz`, { method: "HEAD" });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("");
  });

  it("given another path or method, answers 404 or 405 saying what is right", async () => {
    const base = await serve({});
    const missing = await fetch(`${base}/admin`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("/healthz");
    const posted = await fetch(`${base}/metrics`, { method: "POST", body: "x" });
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET, HEAD");
  });

  it("given metrics that fail to render, answers 500 and keeps serving", async () => {
    const base = await serve({}, () => Promise.reject(new Error("collector broke")));
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("given malformed, oversized and odd requests, answers each with a 4xx and then serves /healthz", async () => {
    const base = await serve({ database: { ok: true } });
    const port = Number(new URL(base).port);
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(port, "127.0.0.1");
        let received = "";
        socket.on("data", (chunk) => {
          received += chunk.toString();
        });
        socket.on("error", () => resolve(received));
        socket.on("close", () => resolve(received));
        socket.end(text);
      });
    const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
    const replies = [
      await raw("GARBAGE\r\n\r\n"),
      await raw(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(32 * 1024)}\r\n\r\n`),
      await raw("GET http://elsewhere/healthz/../admin HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"),
      await raw("OPTIONS /readyz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"),
      await raw("GET /%2e%2e/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"),
    ];
    expect(replies.map(statusOf)).toEqual([400, 431, 404, 405, 404]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
