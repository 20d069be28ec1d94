import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dataset, defaultLimits, type FailureReason, type Limits } from "../../core/sandbox.js";
import { createRedisSandbox } from "./sandbox.js";

const N = 100_000;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A generated dataset big enough for runaway commands: 100k keys, a 100k set and sorted set. */
const big: Dataset = {
  id: "redis-abuse-big",
  engine: "redis",
  setup: [
    "SET counter 1",
    `ZADD big ${range(N)
      .map((i) => `${i} member:${i}`)
      .join(" ")}`,
    `SADD bigset ${range(N)
      .map((i) => `member:${i}`)
      .join(" ")}`,
    `MSET ${range(N)
      .map((i) => `key:${i} ${i}`)
      .join(" ")}`,
  ].join("\n"),
};

const limits: Limits = { ...defaultLimits, timeMs: 1_000 };
const sandbox = createRedisSandbox();
const scratch = mkdtempSync(join(tmpdir(), "quorum-redis-abuse-"));
const listing = () => [...readdirSync(process.cwd()), ...readdirSync(tmpdir())];
let before: string[] = [];

beforeAll(async () => {
  before = listing();
  const warm = await sandbox.run(
    { dataset: big, query: "DBSIZE", allowWrites: false },
    { ...limits, timeMs: 20_000 },
  );
  expect(warm).toMatchObject({ ok: true, result: { rows: [[N + 3]] } });
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  const appeared = listing().filter((name) => !before.includes(name) && /pwned/i.test(name));
  expect(appeared).toEqual([]);
  rmSync(scratch, { recursive: true, force: true });
});

interface Attack {
  name: string;
  query: string;
  reason: FailureReason;
  allowWrites?: boolean;
  limits?: Partial<Limits>;
  /** Paths the attack names that must not exist afterwards. */
  paths?: string[];
}

const pwned = (file: string) => join(scratch, file);

const attacks: Attack[] = [
  { name: "a 1 MB query text", query: `SET k ${"x".repeat(1024 * 1024)}`, reason: "too-large" },
  {
    name: "10,000 nested parentheses in an unclosed quote",
    query: `GET "${"(".repeat(10_000)}`,
    reason: "syntax",
  },
  {
    name: "a Lua script nesting 10,000 tables",
    query: `EVAL "return ${"{".repeat(10_000)}${"}".repeat(10_000)}" 0`,
    reason: "blocked",
    limits: { maxQueryBytes: 64 * 1024 },
  },
  { name: "a Lua infinite loop", query: 'EVAL "while true do end" 0', reason: "blocked" },
  {
    name: "ZRANGE 0 -1 WITHSCORES over a 100k set, 500 times",
    query: Array(500).fill("ZRANGE big 0 -1 WITHSCORES").join("\n"),
    reason: "timeout",
  },
  {
    name: "KEYS * over 100k keys, 500 times",
    query: Array(500).fill("KEYS *").join("\n"),
    reason: "timeout",
  },
  {
    name: "SETRANGE to a 256 MiB offset, past the 1 MiB value cap",
    query: "SETRANGE k 268435456 x",
    reason: "too-large",
    allowWrites: true,
  },
  {
    name: "twenty 1 MiB strings by SETRANGE past a 16 MiB limit",
    query: range(20)
      .map((i) => `SETRANGE s${i} 1048575 x`)
      .join("\n"),
    reason: "memory",
    allowWrites: true,
    limits: { memoryMb: 16 },
  },
  {
    name: "APPEND of 512 KB chunks past the memory limit",
    query: Array(4)
      .fill(`APPEND k ${"y".repeat(512 * 1024)}`)
      .join("\n"),
    reason: "memory",
    allowWrites: true,
    limits: { maxQueryBytes: 4 * 1024 * 1024, memoryMb: 1 },
  },
  {
    name: "LPUSH with a million arguments",
    query: `LPUSH l ${"x ".repeat(1_000_000)}`,
    reason: "too-large",
    allowWrites: true,
    limits: { maxQueryBytes: 4 * 1024 * 1024 },
  },
  {
    name: "copies of a 100k set past the memory limit",
    query: range(20)
      .map((i) => `SUNIONSTORE copy${i} bigset`)
      .join("\n"),
    reason: "memory",
    allowWrites: true,
    limits: { memoryMb: 64 },
  },
  {
    name: "an EXEC whose nested result is megabytes of JSON",
    query: ["MULTI", ...Array(8).fill("ZRANGE big 0 -1"), "EXEC"].join("\n"),
    reason: "too-large",
  },
  { name: "501 commands", query: Array(501).fill("PING").join("\n"), reason: "too-large" },
  {
    name: "CONFIG SET dir + SAVE to write a file",
    query: `CONFIG SET dir ${scratch}\nCONFIG SET dbfilename pwned.rdb\nSAVE`,
    reason: "blocked",
    allowWrites: true,
    paths: [pwned("pwned.rdb")],
  },
  {
    name: "MODULE LOAD of a shared object",
    query: `MODULE LOAD ${pwned("pwned.so")}`,
    reason: "blocked",
    paths: [pwned("pwned.so")],
  },
  { name: "MIGRATE to another host", query: "MIGRATE 10.0.0.1 6379 counter 0 1000", reason: "blocked" },
  { name: "REPLICAOF another host", query: "REPLICAOF 10.0.0.1 6379", reason: "blocked" },
  { name: "SUBSCRIBE, which would never return", query: "SUBSCRIBE pwned", reason: "blocked" },
  { name: "BLPOP on an empty list with no timeout", query: "BLPOP nothing 0", reason: "blocked" },
  { name: "DEBUG SEGFAULT", query: "DEBUG SEGFAULT", reason: "blocked" },
  { name: "SHUTDOWN NOSAVE", query: "SHUTDOWN NOSAVE", reason: "blocked", allowWrites: true },
  { name: "FLUSHALL", query: "FLUSHALL", reason: "blocked", allowWrites: true },
  {
    name: "a write hidden in a transaction of a read-only task",
    query: "MULTI\nGET counter\nDEL big\nEXEC",
    reason: "read-only",
  },
];

describe("hostile Redis input", () => {
  it.each(attacks)("given $name, ends with $reason and the sandbox keeps serving", async (attack) => {
    const runLimits = { ...limits, ...attack.limits };
    const outcome = await sandbox.run(
      { dataset: big, query: attack.query, allowWrites: attack.allowWrites ?? false },
      runLimits,
    );
    expect(outcome).toMatchObject({ ok: false, reason: attack.reason });
    if (!outcome.ok) {
      expect(outcome.message.length).toBeGreaterThan(0);
      expect(outcome.message).not.toMatch(/\n|\s+at\s|node_modules|\/work\//);
    }
    for (const path of attack.paths ?? []) expect(existsSync(path)).toBe(false);
    const after = await sandbox.run(
      { dataset: big, query: "ZCARD big\nSCARD bigset\nGET counter", allowWrites: false },
      limits,
    );
    expect(after).toMatchObject({ ok: true, result: { rows: [["1"]] } });
  });

  it("given growth the store's estimate allows but the worker's heap does not, reports memory and recovers", async () => {
    const small = createRedisSandbox({ workers: 1, workerHeapMb: 48 });
    try {
      const sets: Dataset = {
        id: "redis-abuse-sets",
        engine: "redis",
        setup: range(40)
          .map(
            (i) =>
              `SADD s${i} ${range(1000)
                .map((j) => `m${i}x${j}`)
                .join(" ")}`,
          )
          .join("\n"),
      };
      const union = `SUNIONSTORE u ${range(40)
        .map((i) => `s${i}`)
        .join(" ")}`;
      const query = range(400)
        .map((i) => union.replace(" u ", ` u${i} `))
        .join("\n");
      const roomy = { ...limits, memoryMb: 4096, maxQueryBytes: 1024 * 1024, timeMs: 5_000 };
      const outcome = await small.run({ dataset: sets, query, allowWrites: true }, roomy);
      expect(outcome).toMatchObject({ ok: false, reason: "memory" });
      expect(await small.run({ dataset: sets, query: "SCARD s7", allowWrites: false }, limits)).toMatchObject(
        {
          ok: true,
          result: { rows: [[1000]] },
        },
      );
    } finally {
      await small.close();
    }
  });

  it("given a backtracking glob over 100k keys, answers without catastrophic backtracking", async () => {
    const pattern = `${"*a".repeat(12)}*b`;
    // Catastrophic backtracking would end in the sandbox's timeout instead of an answer.
    const outcome = await sandbox.run({ dataset: big, query: `KEYS ${pattern}`, allowWrites: false }, limits);
    expect(outcome).toMatchObject({ ok: true, result: { rows: [] } });
  });
});
