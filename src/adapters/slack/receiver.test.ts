import { createHmac } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../core/ports/logger.js";
import { guardedServer, listenOn } from "../../runtime/http-guard.js";
import {
  bodyUsable,
  type ReceiverLimits,
  receiverLimits,
  slackFront,
  TIMESTAMP_WINDOW_SECONDS,
  timestampFresh,
} from "./receiver.js";
import { BodyBudget } from "./request-body.js";

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const at = (offsetSeconds: number | string | undefined) => ({
  headers:
    offsetSeconds === undefined
      ? {}
      : {
          "x-slack-request-timestamp":
            typeof offsetSeconds === "string" ? offsetSeconds : String(now / 1000 + offsetSeconds),
        },
});

describe("the request timestamp window", () => {
  it("given a timestamp within five minutes either way, the request is fresh", () => {
    expect(timestampFresh(at(0), now)).toBe(true);
    expect(timestampFresh(at(-TIMESTAMP_WINDOW_SECONDS), now)).toBe(true);
    expect(timestampFresh(at(TIMESTAMP_WINDOW_SECONDS), now)).toBe(true);
  });

  it("given a timestamp more than five minutes old or ahead, it is refused", () => {
    expect(timestampFresh(at(-TIMESTAMP_WINDOW_SECONDS - 1), now)).toBe(false);
    expect(timestampFresh(at(TIMESTAMP_WINDOW_SECONDS + 1), now)).toBe(false);
  });

  it("given no timestamp or one that is not a number, it is refused", () => {
    expect(timestampFresh(at(undefined), now)).toBe(false);
    expect(timestampFresh(at("soon"), now)).toBe(false);
    expect(timestampFresh(at("1e9"), now)).toBe(false);
  });
});

describe("which bodies Bolt can take", () => {
  const form = "application/x-www-form-urlencoded";
  it("given a JSON object or a form, the body is usable", () => {
    expect(bodyUsable(Buffer.from('{"type":"event_callback"}'), "application/json")).toBe(true);
    expect(bodyUsable(Buffer.from("command=%2Fquorum&text=help"), form)).toBe(true);
    expect(bodyUsable(Buffer.from(`payload=${encodeURIComponent('{"type":"block_actions"}')}`), form)).toBe(
      true,
    );
  });

  it("given null, a list, a string, broken JSON or a form whose payload is null, it is not", () => {
    for (const body of ["null", "[]", '"text"', "{", ""]) {
      expect(bodyUsable(Buffer.from(body), "application/json"), body).toBe(false);
    }
    expect(bodyUsable(Buffer.from("payload=null"), form)).toBe(false);
    expect(bodyUsable(Buffer.from("payload=%7B"), form)).toBe(false);
  });
});

const secret = "receiver-unit-test-signing-secret";
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** The front on a real listener, with a stand-in for Bolt that records what reaches it. */
async function front(limits: ReceiverLimits = receiverLimits, budget?: BodyBudget) {
  const reached: IncomingMessage[] = [];
  const receiver = {
    requestListener: (req: IncomingMessage, res: import("node:http").ServerResponse) => {
      reached.push(req);
      res.writeHead(200).end("bolt");
    },
  };
  // The request store, as one process sees it: each signature taken once.
  const taken = new Set<string>();
  const server = guardedServer(
    slackFront({
      receiver,
      signingSecret: secret,
      logger: silentLogger,
      limits,
      firstTime: async (signature) => !taken.has(signature) && Boolean(taken.add(signature)),
      ...(budget ? { budget } : {}),
    }),
    {
      logger: silentLogger,
      listener: "slack",
    },
  );
  servers.push(server);
  await listenOn(server, 0, "127.0.0.1");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  return { port: address.port, reached };
}

interface Sent {
  method?: string;
  path?: string;
  body?: string | Buffer;
  headers?: Record<string, string | string[]>;
  /** Send the body in pieces without a content-length. */
  chunked?: boolean;
}

function send(port: number, sent: Sent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: sent.method ?? "POST",
        path: sent.path ?? "/slack/events",
        headers: sent.headers ?? {},
      },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    if (sent.body !== undefined) {
      if (!sent.chunked) req.setHeader("content-length", Buffer.byteLength(sent.body));
      req.write(sent.body);
    }
    req.end();
  });
}

const seconds = () => Math.floor(Date.now() / 1000);

function signed(body: string, extra: Record<string, string> = {}, timestamp = seconds()): Sent {
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": `v0=${digest}`,
      ...extra,
    },
  };
}

const help = (n: number) => `command=%2Fquorum&text=help&trigger_id=${n}`;

describe("the Slack receiver's front", () => {
  it("given any path or method but POST /slack/events, it answers 404 or 405 and Bolt never sees it", async () => {
    const { port, reached } = await front();
    const fresh = { "x-slack-request-timestamp": String(seconds()) };
    const answers = [
      await send(port, { method: "GET", path: "/" }),
      await send(port, { method: "GET", path: "/slack/events" }),
      await send(port, { method: "HEAD", path: "/slack/events" }),
      await send(port, { method: "OPTIONS", path: "/slack/events" }),
      await send(port, { method: "GET", path: "/healthz" }),
      await send(port, { method: "POST", path: "/other", headers: fresh, body: "x=1" }),
      await send(port, { method: "POST", path: "/slack/events/../events2", headers: fresh, body: "x=1" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 405, 405, 405, 404, 404, 404]);
    expect(reached).toEqual([]);
  });

  it("given a missing, stale or malformed timestamp or signature, it answers 401 before reading the body", async () => {
    const { port, reached } = await front();
    const good = signed(help(1));
    const headers = good.headers as Record<string, string>;
    const variants: Record<string, string | string[]>[] = [
      { ...headers, "x-slack-request-timestamp": String(seconds() - 400) },
      { ...headers, "x-slack-signature": (headers["x-slack-signature"] ?? "").replace("v0=", "V0=") },
      { ...headers, "x-slack-signature": (headers["x-slack-signature"] ?? "").toUpperCase() },
      {
        ...headers,
        "x-slack-signature": [headers["x-slack-signature"] ?? "", headers["x-slack-signature"] ?? ""],
      },
      { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(seconds()) },
    ];
    for (const variant of variants)
      expect((await send(port, { body: good.body ?? "", headers: variant })).status).toBe(401);
    expect((await send(port, { ...good, body: `${good.body}x` })).status).toBe(401);
    expect(reached).toEqual([]);
  });

  it("given a declared or streamed body over the limit, it answers 413", async () => {
    const { port, reached } = await front({ bodyBytes: 1024, unverifiedBytes: 1 << 20 });
    const big = signed("a".repeat(4096));
    expect((await send(port, big)).status).toBe(413);
    expect((await send(port, { ...big, chunked: true })).status).toBe(413);
    expect(reached).toEqual([]);
  });

  it("given bodies being read past the budget for unchecked bytes, the request past it is answered 503", async () => {
    const budget = new BodyBudget(6000);
    const { port, reached } = await front({ bodyBytes: 4096, unverifiedBytes: 6000 }, budget);
    const headers = signed("x").headers as Record<string, string>;
    // Two requests that send most of their body and then wait hold 6,000 bytes between them.
    const holding = [0, 1].map(() => {
      const req = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/slack/events",
        headers: { ...headers, "content-length": "4000" },
      });
      req.on("error", () => {});
      req.write("a".repeat(3000));
      return req;
    });
    while (budget.inUse < 6000) await new Promise((resolve) => setTimeout(resolve, 10));
    const third = await send(port, signed("b".repeat(1000)));
    expect(third.status).toBe(503);
    for (const req of holding) req.destroy();
    expect(reached).toEqual([]);
  });

  it("given a signed body of null, a list or broken JSON, it answers 400 and Bolt never sees it", async () => {
    const { port, reached } = await front();
    for (const body of ["null", "[1]", "{"]) {
      const sent = signed(body, { "content-type": "application/json" });
      expect((await send(port, sent)).status, body).toBe(400);
    }
    expect((await send(port, signed("payload=null"))).status).toBe(400);
    expect(reached).toEqual([]);
  });

  it("given a signed request sent twice without X-Slack-Retry-Num, Bolt sees it once and the repeat is acknowledged", async () => {
    const { port, reached } = await front();
    const sent = signed(help(2));
    expect(await send(port, sent)).toEqual({ status: 200, body: "bolt" });
    expect(await send(port, sent)).toEqual({ status: 200, body: "" });
    expect(reached).toHaveLength(1);
  });

  it("given a numeric X-Slack-Retry-Num, the redelivery goes on to Bolt, which skips it as a retry", async () => {
    const { port, reached } = await front();
    const sent = signed(help(3));
    await send(port, sent);
    const retried = signed(help(3), { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    expect((await send(port, { ...retried, headers: { ...sent.headers, ...retried.headers } })).status).toBe(
      200,
    );
    expect(reached).toHaveLength(2);
    expect(reached[1]?.headers["x-slack-retry-num"]).toBe("1");
  });

  it("given an X-Slack-Retry-Num that is not a number, the request is not a retry and runs", async () => {
    const { port, reached } = await front();
    const sent = signed(help(4), { "x-slack-retry-num": "abc", "x-slack-retry-reason": "whatever" });
    expect(await send(port, sent)).toEqual({ status: 200, body: "bolt" });
    expect(reached[0]?.headers["x-slack-retry-num"]).toBeUndefined();
    expect(reached[0]?.headers["x-slack-retry-reason"]).toBeUndefined();
  });

  it("given a valid request after every hostile one, it reaches Bolt with the body already read", async () => {
    const { port, reached } = await front();
    await send(port, { method: "GET", path: "/" });
    await send(port, signed("null", { "content-type": "application/json" }));
    const sent = signed(help(5));
    expect(await send(port, sent)).toEqual({ status: 200, body: "bolt" });
    expect((reached[0] as IncomingMessage & { rawBody?: Buffer }).rawBody?.toString()).toBe(help(5));
  });
});
