/**
 * The eight findings of the sandbox review (issue 15), each replayed against the real sandboxes:
 * the attacker's inputs, written from the findings' descriptions, and what must happen instead.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapePayload } from "../../test/escape/side-module.js";
import { peakWhile } from "../../test/process-memory.js";
import { Grader } from "../core/grading/grader.js";
import { silentLogger } from "../core/ports/logger.js";
import type { Dataset, Limits, RunOutcome, RunRequest } from "../core/sandbox.js";
import { loadCurriculum } from "../curriculum/load.js";
import { defaultCurriculumDir } from "../paths.js";
import { processLimitMb } from "./pool/limits.js";
import { closeSandboxes, createSandboxes, type Sandboxes } from "./sandboxes.js";

const limits: Limits = { timeMs: 2_000, maxRows: 100, maxQueryBytes: 16_384, memoryMb: 256 };

const bank: Dataset = {
  id: "findings-bank",
  engine: "postgres",
  setup: `
    CREATE TABLE members (id int PRIMARY KEY, name text NOT NULL, credit numeric(10, 2) NOT NULL);
    INSERT INTO members SELECT g, 'm' || g, g * 10 FROM generate_series(1, 20) g;
  `,
};

let sandboxes: Sandboxes;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "quorum-findings-"));
  sandboxes = createSandboxes();
});

afterAll(async () => {
  await closeSandboxes(sandboxes);
  rmSync(dir, { recursive: true, force: true });
});

const pg = (query: string, extra: Partial<RunRequest> = {}): Promise<RunOutcome> =>
  sandboxes.postgres.run({ dataset: bank, query, allowWrites: true, ...extra }, limits);

function refused(outcome: RunOutcome): string {
  expect(outcome.ok, JSON.stringify(outcome)).toBe(false);
  return outcome.ok ? "" : outcome.reason;
}

describe("finding 1: a write task could load a WebAssembly module that ran JavaScript", () => {
  it("given the whole chain (functions named as strings, settings rewritten, EXECUTE hidden by the string mismatch), nothing runs", async () => {
    const { bytes, marker } = escapePayload(dir);
    const hex = Buffer.from(bytes).toString("hex");
    const hiddenLoad =
      "CREATE FUNCTION boot() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN PERFORM 'a\\' || '; EXECUTE $x$LOAD $x$ || quote_literal($y$/tmp/p.so$y$); --';\nRETURN; END $body$";
    const chain = [
      "CREATE OPERATOR ### (FUNCTION = 'lo_from_bytea', LEFTARG = oid, RIGHTARG = bytea)",
      `SELECT 4242424::oid ### '\\x${hex}'::bytea`,
      "CREATE OPERATOR #### (FUNCTION = 'lo_export', LEFTARG = oid, RIGHTARG = text)",
      "SELECT 4242424::oid #### '/tmp/p.so'",
      "UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'",
      hiddenLoad,
      "SELECT boot()",
    ];
    expect(refused(await pg(chain.join(";\n")))).toBe("blocked");
    // Each step alone is refused too, by the policy or by the engine's own grants.
    for (const step of chain) expect(["blocked", "runtime", "syntax"]).toContain(refused(await pg(step)));
    expect(refused(await pg(`LOAD '/tmp/p.so'`))).toBe("blocked");
    expect(existsSync(marker)).toBe(false);
  });
});

describe("finding 2: PGlite's files could be read and returned through an error message", () => {
  it.each([
    "SELECT pg_read_file('/pglite/data/postgresql.conf')::int",
    "SELECT (SELECT string_agg(f, ',') FROM pg_ls_dir('/pglite/data') f)::int",
    "CREATE AGGREGATE peek(text) (sfunc = 'pg_read_file', stype = text); SELECT peek('/pglite/data/PG_VERSION')",
    "CREATE OPERATOR !!! (FUNCTION = 'pg_read_file', RIGHTARG = text); SELECT (!!! '/pglite/data/PG_VERSION')::int",
    "SELECT lo_export(lo_from_bytea(0, 'x'), '/tmp/out')",
    "COPY (SELECT 1) TO PROGRAM 'id'",
    "SELECT 'pg_read_file'::regproc",
  ])("given %j, refuses it and reveals nothing", async (query) => {
    const outcome = await pg(query);
    expect(refused(outcome)).toBe("blocked");
    expect(outcome.ok ? "" : outcome.message).not.toMatch(/\d+\.\d+|max_connections|base,|PG_VERSION:/);
  });
});

describe("finding 3: one Redis submission could end the whole process", () => {
  it("given SETRANGE far out and a hundred more, answers with a verdict and the sandbox keeps serving", async () => {
    const shop: Dataset = { id: "findings-redis", engine: "redis", setup: "SET seed 1" };
    const attack = [
      "SETRANGE s 250000000 x",
      ...Array.from({ length: 100 }, (_, i) => `SETRANGE s ${i} y`),
      "STRLEN s",
    ];
    const outcome = await sandboxes.redis.run(
      { dataset: shop, query: attack.join("\n"), allowWrites: true },
      limits,
    );
    expect(["too-large", "memory"]).toContain(refused(outcome));
    const after = await sandboxes.redis.run({ dataset: shop, query: "GET seed", allowWrites: false }, limits);
    expect(after).toMatchObject({ ok: true, result: { rows: [["1"]] } });
  });
});

describe("finding 4: plan-graded tasks passed with no index", () => {
  it("given a query that returns the right rows but creates no index, every plan-graded task fails it", async () => {
    const loaded = loadCurriculum(defaultCurriculumDir);
    if (!loaded.ok) throw new Error("the curriculum does not load");
    const { challenges, datasets } = loaded.curriculum.bank;
    const grader = new Grader({ sandboxes, datasets, limits, logger: silentLogger });
    const planned = challenges.filter((c) => c.plan);
    expect(planned.map((c) => c.id).sort()).toEqual([
      "store-index-orders-by-customer",
      "w09-pg-index-host-metrics",
      "w10-pg-firing-alerts-index",
      "w16-pg-feed-index-plan",
    ]);
    for (const challenge of planned) {
      // The learner's last statement is a catalog lookup whose plan uses an index; the graded rows
      // come from the task's check query either way.
      const cheat =
        challenge.engine === "postgres"
          ? "SELECT relname FROM pg_class WHERE oid = 1259"
          : "CREATE INDEX orders_status ON orders (status); SELECT id FROM orders WHERE id = 1";
      const grade = await grader.grade(challenge, cheat);
      expect(grade.verdict, `${challenge.id}: ${JSON.stringify(grade)}`).toBe("fail");
      expect(await grader.grade(challenge, challenge.solution)).toEqual({ verdict: "pass" });
    }
  });
});

describe("finding 5: state outlived an attempt", () => {
  it("given an attempt that tries to leave a file behind, a later attempt finds nothing", async () => {
    const write = await pg("SELECT lo_export(lo_from_bytea(0, 'persist'), '/tmp/left-behind')");
    expect(refused(write)).toBe("blocked");
    const read = await pg("SELECT pg_read_file('/tmp/left-behind')");
    expect(refused(read)).toBe("blocked");
    const after = await pg("SELECT count(*) FROM members", { allowWrites: false });
    expect(after).toMatchObject({ ok: true, result: { rows: [[20]] } });
  });
});

describe.runIf(process.platform === "linux")(
  "finding 6: the memory watchdog slept while a spare engine started",
  () => {
    it("given a memory bomb right after an engine was killed, while its replacement starts, no engine process passes its limit", async () => {
      expect(await pg("SELECT 1", { allowWrites: false })).toMatchObject({ ok: true });
      // A timeout kills the engine: the spare takes over and a new spare starts at once.
      const endless =
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r";
      expect(refused(await pg(endless, { allowWrites: false }))).toBe("timeout");
      const bomb = "SELECT repeat('x', 50000000) FROM generate_series(1, 1001)";
      const { value, peakMb } = await peakWhile(pg(bomb, { allowWrites: false }));
      expect(["memory", "too-large", "timeout"]).toContain(refused(value));
      expect(peakMb).toBeLessThanOrEqual(processLimitMb("postgres", limits.memoryMb));
    });
  },
);

describe("finding 7: one learner stalled grading for everyone", () => {
  it("given a learner with an attempt running, their next one is answered at once as still grading", async () => {
    const slow = "SELECT count(*) FROM generate_series(1, 2000000000)";
    const first = pg(slow, { learner: "mallory", allowWrites: false });
    const second = await pg("SELECT 1", { learner: "mallory", allowWrites: false });
    expect(second).toMatchObject({
      ok: false,
      reason: "busy",
      message: expect.stringMatching(/still grading/i),
    });
    // Stopped by the time limit or by the temporary-file limit, whichever comes first.
    expect(["timeout", "memory"]).toContain(refused(await first));
  });
});

describe("finding 8: the smaller holes", () => {
  it("given SET TRANSACTION READ WRITE in a read-only task, refuses it", async () => {
    expect(refused(await pg("SET TRANSACTION READ WRITE", { allowWrites: false }))).toBe("blocked");
  });

  it("given UPDATE pg_settings to raise temp_file_limit, refuses it", async () => {
    const raise = "UPDATE pg_settings SET setting = '100GB' WHERE name = 'temp_file_limit'";
    expect(refused(await pg(raise))).toBe("blocked");
  });

  it("given statements with trailing comments, sends each with its comment and runs them all", async () => {
    const outcome = await pg("SELECT 1 AS a; -- between\nSELECT 2 AS b /* last */ -- trailing");
    expect(outcome).toMatchObject({ ok: true, result: { columns: ["b"], rows: [[2]] } });
  });

  it("given $setField with a computed __proto__, the documents keep their prototype", async () => {
    const docs: Dataset = { id: "findings-mongo", engine: "mongodb", setup: '{"d": [{"_id": 1, "a": 1}]}' };
    const query = `db.d.aggregate([{ $replaceWith: { $setField: { field: { $concat: ["__pro", "to__"] }, input: "$$ROOT", value: { polluted: true } } } }])`;
    const outcome = await sandboxes.mongodb.run({ dataset: docs, query, allowWrites: false }, limits);
    expect(refused(outcome)).toBe("runtime");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
