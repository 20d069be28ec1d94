import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childPids, peakWhile } from "../../../test/process-memory.js";
import type { Dataset, Engine, Limits, RunOutcome } from "../../core/sandbox.js";
import { closeSandboxes, createSandboxes, type Sandboxes } from "../sandboxes.js";
import { processLimitMb } from "./limits.js";

/** Whether a process is still running: not gone, not a zombie waiting to be reaped. */
function runningStill(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
}

const limits: Limits = { timeMs: 2_000, maxRows: 100, maxQueryBytes: 16_384, memoryMb: 256 };

const datasets: Record<Engine, Dataset> = {
  sqlite: { id: "pool-sqlite", engine: "sqlite", setup: "CREATE TABLE t (a); INSERT INTO t VALUES (1)" },
  postgres: { id: "pool-pg", engine: "postgres", setup: "CREATE TABLE t (a int); INSERT INTO t VALUES (1)" },
  mongodb: { id: "pool-mongo", engine: "mongodb", setup: '{"t": [{"_id": 1, "a": 1}]}' },
  redis: { id: "pool-redis", engine: "redis", setup: "SET a 1" },
};

const trivial: Record<Engine, string> = {
  sqlite: "SELECT a FROM t",
  postgres: "SELECT a FROM t",
  mongodb: "db.t.find({}, { _id: 0, a: 1 })",
  redis: "GET a",
};

/** Submissions that try to take all the memory they can, one per engine. */
const bombs: Record<Engine, string[]> = {
  sqlite: [
    "SELECT length(randomblob(900000000))",
    "WITH RECURSIVE r(n, s) AS (SELECT 1, zeroblob(1000000) UNION ALL SELECT n + 1, s || zeroblob(1000000) FROM r WHERE n < 2000) SELECT max(length(s)) FROM r",
  ],
  postgres: [
    "SELECT repeat('x', 50000000) FROM generate_series(1, 1001)",
    "SELECT length(string_agg(repeat('x', 1000000), '')) FROM generate_series(1, 3000)",
  ],
  mongodb: [
    "db.t.aggregate([{ $project: { r: { $range: [0, 500000000] } } }])",
    'db.t.aggregate([{ $project: { s: { $reduce: { input: { $range: [0, 40] }, initialValue: "xxxxxxxxxxxxxxxx", in: { $concat: ["$$value", "$$value"] } } } } }])',
  ],
  redis: [
    [
      "SETRANGE s 250000000 x",
      ...Array.from({ length: 100 }, (_, i) => `SETRANGE s ${i} y`),
      "STRLEN s",
    ].join("\n"),
    Array.from({ length: 400 }, (_, i) => `RPUSH l ${"x".repeat(1_000_000 - 10)}${i}`).join("\n"),
  ],
};

let sandboxes: Sandboxes;

beforeAll(() => {
  sandboxes = createSandboxes();
});

afterAll(async () => {
  await closeSandboxes(sandboxes);
});

const run = (engine: Engine, query: string, learner?: string): Promise<RunOutcome> =>
  sandboxes[engine].run(
    { dataset: datasets[engine], query, allowWrites: true, ...(learner ? { learner } : {}) },
    limits,
  );

describe.runIf(process.platform === "linux")("the sandbox pool under memory bombs", () => {
  it.each(["sqlite", "mongodb", "redis", "postgres"] as const)(
    "given %s submissions that take all the memory they can, each ends with a verdict and no engine process passes its limit",
    async (engine) => {
      // Warm first: the first PostgreSQL child also makes the template, which is not an attempt's doing.
      expect(await run(engine, trivial[engine])).toMatchObject({ ok: true });
      for (const bomb of bombs[engine]) {
        const { value, peakMb } = await peakWhile(run(engine, bomb));
        expect(value.ok, JSON.stringify(value).slice(0, 300)).toBe(false);
        if (!value.ok) expect(["memory", "too-large", "timeout", "runtime"]).toContain(value.reason);
        expect(peakMb).toBeLessThanOrEqual(processLimitMb(engine, limits.memoryMb));
        // The bot (this process) is alive, and the engine answers the next attempt.
        expect(await run(engine, trivial[engine])).toMatchObject({ ok: true });
      }
    },
    120_000,
  );
});

describe("the sandbox pool's fairness", () => {
  it.each(["sqlite", "postgres"] as const)(
    "given 20 endless %s submissions from one learner, another learner's query is served after at most one of them",
    async (engine) => {
      const endless =
        engine === "sqlite"
          ? "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
          : "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r";
      expect(await run(engine, trivial[engine])).toMatchObject({ ok: true });
      const order: string[] = [];
      const hostile = Array.from({ length: 20 }, () =>
        run(engine, endless, "mallory").then((outcome) => {
          order.push(outcome.ok ? "mallory ok" : `mallory ${outcome.reason}`);
          return outcome;
        }),
      );
      const other = run(engine, trivial[engine], "ana").then((outcome) => {
        order.push(outcome.ok ? "ana ok" : `ana ${outcome.reason}`);
        return outcome;
      });
      const outcomes = await Promise.all(hostile);
      expect(await other).toMatchObject({ ok: true });
      // One hostile attempt ran (and was stopped); the other 19 were told at once to wait for it.
      expect(outcomes.filter((o) => !o.ok && o.reason === "busy")).toHaveLength(19);
      expect(outcomes.filter((o) => !o.ok && o.reason === "timeout")).toHaveLength(1);
      // Ana's query did not wait behind more than that one attempt.
      expect(order.indexOf("ana ok")).toBeLessThanOrEqual(order.indexOf(`mallory timeout`) + 1);
    },
    60_000,
  );
});

describe("the sandbox pool when an engine process dies", () => {
  it("given an engine child killed from outside mid-attempt, that attempt alone gets a verdict and the next one runs", async () => {
    expect(await run("sqlite", trivial.sqlite)).toMatchObject({ ok: true });
    const before = new Set(childPids());
    const endless = run(
      "sqlite",
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const pid of before) process.kill(pid, "SIGKILL");
    // A signal is delivered asynchronously: wait until each killed process has really died (a zombie, or gone).
    while ([...before].some(runningStill)) await new Promise((resolve) => setTimeout(resolve, 10));
    const outcome = await endless;
    expect(outcome.ok).toBe(false);
    // The others died idle, as to an out-of-memory killer, and may not be reaped yet: the pool
    // must not hand the next attempt to one of them.
    const sqlite = await run("sqlite", trivial.sqlite);
    expect(sqlite, JSON.stringify(sqlite)).toMatchObject({ ok: true });
    const postgres = await run("postgres", trivial.postgres);
    expect(postgres, JSON.stringify(postgres)).toMatchObject({ ok: true });
  }, 60_000);
});

describe("the sandbox pool when an engine is left idle", () => {
  it("given a lane with nothing to do past its idle time, its processes exit, and the next attempt starts one again", async () => {
    const resting = createSandboxes({ idleMs: 300 });
    try {
      const mine = () => new Set(childPids());
      const before = mine();
      const first = await resting.redis.run(
        { dataset: datasets.redis, query: trivial.redis, allowWrites: false },
        limits,
      );
      expect(first).toMatchObject({ ok: true });
      const started = [...mine()].filter((pid) => !before.has(pid));
      expect(started.length).toBeGreaterThan(0);
      // Nothing asked of it: every process it started goes away by itself.
      while (started.some((pid) => mine().has(pid))) await new Promise((resolve) => setTimeout(resolve, 50));

      const again = await resting.redis.run(
        { dataset: datasets.redis, query: trivial.redis, allowWrites: false },
        limits,
      );
      expect(again).toMatchObject({ ok: true, result: { rows: [["1"]] } });
      expect([...mine()].some((pid) => !before.has(pid) && !started.includes(pid))).toBe(true);
    } finally {
      await closeSandboxes(resting);
    }
  }, 60_000);
});
