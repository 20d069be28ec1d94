/** The two-process suites' load balancer, in front of two tiny HTTP servers that say who they are. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Balancer, startBalancer } from "./balancer.js";

interface TinyServer {
  name: string;
  server: Server;
  port(): number | undefined;
}

const opened: { balancers: Balancer[]; servers: Server[] } = { balancers: [], servers: [] };

afterEach(async () => {
  for (const balancer of opened.balancers.splice(0)) await balancer.close();
  for (const server of opened.servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A server answering its name and the body it got; a silent one never answers. */
async function tiny(name: string, silent = false): Promise<TinyServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (!silent) res.end(`${name}:${req.method}:${req.url}:${Buffer.concat(chunks).toString()}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  opened.servers.push(server);
  return { name, server, port: () => (server.address() as AddressInfo).port };
}

async function balance(backends: TinyServer[], upstreamTimeoutMs?: number): Promise<Balancer> {
  const balancer = await startBalancer(backends, upstreamTimeoutMs ? { upstreamTimeoutMs } : {});
  opened.balancers.push(balancer);
  return balancer;
}

const post = async (url: string, body: string) => {
  const response = await fetch(url, { method: "POST", body });
  return { status: response.status, text: await response.text() };
};

describe("the round-robin balancer", () => {
  it("given two backends, hands requests to each in turn with path, method and body as sent", async () => {
    const balancer = await balance([await tiny("one"), await tiny("two")]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await post(balancer.url("/slack/events"), `b${i}`)).text);
    expect(answers).toEqual([
      "one:POST:/slack/events:b0",
      "two:POST:/slack/events:b1",
      "one:POST:/slack/events:b2",
      "two:POST:/slack/events:b3",
    ]);
    expect(balancer.routed).toEqual({ one: 2, two: 2 });
  });

  it("given a backend marked down or not running, skips it; given none, answers 502", async () => {
    const one = await tiny("one");
    let twoRunning = true;
    const two = await tiny("two");
    const balancer = await balance([one, { ...two, port: () => (twoRunning ? two.port() : undefined) }]);
    balancer.setDown("one", true);
    expect((await post(balancer.url("/"), "")).text).toMatch(/^two:/);
    expect((await post(balancer.url("/"), "")).text).toMatch(/^two:/);
    twoRunning = false;
    expect((await post(balancer.url("/"), "")).status).toBe(502);
    balancer.setDown("one", false);
    expect((await post(balancer.url("/"), "")).text).toMatch(/^one:/);
    expect(balancer.failed).toBe(1);
  });

  it("given a backend that never answers, gives up with 504 after its timeout", async () => {
    const balancer = await balance([await tiny("silent", true)], 200);
    expect((await post(balancer.url("/"), "x")).status).toBe(504);
    expect(balancer.failed).toBe(1);
  });
});
