import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetRuns } from "../../../test/sandbox-runs.js";
import { type Dataset, defaultLimits, type Limits } from "../../core/sandbox.js";
import { createRedisSandbox } from "./sandbox.js";

const shop: Dataset = {
  id: "redis-test-shop",
  engine: "redis",
  setup: [
    "ZADD leaderboard 100 alice 250 bob 175 carol 90 dave 310 erin",
    "HSET user:1 name alice city Paris age 31",
    "HSET user:2 name bob city Berlin age 27",
    "HSET user:3 name carol city Paris age 45",
    "SET page:views 41",
    "RPUSH queue job1 job2 job3",
    "SADD tags:redis fast in-memory nosql",
    "SADD tags:mongo documents nosql",
    'SET "session:abc" token EX 3600',
  ].join("\n"),
};

const limits: Limits = { ...defaultLimits, timeMs: 1_000 };
const builds: string[] = [];
const sandbox = createRedisSandbox({ onDatasetBuild: (id) => builds.push(id) });

const { run, rows } = datasetRuns(() => sandbox, shop, limits);

beforeAll(async () => {
  await run("PING"); // start the workers and build the dataset once
});

afterAll(async () => {
  await sandbox.close();
});

describe("the Redis sandbox", () => {
  it("given sorted-set reads, sorts, filters and counts", async () => {
    expect(await rows("ZREVRANGE leaderboard 0 2 WITHSCORES")).toEqual([
      ["erin"],
      ["310"],
      ["bob"],
      ["250"],
      ["carol"],
      ["175"],
    ]);
    expect(await rows("ZRANGE leaderboard 100 200 BYSCORE")).toEqual([["alice"], ["carol"]]);
    expect(await rows("ZCOUNT leaderboard (100 +inf")).toEqual([[3]]);
    expect(await rows("HGET user:3 city")).toEqual([["Paris"]]);
    expect(await rows("SINTER tags:redis tags:mongo")).toEqual([["nosql"]]);
  });

  it("given a key set with EX in the setup, TTL reads the virtual clock, the same every attempt", async () => {
    expect(await rows("TTL session:abc")).toEqual([[3600]]);
    expect(await rows("PTTL session:abc")).toEqual([[3_600_000]]);
  });

  it("given more rows than maxRows, returns maxRows and truncated", async () => {
    const outcome = await run("ZRANGE leaderboard 0 -1", {}, { ...limits, maxRows: 2 });
    expect(outcome).toMatchObject({
      ok: true,
      truncated: true,
      result: { columns: ["value"], rows: [["dave"], ["alice"]] },
    });
  });

  it("given a write when writes are not allowed, refuses it as read-only and changes nothing", async () => {
    const outcome = await run("GET page:views\nINCR page:views");
    expect(outcome).toMatchObject({ ok: false, reason: "read-only" });
    expect(await rows("GET page:views")).toEqual([["41"]]);
  });

  it("given writes allowed, they apply in the attempt and are gone in the next", async () => {
    expect(await rows("INCR page:views\nLPOP queue\nDEL user:1\nLLEN queue", { allowWrites: true })).toEqual([
      [2],
    ]);
    expect(await rows("GET page:views")).toEqual([["41"]]);
    expect(await rows("LLEN queue")).toEqual([[3]]);
    expect(await rows("EXISTS user:1")).toEqual([[1]]);
  });

  it("given a check, returns the check's result on the state the query left", async () => {
    const outcome = await run("INCR page:views\nINCR page:views", {
      allowWrites: true,
      check: "GET page:views",
    });
    expect(outcome).toMatchObject({ ok: true, result: { rows: [["43"]] } });
  });

  it("given explain, returns one plan line per command with its keys and complexity", async () => {
    const query = "ZREVRANGE leaderboard 0 2\nHGET user:1 name";
    const outcome = await run(query, { planQuery: query });
    expect(outcome.ok && outcome.plan).toEqual([
      'line 1: ZREVRANGE "leaderboard" (read), O(log(N)+M) with N the number of elements in the sorted set and M the number returned',
      'line 2: HGET "user:1" (read), O(1)',
    ]);
    const plain = await run("GET page:views");
    expect(plain.ok && plain.plan).toBe(null);
  });

  it("given engine errors, reports Redis's own message with the line", async () => {
    expect(await run("GET page:views\nHGET leaderboard x")).toMatchObject({
      ok: false,
      reason: "runtime",
      message: "query line 2: WRONGTYPE Operation against a key holding the wrong kind of value",
    });
    expect(await run("GET")).toMatchObject({
      message: "query line 1: ERR wrong number of arguments for 'get' command",
    });
    expect(await run("FOO")).toMatchObject({
      reason: "runtime",
      message: "query line 1: ERR unknown command 'FOO', with args beginning with:",
    });
    expect(await run('GET "x')).toMatchObject({ reason: "syntax" });
    expect(await run('EVAL "return 1" 0')).toMatchObject({ reason: "blocked" });
  });

  it("given a query longer than maxQueryBytes, refuses it before running", async () => {
    const outcome = await run(`GET ${"k".repeat(100)}`, {}, { ...limits, maxQueryBytes: 50 });
    expect(outcome).toMatchObject({ ok: false, reason: "too-large" });
  });

  it("given many attempts on two workers, builds the dataset once", async () => {
    await Promise.all(Array.from({ length: 6 }, () => run("DBSIZE")));
    expect(builds.filter((id) => id === shop.id)).toHaveLength(1);
  });

  it("given several runs at once, each gets its own correct answer", async () => {
    const members = ["alice", "bob", "carol", "dave", "erin"];
    const outcomes = await Promise.all(
      members.flatMap((m) => [
        run(`ZSCORE leaderboard ${m}`),
        run(`ZADD leaderboard 1000 ${m}\nZREVRANK leaderboard ${m}`, { allowWrites: true }),
      ]),
    );
    const scores = { alice: "100", bob: "250", carol: "175", dave: "90", erin: "310" } as const;
    members.forEach((m, i) => {
      expect(outcomes[2 * i]).toMatchObject({
        ok: true,
        result: { rows: [[scores[m as keyof typeof scores]]] },
      });
      expect(outcomes[2 * i + 1]).toMatchObject({ ok: true, result: { rows: [[0]] } });
    });
  });

  it("given a setup that fails, reports the sandbox unavailable, not the learner", async () => {
    const broken: Dataset = { id: "redis-test-broken", engine: "redis", setup: "SET a 1\nINCR a b" };
    const outcome = await sandbox.run({ dataset: broken, query: "GET a", allowWrites: false }, limits);
    expect(outcome).toMatchObject({
      ok: false,
      reason: "unavailable",
      message: expect.stringContaining("setup line 2"),
    });
  });

  it("given a closed sandbox, answers unavailable", async () => {
    const other = createRedisSandbox({ workers: 1 });
    expect(await other.run({ dataset: shop, query: "PING", allowWrites: false }, limits)).toMatchObject({
      ok: true,
    });
    await other.close();
    expect(await other.run({ dataset: shop, query: "PING", allowWrites: false }, limits)).toMatchObject({
      ok: false,
      reason: "unavailable",
    });
  });
});
