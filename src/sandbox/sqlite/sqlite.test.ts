import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { datasetRuns, ok } from "../../../test/sandbox-runs.js";
import { type Dataset, defaultLimits, type Limits } from "../../core/sandbox.js";
import { SandboxPool } from "../pool/pool.js";
import { createSqliteSandbox, type SqliteSandbox } from "./sandbox.js";

const limits: Limits = { ...defaultLimits, timeMs: 1_000 };

const staff: Dataset = {
  id: "test-staff",
  engine: "sqlite",
  setup: `
    CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE emp (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, dept_id INTEGER REFERENCES dept(id),
      salary INTEGER NOT NULL, hired TEXT, photo BLOB
    );
    CREATE INDEX emp_dept ON emp(dept_id);
    INSERT INTO dept VALUES (1, 'Engineering'), (2, 'Sales'), (3, 'Support');
    INSERT INTO emp VALUES
      (1, 'Ada', 1, 120, '2020-01-05', x'CAFE'),
      (2, 'Grace', 1, 130, '2019-03-01', NULL),
      (3, 'Linus', 2, 90, '2021-07-19', NULL),
      (4, 'Barbara', 2, 95, NULL, NULL),
      (5, 'Ken', 3, 70, '2022-11-30', NULL);
  `,
};

const numbers: Dataset = {
  id: "test-numbers",
  engine: "sqlite",
  setup: `
    CREATE TABLE n (x INTEGER);
    WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) INSERT INTO n SELECT x FROM c;
  `,
};

const builds = vi.fn<(id: string) => void>();
let sandbox: SqliteSandbox;

beforeAll(() => {
  sandbox = createSqliteSandbox({ onDatasetBuild: builds });
});

afterAll(async () => {
  await sandbox.close();
});

const { run: read } = datasetRuns(() => sandbox, staff, limits);

describe("sqlite sandbox: results", () => {
  it("given a select with a filter and a sort, returns the columns and rows in order", async () => {
    const outcome = ok(await read("SELECT name, salary FROM emp WHERE salary >= 95 ORDER BY salary DESC"));
    expect(outcome.result).toEqual({
      columns: ["name", "salary"],
      rows: [
        ["Grace", 130],
        ["Ada", 120],
        ["Barbara", 95],
      ],
    });
    expect(outcome.truncated).toBe(false);
    expect(outcome.plan).toBeNull();
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it("given an aggregate with a join, returns one row per group", async () => {
    const outcome = ok(
      await read(`SELECT d.name AS dept, count(*) AS n, avg(e.salary) AS avg_salary
                  FROM emp e JOIN dept d ON d.id = e.dept_id GROUP BY d.name ORDER BY d.name`),
    );
    expect(outcome.result.rows).toEqual([
      ["Engineering", 2, 125],
      ["Sales", 2, 92.5],
      ["Support", 1, 70],
    ]);
  });

  it("given values of every SQLite type, returns JSON-safe cells", async () => {
    const outcome = ok(
      await read(
        "SELECT photo, hired, 9007199254740993 AS big, -5 AS small, 1.5 AS real, 1e999 AS inf, json_object('b', 1, 'a', 2) AS j FROM emp WHERE id = 4 OR id = 1 ORDER BY id",
      ),
    );
    expect(outcome.result.rows).toEqual([
      ["CAFE", "2020-01-05", "9007199254740993", -5, 1.5, "Inf", '{"b":1,"a":2}'],
      [null, null, "9007199254740993", -5, 1.5, "Inf", '{"b":1,"a":2}'],
    ]);
  });

  it("given more rows than maxRows, returns maxRows of them and says it cut them", async () => {
    const outcome = ok(
      await sandbox.run(
        { dataset: numbers, query: "SELECT x FROM n ORDER BY x", allowWrites: false },
        { ...limits, maxRows: 3 },
      ),
    );
    expect(outcome.result.rows).toEqual([[1], [2], [3]]);
    expect(outcome.truncated).toBe(true);
    const exact = ok(
      await sandbox.run(
        { dataset: numbers, query: "SELECT x FROM n WHERE x <= 3", allowWrites: false },
        { ...limits, maxRows: 3 },
      ),
    );
    expect(exact.truncated).toBe(false);
  });

  it("given a query longer than maxQueryBytes, refuses it before running", async () => {
    const outcome = await read(`SELECT '${"é".repeat(200)}'`, {}, { ...limits, maxQueryBytes: 300 });
    expect(outcome).toMatchObject({ ok: false, reason: "too-large" });
  });
});

describe("sqlite sandbox: writes", () => {
  it.each([
    ["a DELETE", "DELETE FROM emp"],
    ["an INSERT … RETURNING", "INSERT INTO dept VALUES (9, 'X') RETURNING id"],
    ["a CREATE TABLE", "CREATE TABLE t (a)"],
    ["a CREATE TEMP TABLE", "CREATE TEMP TABLE t (a)"],
    ["a DROP TABLE", "DROP TABLE emp"],
  ])("given %s in a read-only task, refuses it as read-only", async (_what, query) => {
    const outcome = await read(query);
    expect(outcome).toMatchObject({ ok: false, reason: "read-only" });
  });

  it("given a write task, applies the writes, grades the check, and the next attempt starts clean", async () => {
    const write = ok(
      await sandbox.run(
        {
          dataset: staff,
          query: "UPDATE emp SET salary = salary + 10 WHERE dept_id = 2; DELETE FROM emp WHERE id = 5;",
          check: "SELECT id, salary FROM emp ORDER BY id",
          allowWrites: true,
        },
        limits,
      ),
    );
    expect(write.result.rows).toEqual([
      [1, 120],
      [2, 130],
      [3, 100],
      [4, 105],
    ]);
    const after = ok(await read("SELECT count(*), sum(salary) FROM emp"));
    expect(after.result.rows).toEqual([[5, 505]]);
  });

  it("given a write task that creates a trigger and a table, runs the whole script", async () => {
    const outcome = ok(
      await sandbox.run(
        {
          dataset: staff,
          query: `CREATE TABLE log (msg TEXT);
                  CREATE TRIGGER t AFTER INSERT ON dept BEGIN INSERT INTO log VALUES ('added ' || new.name); END;
                  INSERT INTO dept VALUES (4, 'Ops');
                  SELECT msg FROM log;`,
          allowWrites: true,
        },
        limits,
      ),
    );
    expect(outcome.result).toEqual({ columns: ["msg"], rows: [["added Ops"]] });
    const gone = await read("SELECT * FROM log");
    expect(gone).toMatchObject({ ok: false, reason: "runtime", message: "no such table: log" });
  });

  it("given a check, returns the check's result instead of the query's", async () => {
    const outcome = ok(
      await read("SELECT name FROM emp", { check: "SELECT count(*) AS n FROM dept", allowWrites: false }),
    );
    expect(outcome.result).toEqual({ columns: ["n"], rows: [[3]] });
  });
});

describe("sqlite sandbox: explain and errors", () => {
  it("given a plan query, returns its plan lines on the state the query left", async () => {
    const search = "SELECT name FROM emp WHERE dept_id = 2";
    const outcome = ok(await read(search, { planQuery: search }));
    expect(outcome.plan).toEqual([expect.stringMatching(/SEARCH emp USING INDEX emp_dept \(dept_id=\?\)/)]);
    expect(outcome.result.rows).toEqual([["Linus"], ["Barbara"]]);
    const nested = "SELECT * FROM emp WHERE salary IN (SELECT max(salary) FROM emp)";
    const scan = ok(await read(nested, { planQuery: nested }));
    expect(scan.plan?.some((line) => line.startsWith("SCAN emp"))).toBe(true);
    expect(scan.plan?.some((line) => line.startsWith("  "))).toBe(true); // nested lines are indented
  });

  it.each([
    ["SELEC name FROM emp", "syntax", 'near "SELEC": syntax error'],
    ["SELECT name FROM emp WHERE", "syntax", "incomplete input"],
    ["SELECT 'unterminated", "syntax", 'unrecognized token: "\'unterminated"'],
    ["SELECT * FROM nope", "runtime", "no such table: nope"],
    ["SELECT nope FROM emp", "runtime", "no such column: nope"],
    ["SELECT abs(-9223372036854775808)", "runtime", "integer overflow"],
    ["-- nothing but a comment", "syntax", "the query is empty"],
    ["SELECT 1; SELECT 2", "blocked", "Only one statement is allowed in this task."],
  ])("given %j, answers %s with the engine's message", async (query, reason, message) => {
    const outcome = await read(query);
    expect(outcome).toMatchObject({ ok: false, reason, message });
  });

  it("given a dataset for another engine, answers unavailable", async () => {
    const outcome = await sandbox.run(
      { dataset: { id: "m", engine: "mongodb", setup: "{}" }, query: "SELECT 1", allowWrites: false },
      limits,
    );
    expect(outcome).toMatchObject({ ok: false, reason: "unavailable" });
  });

  it("given a dataset whose setup fails, answers unavailable and tries again next time", async () => {
    const broken: Dataset = { id: "test-broken", engine: "sqlite", setup: "CREATE TABLE t (a; INSERT" };
    const first = await sandbox.run({ dataset: broken, query: "SELECT 1", allowWrites: false }, limits);
    expect(first).toMatchObject({
      ok: false,
      reason: "unavailable",
      message: expect.stringMatching(/test-broken/),
    });
    await sandbox.run({ dataset: broken, query: "SELECT 1", allowWrites: false }, limits);
    expect(builds.mock.calls.filter(([id]) => id === "test-broken")).toHaveLength(2);
  });
});

describe("sqlite sandbox: datasets and concurrency", () => {
  it("given many attempts at once on new datasets, builds each dataset once and answers each correctly", async () => {
    const fresh: Dataset = {
      id: "test-fresh",
      engine: "sqlite",
      setup: "CREATE TABLE v (k INTEGER, w TEXT);",
    };
    const runs = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? sandbox.run(
            {
              dataset: fresh,
              query: `INSERT INTO v VALUES (${i}, 'w${i}')`,
              check: "SELECT k, w FROM v",
              allowWrites: true,
            },
            limits,
          )
        : sandbox.run(
            { dataset: numbers, query: `SELECT x * 2 FROM n WHERE x = ${i}`, allowWrites: false },
            limits,
          ),
    );
    const outcomes = await Promise.all(runs);
    outcomes.forEach((outcome, i) => {
      expect(ok(outcome).result.rows).toEqual(i % 2 === 0 ? [[i, `w${i}`]] : [[i * 2]]);
    });
    expect(builds.mock.calls.filter(([id]) => id === "test-fresh")).toHaveLength(1);
    expect(builds.mock.calls.filter(([id]) => id === "test-numbers")).toHaveLength(1);
    expect(builds.mock.calls.filter(([id]) => id === "test-staff")).toHaveLength(1);
  });

  /** Attempts from different learners at once, each long enough that the others wait for a child. */
  const overlapping = (sandbox: SqliteSandbox, learners: string[]) =>
    Promise.all(
      learners.map((learner) =>
        sandbox.run(
          {
            dataset: staff,
            query:
              "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000) SELECT count(*) FROM r",
            allowWrites: false,
            learner,
          },
          { ...limits, timeMs: 30_000 },
        ),
      ),
    );

  it("given attempts one at a time or overlapping by moments, keeps one child", async () => {
    // The lane grows only after attempts waited this long: never, in this test.
    const pool = new SandboxPool({ growAfterMs: 600_000 });
    const own = createSqliteSandbox({ poolSize: 2, pool });
    try {
      for (let i = 0; i < 3; i++)
        ok(await own.run({ dataset: staff, query: "SELECT 1", allowWrites: false }, limits));
      // An attempt and its reference, as the grader sends them: one waits a moment for the other.
      for (const outcome of await overlapping(own, ["ana", "ben"])) ok(outcome);
      expect(own.pids()).toHaveLength(1);
    } finally {
      await own.close();
      await pool.close();
    }
  });

  it("given attempts that wait while every child is busy, starts another child, up to the pool size", async () => {
    const pool = new SandboxPool({ growAfterMs: 0 });
    const own = createSqliteSandbox({ poolSize: 2, pool });
    try {
      for (const outcome of await overlapping(own, ["ana", "ben", "cy", "dee"])) ok(outcome);
      expect(own.pids()).toHaveLength(2);
    } finally {
      await own.close();
      await pool.close();
    }
  });

  it("given close, stops every child process and refuses further runs", async () => {
    const pool = new SandboxPool({ growAfterMs: 0 });
    const own = createSqliteSandbox({ poolSize: 2, pool });
    for (const outcome of await overlapping(own, ["ana", "ben", "cy"])) ok(outcome);
    const pids = own.pids();
    expect(pids.length).toBe(2);
    await own.close();
    await pool.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(await own.run({ dataset: staff, query: "SELECT 1", allowWrites: false }, limits)).toMatchObject({
      ok: false,
      reason: "unavailable",
    });
  });

  it.runIf(process.platform === "linux")(
    "given a running sandbox, each child runs under a data-size limit of memory plus headroom",
    async () => {
      await sandbox.settled();
      const pids = sandbox.pids();
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) {
        const line = readFileSync(`/proc/${pid}/limits`, "utf8")
          .split("\n")
          .find((l) => l.startsWith("Max data size"));
        expect(line?.split(/\s+/)[3]).toBe(String((defaultLimits.memoryMb + 256) * 1024 * 1024));
      }
    },
  );

  it("given a request with a different memory limit, restarts children with that limit and answers", async () => {
    const own = createSqliteSandbox({ poolSize: 1, memoryMb: 256 });
    try {
      const small = { ...limits, memoryMb: 64 };
      ok(
        await own.run(
          { dataset: staff, query: "SELECT length(randomblob(1000000))", allowWrites: false },
          small,
        ),
      );
      const big = await own.run(
        { dataset: staff, query: "SELECT length(randomblob(400000000))", allowWrites: false },
        small,
      );
      expect(big).toMatchObject({ ok: false, reason: "memory" });
    } finally {
      await own.close();
    }
  });
});
