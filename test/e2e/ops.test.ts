import { spawnSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { appRoot } from "../../src/paths.js";
import { realCurriculum, tempDir } from "../helpers.js";
import { RunningBot, runBot, startBot } from "./bot.js";
import { startDiscordBot } from "./discord-bot.js";

// /healthz, /readyz and /metrics on the real bot, over real HTTP on loopback.

const running: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((bot) => bot.stop()));
});

async function terminalBot(databasePath: string): Promise<{ bot: RunningBot; base: string }> {
  const bot = new RunningBot(startBot({ DATABASE_PATH: databasePath, HTTP_PORT: "0", LOG_LEVEL: "info" }));
  running.push(bot);
  const port = await bot.waitForLog((log) => /"port":(\d+),"msg":"http listening/.exec(log)?.[1], "listen");
  return { bot, base: `http://127.0.0.1:${port}` };
}

/** The container's HEALTHCHECK command against a bot on this port: its exit code. */
function healthcheck(base: string, databasePath: string): number | null {
  const port = new URL(base).port;
  return spawnSync(process.execPath, ["--import", "tsx", join(appRoot, "src", "healthcheck.ts")], {
    cwd: appRoot,
    env: { PATH: process.env.PATH, HTTP_PORT: port, DATABASE_PATH: databasePath },
  }).status;
}

/** Types a line into the terminal chat and waits for its reply on stdout. */
function say(bot: RunningBot, line: string, reply: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no reply to ${line}; got:\n${out}`)), 20_000);
    const listen = (chunk: Buffer) => {
      out += chunk.toString();
      if (reply.test(out)) {
        clearTimeout(timer);
        bot.bot.child.stdout.off("data", listen);
        resolve();
      }
    };
    bot.bot.child.stdout.on("data", listen);
    bot.bot.child.stdin.write(`${line}\n`);
  });
}

function metricValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("operations endpoints", () => {
  it("given HTTP_PORT, /healthz is ok, /readyz reports the database and migrations ready, and the container health check passes", async () => {
    const databasePath = join(tempDir(), "quorum.db");
    const { base } = await terminalBot(databasePath);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { database: { ok: true }, migrations: { ok: true }, accepting: { ok: true } },
    });
    expect(healthcheck(base, databasePath)).toBe(0);
  });

  it("given answers and a graded submission, /metrics counts them by name and outcome, with grading time, queue depth and database size", async () => {
    const { bot, base } = await terminalBot(join(tempDir(), "quorum.db"));
    const { items, challenges } = realCurriculum().bank;
    const [first, second] = items;
    const challenge = challenges.find((c) => c.engine === "sqlite");
    if (!first || !second || !challenge)
      throw new Error("the curriculum has quiz items and sqlite challenges");
    await say(bot, `@ana /answer ${first.id} a`, new RegExp(first.id));
    await say(bot, `@ana /answer ${second.id} a`, new RegExp(`${second.id}[\\s\\S]*\\n\\n`));
    await say(bot, "@ana /answer nothing-like-this b", /There is no quiz question/);
    await say(bot, "/frobnicate", /Unknown command/);
    await say(
      bot,
      `@ana /submit ${challenge.id} ${challenge.solution.replace(/\s+/g, " ")}`,
      /Passed|passed|✓/,
    );

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(metricValue(text, 'quorum_commands_total{command="answer",outcome="ok"}')).toBe(2);
    expect(metricValue(text, 'quorum_commands_total{command="answer",outcome="invalid"}')).toBe(1);
    expect(metricValue(text, 'quorum_commands_total{command="unknown",outcome="invalid"}')).toBe(1);
    expect(metricValue(text, 'quorum_command_duration_seconds_count{command="answer"}')).toBe(3);
    expect(metricValue(text, 'quorum_grading_duration_seconds_count{engine="sqlite",verdict="pass"}')).toBe(
      1,
    );
    expect(metricValue(text, "quorum_outbound_queue_depth")).toBe(0);
    expect(metricValue(text, "quorum_database_size_bytes")).toBeGreaterThan(4096);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("given a database written by a newer version, /readyz answers 503 naming the migrations and the health check fails", async () => {
    const databasePath = join(tempDir(), "quorum.db");
    openDatabase(databasePath).close();
    const sqlite = new Database(databasePath);
    sqlite
      .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ?)")
      .run(Date.now() * 2);
    sqlite.close();
    const { base } = await terminalBot(databasePath);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks.migrations?.ok).toBe(false);
    expect(body.checks.migrations?.detail).toContain("comes from a newer version of Quorum");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(healthcheck(base, databasePath)).toBe(1);
  });

  it("given Discord, /readyz includes the gateway connection, and SIGTERM exits 0", async () => {
    const discord = await startDiscordBot({ env: { HTTP_PORT: "0" } });
    running.push(discord);
    const port = /"port":(\d+),"msg":"http listening/.exec(discord.log())?.[1];
    expect(port).toBeDefined();
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { discord: { ok: true } } });
    const run = await discord.stop();
    expect(run?.code).toBe(0);
  });

  it("given no HTTP_PORT, the terminal chat opens no listener", async () => {
    const run = await runBot("/roadmap\n", {
      DATABASE_PATH: join(tempDir(), "quorum.db"),
      LOG_LEVEL: "info",
    });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("http listening");
  });
});
