import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dataset, FailureReason, Limits, RunOutcome, RunRequest } from "../../core/sandbox.js";
import { createPostgresSandbox, type PostgresSandboxHandle } from "./sandbox.js";

const data: Dataset = {
  id: "abuse",
  engine: "postgres",
  setup: `
    CREATE TABLE accounts (id serial PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);
    INSERT INTO accounts (owner, balance) SELECT 'owner' || g, g * 10 FROM generate_series(1, 50) g;
  `,
};

const limits: Limits = { timeMs: 1_000, maxRows: 100, maxQueryBytes: 16_384, memoryMb: 256 };
/** For inputs that must reach the engine even though they are long. */
const roomy: Limits = { ...limits, maxQueryBytes: 2_000_000 };

let sandbox: PostgresSandboxHandle;
let attackDir: string;
const marker = "pwned";
const listing = (dir: string) => new Set(readdirSync(dir));
let cwdBefore: Set<string>;
let tmpBefore: Set<string>;

beforeAll(async () => {
  cwdBefore = listing(process.cwd());
  tmpBefore = listing(tmpdir());
  attackDir = mkdtempSync(join(tmpdir(), "quorum-pg-abuse-"));
  sandbox = createPostgresSandbox();
  await sandbox.warm({ spare: true });
});

afterAll(async () => {
  await sandbox.close();
  const newNames = (before: Set<string>, dir: string) =>
    [...listing(dir)].filter((name) => !before.has(name) && name.includes(marker));
  expect(newNames(cwdBefore, process.cwd())).toEqual([]);
  expect(newNames(tmpBefore, tmpdir())).toEqual([]);
  expect(readdirSync(attackDir)).toEqual([]);
  rmSync(attackDir, { recursive: true, force: true });
});

async function attack(
  query: string,
  expected: FailureReason | FailureReason[],
  extra: Partial<RunRequest> = {},
  lim: Limits = limits,
): Promise<RunOutcome & { ok: false }> {
  const outcome = await sandbox.run({ dataset: data, query, allowWrites: false, ...extra }, lim);
  expect(outcome.ok, JSON.stringify(outcome).slice(0, 300)).toBe(false);
  if (outcome.ok) throw new Error("attack succeeded");
  expect([expected].flat()).toContain(outcome.reason);
  expect(outcome.message.length).toBeGreaterThan(0);
  expect(outcome.message).not.toMatch(/\n/);
  // The sandbox keeps serving, and nothing the attack wrote survived.
  const after = await sandbox.run(
    { dataset: data, query: "SELECT count(*), sum(balance) FROM accounts", allowWrites: false },
    limits,
  );
  expect(after.ok && after.result.rows).toEqual([[50, 12750]]);
  return outcome;
}

describe("postgres sandbox under attack", () => {
  it("given a runaway recursive CTE, times out and keeps serving", async () => {
    await attack(
      "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT 1 FROM r) SELECT count(*) FROM r",
      "timeout",
    );
  });

  it("given a trillion-row generate_series, stops it (time or temp-file limit)", async () => {
    await attack("SELECT count(*) FROM generate_series(1, 1e12)", ["timeout", "memory"]);
  });

  it("given a cross join explosion, times out", async () => {
    await attack("SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b", [
      "timeout",
      "memory",
    ]);
  });

  it("given a gigabyte string, stops it (memory, or time on a machine too busy to reach the limit first)", async () => {
    await attack("SELECT length(repeat('x', 1e9::int))", ["memory", "timeout"]);
    await attack("SELECT length(string_agg(repeat('x', 1000), '')) FROM generate_series(1, 1000000)", [
      "memory",
      "timeout",
    ]);
  });

  it("given an endless PL/pgSQL loop in a function, times out; DO blocks are refused outright", async () => {
    await attack(
      "CREATE FUNCTION spin() RETURNS int LANGUAGE plpgsql AS $$ BEGIN LOOP END LOOP; END $$; SELECT spin()",
      "timeout",
      { allowWrites: true },
    );
    await attack("DO $$BEGIN LOOP END LOOP; END$$", "blocked", { allowWrites: true });
  });

  it("given unbounded recursion in SQL and PL/pgSQL functions, stops it", async () => {
    await attack(
      "CREATE FUNCTION f(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN f(n + 1); END $$; SELECT f(1)",
      ["too-large", "memory", "timeout"],
      { allowWrites: true },
    );
    await attack(
      "CREATE FUNCTION g(n int) RETURNS int LANGUAGE sql AS 'SELECT g(n + 1)'; SELECT g(1)",
      ["too-large", "memory", "timeout"],
      { allowWrites: true },
    );
  });

  it("given file and large-object functions, refuses them", async () => {
    await attack("SELECT pg_read_file('/etc/passwd')", "blocked");
    await attack("select lo_import('/etc/passwd')", "blocked");
    await attack("SELECT * FROM pg_ls_dir('/')", "blocked");
    await attack("SELECT pg_sleep(30)", "blocked");
    await attack("SELECT query_to_xml('select pg_read_file(''/etc/passwd'')', true, false, '')", "blocked");
  });

  it("given COPY to a program or a file, refuses it and no file appears", async () => {
    const touched = join(attackDir, `${marker}`);
    const csv = join(attackDir, `${marker}.csv`);
    await attack(`COPY (SELECT 1) TO PROGRAM 'touch ${touched}'`, "blocked", { allowWrites: true });
    await attack(`COPY accounts TO '${csv}'`, "blocked", { allowWrites: true });
    await attack(`COPY accounts FROM '/etc/passwd'`, "blocked", { allowWrites: true });
    expect(existsSync(touched)).toBe(false);
    expect(existsSync(csv)).toBe(false);
  });

  it("given extension, role and setting changes, refuses them", async () => {
    await attack("CREATE EXTENSION dblink", "blocked", { allowWrites: true });
    await attack("SET ROLE postgres", "blocked");
    await attack("SET SESSION AUTHORIZATION postgres", "blocked");
    await attack("SET standard_conforming_strings = off", "blocked");
    await attack("SELECT set_config('standard_conforming_strings', 'off', false)", "blocked");
    await attack("ALTER SYSTEM SET work_mem = '4GB'", "blocked", { allowWrites: true });
    await attack("CREATE ROLE intruder SUPERUSER", "blocked", { allowWrites: true });
    await attack("GRANT ALL ON accounts TO PUBLIC", "blocked", { allowWrites: true });
    await attack("LISTEN channel", "blocked");
    await attack("CREATE FUNCTION evil() RETURNS int LANGUAGE c AS 'libc', 'system'", "blocked", {
      allowWrites: true,
    });
  });

  it("given transaction control, refuses it and the dataset stays intact", async () => {
    await attack("COMMIT; DROP TABLE accounts", "blocked", { allowWrites: true });
    await attack("ROLLBACK; DELETE FROM accounts", "blocked", { allowWrites: true });
    await attack("DELETE FROM accounts; SAVEPOINT s; RELEASE SAVEPOINT s", "blocked", { allowWrites: true });
    await attack("END; DELETE FROM accounts", "blocked", { allowWrites: true });
    await attack("PREPARE TRANSACTION 'keep'", "blocked", { allowWrites: true });
  });

  it("given keywords hidden with comment, quote and dollar-quote tricks, still refuses them", async () => {
    await attack("SELECT E'\\'', pg_read_file('/etc/passwd') --'", "blocked");
    await attack("SELECT $a$ $$ $a$, pg_read_file('/etc/passwd'), $$ x $$", "blocked");
    await attack("SELECT /* /* nested */ still comment */ pg_sleep(30)", "blocked");
    await attack("SELECT \"pg_read_file\"('/etc/passwd')", "blocked");
    await attack("SELECT pg_catalog.pg_read_file('/etc/passwd')", "blocked");
    await attack("SELECT U&\"\\0070g_read_file\"('/etc/passwd')", "blocked");
    await attack("SELECT 1; /* ; */ COPY accounts TO '/tmp/x'", "blocked", { allowWrites: true });
    await attack(
      "CREATE FUNCTION sneaky() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN EXECUTE 'COP' || 'Y accounts TO ''/tmp/x'''; END $f$",
      "blocked",
      { allowWrites: true },
    );
    // Text the engine would see as one string is left alone: this is a harmless query.
    const harmless = await sandbox.run(
      {
        dataset: data,
        query: "SELECT 'COPY accounts TO ''/tmp/x''; pg_read_file()' AS t -- pg_sleep(1)",
        allowWrites: false,
      },
      limits,
    );
    expect(harmless.ok).toBe(true);
  });

  it("given a 1 MB query, refuses it as too large before running", async () => {
    await attack(`SELECT '${"x".repeat(1_000_000)}'`, "too-large");
  });

  it("given 10,000 nested parentheses or arrays, refuses them as too large", async () => {
    await attack(`SELECT ${"(".repeat(10_000)}1${")".repeat(10_000)}`, "too-large", {}, roomy);
    await attack(`SELECT ${"ARRAY[".repeat(10_000)}1${"]".repeat(10_000)}`, "too-large", {}, roomy);
  });

  it("given expressions nested deeply without parentheses, stops at the engine's stack limit", async () => {
    await attack(`SELECT 1${"+1".repeat(20_000)}`, "too-large", {}, roomy);
    await attack(`SELECT ${"NOT ".repeat(20_000)}true`, "too-large", {}, roomy);
    await attack(`SELECT 'a'${" || 'a'".repeat(20_000)}`, "too-large", {}, roomy);
  });

  it("given recursion past the worker's native stack (engine limit set too high), replaces the damaged engine", async () => {
    // PGlite swallows a V8 stack overflow inside the engine and carries on damaged; the sandbox
    // must notice, answer, and never reuse that engine.
    const fragile = createPostgresSandbox({ spare: false, maxStackDepthKb: 7_000 });
    try {
      await fragile.warm();
      const outcome = await fragile.run(
        { dataset: data, query: `SELECT 1${"+1".repeat(30_000)}`, allowWrites: false },
        roomy,
      );
      expect(!outcome.ok && outcome.reason).toBe("too-large");
      const after = await fragile.run(
        { dataset: data, query: "SELECT count(*), sum(balance) FROM accounts", allowWrites: false },
        limits,
      );
      expect(after.ok && after.result.rows).toEqual([[50, 12750]]);
    } finally {
      await fragile.close();
    }
  });

  it("given a result far larger than allowed, refuses it as too large", async () => {
    await attack("SELECT repeat('x', 1000000) FROM generate_series(1, 100)", "too-large");
  });

  it("given an attempt that writes through a sequence or advisory lock, the next attempt does not see it", async () => {
    const first = await sandbox.run(
      {
        dataset: data,
        query: "SELECT setval('accounts_id_seq', 1000); SELECT pg_advisory_lock(1); PREPARE p AS SELECT 1",
        allowWrites: true,
      },
      limits,
    );
    expect(first.ok).toBe(true);
    const next = await sandbox.run(
      {
        dataset: data,
        query: "INSERT INTO accounts (owner, balance) VALUES ('x', 1) RETURNING id",
        allowWrites: true,
        check:
          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' UNION ALL SELECT count(*) FROM pg_prepared_statements",
      },
      limits,
    );
    expect(next.ok && next.result.rows).toEqual([[0], [0]]);
    const id = await sandbox.run(
      {
        dataset: data,
        query: "INSERT INTO accounts (owner, balance) VALUES ('x', 1) RETURNING id",
        allowWrites: true,
      },
      limits,
    );
    expect(id.ok && id.result.rows).toEqual([[51]]);
  });
});
