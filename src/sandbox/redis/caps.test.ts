import { describe, expect, it } from "vitest";
import type { FailureReason } from "../../core/sandbox.js";
import type { Outcome as AttemptOutcome } from "../kit/outcome.js";
import { buildSnapshot, runAttempt, type ScriptLimits, scriptLimits } from "./interpreter.js";
import { emptySnapshot, MAX_VALUE_BYTES, type Snapshot, Store } from "./store.js";

const MiB = 1024 * 1024;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lines = (...commands: string[]) => commands.join("\n");
const repeat = (n: number, command: (i: number) => string) => range(n).map(command).join("\n");

interface Options {
  /** The store's budget in MiB (default 64). */
  memoryMb?: number;
  /** Budget on top of what the base snapshot already holds, in MiB. */
  extraMb?: number;
  base?: Snapshot;
  limits?: Partial<ScriptLimits>;
}

function run(query: string, options: Options = {}): { outcome: AttemptOutcome; store: Store } {
  const base = options.base ?? emptySnapshot();
  const limit =
    options.extraMb === undefined ? (options.memoryMb ?? 64) * MiB : base.used + options.extraMb * MiB;
  const store = new Store(base, limit);
  const outcome = runAttempt(
    store,
    { query, allowWrites: true },
    { ...scriptLimits, maxRows: 1000, ...options.limits },
  );
  return { outcome, store };
}

function rows(query: string, options: Options = {}): unknown[] {
  const { outcome } = run(query, options);
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome.result.rows.map((row) => row[0]);
}

/** A dataset with big collections, built once. */
const dataset = buildSnapshot(
  lines(
    `SADD set1 ${range(20_000)
      .map((i) => `member:${i}`)
      .join(" ")}`,
    `SADD set2 ${range(20_000)
      .map((i) => `member:${i + 10_000}`)
      .join(" ")}`,
    `RPUSH list ${range(10_000)
      .map((i) => `${String(i).padStart(5, "0")}${"x".repeat(95)}`)
      .join(" ")}`,
    `HSET hash ${range(10_000)
      .map((i) => `field:${i} ${"v".repeat(90)}`)
      .join(" ")}`,
    `ZADD zset ${range(10_000)
      .map((i) => `${i / 7} member:${i}`)
      .join(" ")}`,
    `MSET ${range(10_000)
      .map((i) => `key:${i} ${i}`)
      .join(" ")}`,
    "SETRANGE str 1048575 x",
  ),
  256 * MiB,
);
if (!dataset.ok) throw new Error(dataset.message);
const base = dataset.snapshot;

const tooBig = /ERR string exceeds maximum allowed size \(proto-max-bulk-len\); the sandbox allows 1 MiB/;
const badBulk = /ERR Protocol error: invalid bulk length; the sandbox allows 1 MiB/;
const replyMemory = /the reply would grow past the memory limit/;
const dataMemory = /the data would grow past the memory limit/;
const roomy = { maxArgBytes: 4 * MiB };
const big = (n = MAX_VALUE_BYTES + 1) => "x".repeat(n);

interface Hostile {
  name: string;
  query: string;
  reason: FailureReason;
  message: RegExp;
  options?: Options;
}

const hostile: Hostile[] = [
  {
    name: "SETRANGE far past the value cap, refuses it with proto-max-bulk-len",
    query: "SETRANGE s 250000000 x",
    reason: "too-large",
    message: /^query line 1: ERR string exceeds maximum allowed size \(proto-max-bulk-len\)/,
  },
  {
    name: "SETRANGE one byte past the value cap, refuses it with proto-max-bulk-len",
    query: `SETRANGE s ${MAX_VALUE_BYTES} x`,
    reason: "too-large",
    message: tooBig,
  },
  {
    name: "SETRANGE at the largest 64-bit offset, refuses it with proto-max-bulk-len",
    query: "SETRANGE s 9223372036854775807 x",
    reason: "too-large",
    message: tooBig,
  },
  {
    name: "SETRANGE past the cap on an existing string, refuses it and keeps the old value",
    query: lines("SET s hello", `SETRANGE s ${MAX_VALUE_BYTES - 2} abc`),
    reason: "too-large",
    message: /^query line 2: ERR string exceeds/,
  },
  {
    name: "APPEND one byte past a 1 MiB string, refuses it with proto-max-bulk-len",
    query: lines(
      `SET s ${"a".repeat(MAX_VALUE_BYTES / 2)}`,
      `APPEND s ${"b".repeat(MAX_VALUE_BYTES / 2)}`,
      "APPEND s c",
    ),
    reason: "too-large",
    message: /^query line 3: ERR string exceeds/,
  },
  {
    name: "an APPEND growth loop, stops at the line that passes the value cap",
    query: repeat(400, () => `APPEND s ${"y".repeat(4096)}`),
    reason: "too-large",
    message: /^query line 257: ERR string exceeds/,
  },
  {
    name: "a SET value over the cap, refuses it as an over-long bulk argument",
    query: `SET s ${big()}`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "a key name over the cap, refuses it as an over-long bulk argument",
    query: `SET ${big()} v`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "a list item over the cap, refuses it as an over-long bulk argument",
    query: `RPUSH l a ${big()}`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "a hash field over the cap, refuses it as an over-long bulk argument",
    query: `HSET h ${big()} v`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "a hash value over the cap, refuses it as an over-long bulk argument",
    query: `HSET h f ${big()}`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "a set member over the cap, refuses it as an over-long bulk argument",
    query: `SADD s ${big()}`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "a sorted-set member over the cap, refuses it as an over-long bulk argument",
    query: `ZADD z 1 ${big()}`,
    reason: "too-large",
    message: badBulk,
    options: { limits: roomy },
  },
  {
    name: "an over-long argument queued in MULTI, refuses it when queued",
    query: lines("MULTI", `RENAME str ${big()}`, "EXEC"),
    reason: "too-large",
    message: /^query line 2: ERR Protocol error: invalid bulk length/,
    options: { base, limits: roomy },
  },
  {
    name: "INCRBYFLOAT on a 1 MiB number, refuses it as not a float (Redis reads at most 5 KiB)",
    query: lines(`SET n 1${"0".repeat(MAX_VALUE_BYTES - 1)}`, "INCRBYFLOAT n 1"),
    reason: "runtime",
    message: /^query line 2: ERR value is not a valid float$/,
  },
  {
    name: "SETRANGE rewriting a string the budget holds once but not twice, refuses it: the copy counts, not the growth",
    query: lines("SETRANGE s 1048575 x", "SETRANGE s 0 y"),
    reason: "memory",
    message: /^query line 2: the data would grow/,
    options: { memoryMb: 1.5 },
  },
  {
    name: "APPEND whose new string does not fit beside the old one, refuses it before building it",
    query: lines(`SET s ${"a".repeat(700 * 1024)}`, `APPEND s ${"b".repeat(300 * 1024)}`),
    reason: "memory",
    message: /^query line 2: the data would grow/,
    options: { memoryMb: 1.5 },
  },
  {
    name: "twenty 1 MiB strings past an 8 MiB budget, stops at the string that would pass it",
    query: repeat(20, (i) => `SETRANGE s${i} 1048575 x`),
    reason: "memory",
    message: /^query line 8: the data would grow/,
    options: { memoryMb: 8 },
  },
  {
    name: "SUNIONSTORE of two 20k sets, again and again, stops before the copies pass the budget",
    query: repeat(20, (i) => `SUNIONSTORE u${i} set1 set2`),
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 8 },
  },
  {
    name: "SINTERSTORE and SDIFFSTORE of 20k sets, again and again, stop before passing the budget",
    query: repeat(20, (i) => `${i % 2 ? "SINTERSTORE" : "SDIFFSTORE"} r${i} set1 set2`),
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 6 },
  },
  {
    name: "ZUNIONSTORE of two 20k sets, again and again, stops before the copies pass the budget",
    query: repeat(20, (i) => `ZUNIONSTORE z${i} 2 set1 set2`),
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 8 },
  },
  {
    name: "ZUNION of two 20k sets with scores, inside one EXEC, stops when the replies pass the budget",
    query: lines("MULTI", ...range(20).map(() => "ZUNION 2 set1 set2 WITHSCORES"), "EXEC"),
    reason: "memory",
    message: /the (data|reply) would grow/,
    options: { base, extraMb: 12 },
  },
  {
    name: "COPY of a 1 MiB string to many keys, stops before the copies pass the budget",
    query: repeat(20, (i) => `COPY str c${i}`),
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 6 },
  },
  {
    name: "COPY of a 10k-item list to many keys, stops before the copies pass the budget",
    query: repeat(50, (i) => `COPY list c${i}`),
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 8 },
  },
  {
    name: "LRANGE of a 1 MB list fifty times inside EXEC, stops when the held replies pass the budget",
    query: lines("MULTI", ...range(50).map(() => "LRANGE list 0 -1"), "EXEC"),
    reason: "memory",
    message: replyMemory,
    options: { base, extraMb: 16 },
  },
  {
    name: "HGETALL, SMEMBERS, ZRANGE WITHSCORES and KEYS inside EXEC, stop when the held replies pass the budget",
    query: lines(
      "MULTI",
      ...range(12).flatMap(() => ["HGETALL hash", "SMEMBERS set1", "ZRANGE zset 0 -1 WITHSCORES", "KEYS *"]),
      "EXEC",
    ),
    reason: "memory",
    message: replyMemory,
    options: { base, extraMb: 16 },
  },
  {
    name: "MGET of the same 1 MiB string a hundred times, refuses the reply as if materialised",
    query: `MGET ${Array(100).fill("str").join(" ")}`,
    reason: "memory",
    message: replyMemory,
    options: { base, extraMb: 16 },
  },
  {
    name: "GET of a 1 MiB string a hundred times inside EXEC, stops when the held replies pass the budget",
    query: lines("MULTI", ...range(100).map(() => "GET str"), "EXEC"),
    reason: "memory",
    message: replyMemory,
    options: { base, extraMb: 16 },
  },
  {
    name: "base values deleted to make room, still counts them (the shared base keeps them)",
    query: lines(
      "DEL set1 set2 list hash zset",
      repeat(10, (i) => `SETRANGE s${i} 1048575 x`),
    ),
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 4 },
  },
  {
    name: "a read of a big base value on a budget too small for its copy, refuses the copy",
    query: "LLEN list",
    reason: "memory",
    message: dataMemory,
    options: { base, extraMb: 0.05 },
  },
  {
    name: "an EXEC whose nested replies are megabytes of text, refuses the result before building it",
    query: lines("MULTI", ...range(4).map(() => "LRANGE list 0 -1"), "EXEC"),
    reason: "too-large",
    message: /^result: the result is larger than/,
    options: { base, limits: { maxResultChars: 256 * 1024 } },
  },
];

describe("hostile input against the caps", () => {
  it.each(hostile)("given $name", ({ query, reason, message, options }) => {
    const { outcome, store } = run(query, options);
    expect(outcome).toMatchObject({ ok: false, reason });
    if (!outcome.ok) expect(outcome.message).toMatch(message);
    expect(store.total).toBeLessThanOrEqual(store.limitBytes);
  });

  it("has at least twenty hostile inputs", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(20);
  });

  it("given SETRANGE s 250000000 x then a hundred SETRANGEs and STRLEN, refuses at once without growing the process", () => {
    const rssBefore = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const query = lines(
      "SETRANGE s 250000000 x",
      ...range(100).map((i) => `SETRANGE s ${250_000_000 - i * 1000} x`),
      "STRLEN s",
    );
    const { outcome, store } = run(query, { memoryMb: 256 });
    expect(outcome).toMatchObject({ ok: false, reason: "too-large" });
    if (!outcome.ok)
      expect(outcome.message).toMatch(/^query line 1: ERR string exceeds maximum allowed size/);
    expect(store.total).toBeLessThan(MiB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * MiB);
    expect(process.resourceUsage().maxRSS * 1024 - peakBefore).toBeLessThan(150 * MiB);
  });

  it("given a hundred SETRANGE rewrites of a string at the cap, answers within the budget without growing the process", () => {
    const rssBefore = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const query = lines(
      "SETRANGE s 1048575 x",
      ...range(100).map((i) => `SETRANGE s ${i * 10_000} y`),
      "STRLEN s",
    );
    const { outcome, store } = run(query, { memoryMb: 256 });
    expect(outcome).toMatchObject({ ok: true, result: { rows: [[MAX_VALUE_BYTES]] } });
    expect(store.total).toBeLessThan(3 * MiB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * MiB);
    expect(process.resourceUsage().maxRSS * 1024 - peakBefore).toBeLessThan(150 * MiB);
  });
});

describe("benign input near the caps", () => {
  it("given a value of exactly 1 MiB, stores and reads it", () => {
    expect(rows(lines(`SET s ${"a".repeat(MAX_VALUE_BYTES)}`, "STRLEN s"))).toEqual([MAX_VALUE_BYTES]);
    expect(rows(lines(`SETRANGE s ${MAX_VALUE_BYTES - 1} z`, "STRLEN s", "GETRANGE s -1 -1"))).toEqual(["z"]);
    const half = "b".repeat(MAX_VALUE_BYTES / 2);
    expect(rows(lines(`APPEND s ${half}`, `APPEND s ${half}`))).toEqual([MAX_VALUE_BYTES]);
  });

  it("given elements and a key name of exactly 1 MiB, stores them", () => {
    const at = "e".repeat(MAX_VALUE_BYTES);
    expect(
      rows(lines(`RPUSH l ${at}`, `HSET h f ${at}`, `SADD s ${at}`, `ZADD z 1 ${at}`, "DBSIZE")),
    ).toEqual([4]);
    expect(rows(lines(`SET ${at} v`, `STRLEN ${at}`))).toEqual([1]);
  });

  it("given unions and copies of big values within the budget, gives the right answers", () => {
    expect(rows(lines("SUNIONSTORE u set1 set2", "SCARD u"), { base })).toEqual([30_000]);
    expect(rows(lines("SINTERSTORE u set1 set2", "SCARD u"), { base })).toEqual([10_000]);
    expect(rows(lines("SDIFFSTORE u set1 set2", "SCARD u"), { base })).toEqual([10_000]);
    expect(rows(lines("ZUNIONSTORE u 2 set1 set2", "ZSCORE u member:15000"), { base })).toEqual(["2"]);
    expect(rows(lines("ZINTERSTORE u 2 set1 zset", "ZCARD u"), { base })).toEqual([10_000]);
    expect(rows(lines("COPY list l2", "LLEN l2"), { base })).toEqual([10_000]);
    expect(rows(lines("COPY str s2", "STRLEN s2"), { base })).toEqual([MAX_VALUE_BYTES]);
  });

  it("given big replies within the budget, returns them", () => {
    expect(rows("LRANGE list 0 -1", { base, limits: { maxRows: 10_000 } })).toHaveLength(10_000);
    expect(rows("KEYS key:*", { base })).toHaveLength(1000);
    expect(rows(lines("MULTI", "LRANGE list 0 1", "ZRANGE zset 0 1", "EXEC"), { base })).toEqual([
      JSON.stringify([`00000${"x".repeat(95)}`, `00001${"x".repeat(95)}`]),
      JSON.stringify(["member:0", "member:1"]),
    ]);
  });

  it("given a key replaced by SET, APPEND or COPY, keeps its place among the keys", () => {
    expect(rows(lines("SET a 1", "SET b 2", "SET a 3", "APPEND b x", "COPY b a REPLACE", "KEYS *"))).toEqual([
      "a",
      "b",
    ]);
  });

  it("given a long session of writes and reads that each fit, runs to the end", () => {
    const query = repeat(400, (i) => (i % 2 ? `GETRANGE k${i - 1} 0 9` : `SETRANGE k${i} 65535 x`));
    const { outcome, store } = run(query, { memoryMb: 16 });
    expect(outcome.ok).toBe(true);
    expect(store.total).toBeLessThanOrEqual(store.limitBytes);
  });
});
