/**
 * The Slack HTTP listener as an attacker finds it: the real bot on 127.0.0.1, sent what Slack never
 * sends. After every hostile request the bot is still running and answers a signed /quorum help.
 */
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlackUser } from "../fakes/slack/index.js";
import { residentMb } from "../process-memory.js";
import { type SlackBot, startSlackBot } from "./slack-bot.js";

const MiB = 1024 * 1024;
const form = "application/x-www-form-urlencoded";

describe("the Slack listener under hostile requests", () => {
  let bot: SlackBot;
  let ada: FakeSlackUser;

  beforeAll(async () => {
    bot = await startSlackBot();
    ada = bot.fake.user("ada");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  const alive = () => {
    const child = bot.running().bot.child;
    return child.exitCode === null && child.signalCode === null;
  };

  const helpAnswered = async () => {
    expect(alive()).toBe(true);
    expect((await bot.command(ada, "help")).text).toContain("/quorum roadmap");
  };

  it("given requests for other paths and methods, each is answered 404 or 405 and the bot goes on", async () => {
    const fresh = { "X-Slack-Request-Timestamp": String(Math.floor(Date.now() / 1000)) };
    const answers = [
      await bot.slack.raw({ method: "GET", path: "/" }),
      await bot.slack.raw({ method: "GET", path: "/slack/events" }),
      await bot.slack.raw({ method: "HEAD", path: "/slack/events" }),
      await bot.slack.raw({ method: "OPTIONS", path: "/slack/events" }),
      await bot.slack.raw({ method: "GET", path: "/healthz" }),
      await bot.slack.raw({ method: "POST", path: "/other", headers: fresh, body: "a=1" }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 405, 405, 405, 404, 404]);
    await helpAnswered();
  });

  it("given validly signed bodies that are not payloads (null, a list, broken JSON), each is answered 400 and the bot goes on", async () => {
    for (const body of ["null", "[]", "{"]) {
      expect((await bot.slack.raw(bot.slack.signed(body, "application/json"))).status, body).toBe(400);
    }
    expect((await bot.slack.raw(bot.slack.signed("payload=null", form))).status).toBe(400);
    await helpAnswered();
  });

  it("given a signed request replayed without X-Slack-Retry-Num, it is not run again", async () => {
    const first = await bot.slack.slashCommand({ user: ada, channel: bot.channelId, text: "help" });
    expect(first.status).toBe(200);
    await first.responses(1);
    const replay = bot.slack.lastSent;
    if (!replay) throw new Error("nothing was sent");
    expect((await bot.slack.raw(replay)).status).toBe(200);
    await helpAnswered();
    expect(bot.fake.responses(first.responseUrlId ?? "")).toHaveLength(1);
    expect(bot.log()).toContain("slack replay skipped");
  });

  it("given X-Slack-Retry-Num that is not a number, the request is run, not skipped as a retry", async () => {
    const sent = await bot.slack.slashCommand(
      { user: ada, channel: bot.channelId, text: "week 3" },
      { retryNum: "abc", retryReason: "http_timeout" },
    );
    expect(sent.status).toBe(200);
    const [reply] = await sent.responses(1);
    expect(reply?.body.text).toMatch(/^\*Week 3 · /);
  });

  it("given 60 connections each sending 4 MiB with a bogus signature, resident memory stays within 50 MB of idle and the bot answers after", async () => {
    const pid = bot.running().bot.child.pid;
    if (pid === undefined) throw new Error("no pid");
    await helpAnswered();
    const idle = residentMb(pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentMb(pid));
    }, 10);
    const url = new URL(bot.slack.botUrl);
    const chunk = Buffer.alloc(64 * 1024, "a");
    const forged = bot.slack.signed("x", form, { secret: "not-the-signing-secret" }).headers ?? {};
    const flood = Array.from({ length: 60 }, (_, index) => {
      // Half declare their length, half stream without one, so both refusals are exercised.
      const declared = index % 2 === 0;
      return new Promise<number>((resolve) => {
        const req = request(
          {
            host: url.hostname,
            port: Number(url.port),
            method: "POST",
            path: url.pathname,
            headers: declared ? { ...forged, "content-length": String(4 * MiB) } : forged,
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", () => resolve(0));
        let sent = 0;
        const pump = () => {
          while (sent < 4 * MiB) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once("drain", pump);
              return;
            }
          }
          req.end();
        };
        pump();
      });
    });
    const statuses = await Promise.all(flood);
    clearInterval(sampler);
    peak = Math.max(peak, residentMb(pid));
    // Refused for size (413), for the unchecked-bytes budget (503), or cut off (0); never taken.
    for (const status of statuses) expect([0, 401, 413, 503]).toContain(status);
    expect(peak - idle).toBeLessThan(50);
    await helpAnswered();
  });

  it("given 300 connections that never finish their headers, they are closed and the bot answers after", async () => {
    const url = new URL(bot.slack.botUrl);
    const sockets: Socket[] = [];
    const closed = Array.from({ length: 300 }, () => {
      const socket = connect(Number(url.port), url.hostname);
      sockets.push(socket);
      socket.on("error", () => {});
      // Read what the bot sends, so its closing the connection is seen.
      socket.resume();
      socket.write("POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      return new Promise<void>((resolve) => socket.on("close", () => resolve()));
    });
    try {
      // The listener's headers timeout closes every one of them; nothing here waits on a clock of its own.
      await Promise.all(closed);
      await helpAnswered();
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 60_000);
});
