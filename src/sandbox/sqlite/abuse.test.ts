import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dataset, defaultLimits, type FailureReason, type Limits } from "../../core/sandbox.js";
import { createSqliteSandbox, type SqliteSandbox } from "./sandbox.js";

const limits: Limits = { ...defaultLimits, timeMs: 1_000 };

const dataset: Dataset = {
  id: "abuse",
  engine: "sqlite",
  setup:
    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');",
};

/** Names the attacks use for files; none may appear anywhere. */
const marker = "pwned-sqlite";
const listing = (dir: string): Set<string> => new Set(readdirSync(dir));

let sandbox: SqliteSandbox;
let trap: string;
let before: { cwd: Set<string>; tmp: Set<string> };

beforeAll(async () => {
  before = { cwd: listing(process.cwd()), tmp: listing(tmpdir()) };
  trap = mkdtempSync(join(tmpdir(), "sqlite-abuse-"));
  sandbox = createSqliteSandbox();
  // Build the dataset and warm the pool first: start-up is not what the attacks measure.
  await sandbox.run({ dataset, query: "SELECT 1", allowWrites: false }, limits);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(trap, { recursive: true, force: true });
});

interface Attack {
  name: string;
  query: string | (() => string);
  reason: FailureReason;
  allowWrites?: boolean;
  limits?: Partial<Limits>;
  /** Paths inside the trap directory that must not exist afterwards. */
  files?: string[];
}

const nested = (depth: number): string => `SELECT ${"(".repeat(depth)}1${")".repeat(depth)}`;
const runaway = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

const attacks: Attack[] = [
  { name: "a recursive CTE without an end", query: runaway, reason: "timeout" },
  {
    name: "a cross join of generated series to a trillion rows",
    query:
      "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 10000) SELECT count(*) FROM s a, s b, s c",
    reason: "timeout",
  },
  {
    name: "a write task that loops forever",
    query: `CREATE TABLE z AS ${runaway}`,
    reason: "timeout",
    allowWrites: true,
  },
  { name: "randomblob(2e9)", query: "SELECT length(randomblob(2e9))", reason: "too-large" },
  { name: "zeroblob(2e9)", query: "SELECT zeroblob(2e9)", reason: "too-large" },
  // Memory attacks get more time, so that on a loaded machine they still hit the memory limit first.
  {
    name: "a 500 MB randomblob",
    query: "SELECT length(randomblob(500000000))",
    reason: "memory",
    limits: { timeMs: 4_000 },
  },
  {
    name: "a replace(hex(zeroblob(…))) bomb",
    query: "SELECT length(replace(hex(zeroblob(100000000)), '0', '00'))",
    reason: "memory",
    limits: { timeMs: 4_000 },
  },
  {
    name: "a result far larger than any chat message",
    query: "SELECT printf('%.*c', 20000000, 'x')",
    reason: "too-large",
    limits: { timeMs: 4_000 },
  },
  {
    name: "ATTACH of a file in the temp dir",
    query: () => `ATTACH '${join(trap, `${marker}-attach.db`)}' AS y`,
    reason: "blocked",
    allowWrites: true,
    files: [`${marker}-attach.db`],
  },
  {
    name: "ATTACH hidden after a comment",
    query: () => `SELECT 1; /*x*/ATTACH '${join(trap, `${marker}-comment.db`)}' AS y`,
    reason: "blocked",
    allowWrites: true,
    files: [`${marker}-comment.db`],
  },
  {
    name: "ATTACH of a relative path",
    query: `ATTACH DATABASE '${marker}-relative.db' AS y`,
    reason: "blocked",
    allowWrites: true,
  },
  {
    name: "VACUUM INTO a file in the temp dir",
    query: () => `VACUUM INTO '${join(trap, `${marker}-vacuum.db`)}'`,
    reason: "blocked",
    files: [`${marker}-vacuum.db`],
  },
  {
    name: "load_extension",
    query: () => `SELECT load_extension('${join(trap, `${marker}-ext.so`)}')`,
    reason: "blocked",
  },
  {
    name: 'a quoted "load_extension" call',
    query: `SELECT "load_extension"('/nonexistent')`,
    reason: "blocked",
  },
  {
    name: "PRAGMA writable_schema=1",
    query: "PRAGMA writable_schema=1",
    reason: "blocked",
    allowWrites: true,
  },
  { name: "pRaGmA/**/journal_mode=…", query: "pRaGmA/**/journal_mode=OFF", reason: "blocked" },
  { name: "PRAGMA query_only=0 before a write", query: "PRAGMA query_only=0", reason: "blocked" },
  {
    name: "a pragma table-valued function",
    query: "SELECT * FROM pragma_hard_heap_limit",
    reason: "blocked",
  },
  {
    name: "a second statement smuggled into a read task",
    query: "SELECT 1; DELETE FROM t",
    reason: "blocked",
  },
  {
    name: "a NUL byte hiding the rest of the text",
    query: "SELECT 1\u0000; ATTACH 'x' AS y",
    reason: "blocked",
  },
  { name: "AT/**/TACH (not a keyword: a syntax error)", query: "AT/**/TACH 'x' AS y", reason: "syntax" },
  { name: "a temp table in a read-only task", query: "CREATE TEMP TABLE x AS SELECT 1", reason: "read-only" },
  { name: "a 1 MB query", query: `SELECT '${"x".repeat(1024 * 1024)}'`, reason: "too-large" },
  {
    name: "10,000 nested parentheses",
    query: nested(10_000),
    reason: "too-large",
    limits: { maxQueryBytes: 1024 * 1024 },
  },
  {
    name: "10,000 nested json_array calls",
    query: `SELECT ${"json_array(".repeat(10_000)}1${")".repeat(10_000)}`,
    reason: "too-large",
    limits: { maxQueryBytes: 1024 * 1024 },
  },
  {
    name: "a 1 MB query when large queries are allowed",
    query: `SELECT count(*) FROM t WHERE v IN (${Array.from({ length: 120_000 }, (_, i) => `'${i}'`).join(",")})`,
    reason: "too-large",
    limits: { maxQueryBytes: 512 * 1024 },
  },
];

describe("sqlite sandbox under attack", () => {
  it.each(attacks)("given $name, answers $reason and keeps serving", async (attack) => {
    const at = { ...limits, ...attack.limits };
    await sandbox.settled(); // replacements for children killed by the last attack are warm again
    const query = typeof attack.query === "string" ? attack.query : attack.query();
    const outcome = await sandbox.run({ dataset, query, allowWrites: attack.allowWrites ?? false }, at);
    expect(outcome).toMatchObject({ ok: false, reason: attack.reason });
    if (!outcome.ok) expect(outcome.message).not.toMatch(/\n|\/work\/|node_modules/);
    for (const file of attack.files ?? []) expect(existsSync(join(trap, file))).toBe(false);

    const after = await sandbox.run({ dataset, query: "SELECT count(*) FROM t", allowWrites: false }, limits);
    expect(after).toMatchObject({ ok: true, result: { rows: [[3]] } });
  });

  it("given a runaway query under a short limit, it times out", async () => {
    await sandbox.settled();
    const outcome = await sandbox.run(
      { dataset, query: runaway, allowWrites: false },
      { ...limits, timeMs: 500 },
    );
    expect(outcome).toMatchObject({ ok: false, reason: "timeout" });
  });

  it("given several runaway queries at once, all time out and the pool recovers", async () => {
    await sandbox.settled();
    const runs = Array.from({ length: 4 }, () =>
      sandbox.run({ dataset, query: runaway, allowWrites: false }, limits),
    );
    for (const outcome of await Promise.all(runs))
      expect(outcome).toMatchObject({ ok: false, reason: "timeout" });
    const after = await sandbox.run(
      { dataset, query: "SELECT v FROM t WHERE id = 2", allowWrites: false },
      limits,
    );
    expect(after).toMatchObject({ ok: true, result: { rows: [["b"]] } });
  });

  it("given the bot's process dies mid-query, its child processes end too", async () => {
    const script = join(trap, "orphan.mts");
    const index = pathToFileURL(fileURLToPath(new URL("./sandbox.ts", import.meta.url))).href;
    writeFileSync(
      script,
      `import { createSqliteSandbox } from ${JSON.stringify(index)};
       const sandbox = createSqliteSandbox({ poolSize: 1 });
       const ds = { id: "o", engine: "sqlite", setup: "CREATE TABLE t (a)" };
       await sandbox.run({ dataset: ds, query: "SELECT 1", allowWrites: false }, { timeMs: 60000, maxRows: 10, maxQueryBytes: 10000, memoryMb: 64 });
       console.log(JSON.stringify(sandbox.pids()));
       await sandbox.run({ dataset: ds, query: ${JSON.stringify(runaway)}, allowWrites: false }, { timeMs: 60000, maxRows: 10, maxQueryBytes: 10000, memoryMb: 64 });`,
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const bot = spawn(process.execPath, ["--import", tsx, script], { stdio: ["ignore", "pipe", "inherit"] });
    const pids = await new Promise<number[]>((resolve, reject) => {
      bot.stdout.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as number[]));
      bot.once("exit", () => reject(new Error("the bot exited early")));
    });
    expect(pids).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the runaway query is running now
    bot.kill("SIGKILL");
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 3_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter(alive)).toEqual([]);
  });

  it("given every attack above, no file named after an attack appears in the working or temp directory", () => {
    const added = (dir: string, old: Set<string>): string[] =>
      readdirSync(dir).filter((name) => !old.has(name) && name.includes(marker));
    expect(added(process.cwd(), before.cwd)).toEqual([]);
    expect(added(tmpdir(), before.tmp)).toEqual([]);
    expect(readdirSync(trap).filter((name) => name.includes(marker))).toEqual([]);
  });
});
