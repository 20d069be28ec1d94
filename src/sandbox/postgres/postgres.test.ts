import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetRuns } from "../../../test/sandbox-runs.js";
import { type Dataset, defaultLimits, type Limits } from "../../core/sandbox.js";
import { createPostgresSandbox, type PostgresSandboxHandle } from "./sandbox.js";

const company: Dataset = {
  id: "company",
  engine: "postgres",
  setup: `
    CREATE TABLE departments (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE employees (
      id serial PRIMARY KEY,
      name text NOT NULL,
      dept_id int REFERENCES departments(id),
      salary numeric(10, 2) NOT NULL,
      hired date,
      active boolean NOT NULL DEFAULT true
    );
    INSERT INTO departments VALUES (1, 'Engineering'), (2, 'Sales'), (3, 'Support');
    INSERT INTO employees (name, dept_id, salary, hired, active) VALUES
      ('Ada', 1, 120000, '2019-03-01', true),
      ('Ben', 1, 95000, '2021-07-15', true),
      ('Cleo', 2, 70000, '2020-01-10', true),
      ('Dev', 2, 65000, '2022-11-30', false),
      ('Eve', 3, 50000, '2023-05-05', true);
  `,
};

const types: Dataset = {
  id: "types",
  engine: "postgres",
  setup: `
    CREATE TABLE samples (
      n int8, huge int8, price numeric(8, 2), ratio float8, flag boolean, day date,
      at timestamp, at_tz timestamptz, doc jsonb, tags text[], grid int[], raw bytea, note text
    );
    INSERT INTO samples VALUES (
      42, 9223372036854775807, 19.90, 0.5, true, '2024-02-29',
      '2024-02-29 13:14:15.5', '2024-02-29 13:14:15+02', '{"b": 1, "a": {"d": [1, 2], "c": null}}',
      '{x,"y z"}', '{{1,2},{3,4}}', '\\xdeadbeef', NULL
    );
  `,
};

const limits: Limits = { ...defaultLimits, timeMs: 2_000 };
let sandbox: PostgresSandboxHandle;
const builds: string[] = [];

beforeAll(async () => {
  sandbox = createPostgresSandbox({ onDatasetBuild: (id) => builds.push(id) });
  await sandbox.warm();
});

afterAll(async () => {
  await sandbox.close();
});

const { run, rows } = datasetRuns(() => sandbox, company, limits);

describe("postgres sandbox", () => {
  it("given a filtered, sorted select, returns the matching rows in order with column names", async () => {
    const outcome = await run(
      "SELECT name, salary FROM employees WHERE active AND salary > 60000 ORDER BY salary DESC",
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result.columns).toEqual(["name", "salary"]);
    expect(outcome.result.rows).toEqual([
      ["Ada", "120000.00"],
      ["Ben", "95000.00"],
      ["Cleo", "70000.00"],
    ]);
    expect(outcome.truncated).toBe(false);
    expect(outcome.plan).toBeNull();
  });

  it("given an aggregate over a join, returns one row per group", async () => {
    expect(
      await rows(`
        SELECT d.name, count(*) AS people, avg(e.salary)::int AS mean
        FROM employees e JOIN departments d ON d.id = e.dept_id
        GROUP BY d.name ORDER BY d.name`),
    ).toEqual([
      ["Engineering", 2, 107500],
      ["Sales", 2, 67500],
      ["Support", 1, 50000],
    ]);
  });

  it("given engine types, returns JSON-friendly cells (ISO dates, canonical JSON, safe bigints)", async () => {
    const outcome = await sandbox.run(
      { dataset: types, query: "SELECT * FROM samples", allowWrites: false },
      limits,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result.rows[0]).toEqual([
      42,
      "9223372036854775807",
      "19.90",
      0.5,
      true,
      "2024-02-29",
      "2024-02-29T13:14:15.500",
      "2024-02-29T11:14:15.000Z",
      '{"a":{"c":null,"d":[1,2]},"b":1}',
      '["x","y z"]',
      "[[1,2],[3,4]]",
      "\\xdeadbeef",
      null,
    ]);
  });

  it("given more rows than maxRows, returns maxRows of them and marks the result truncated", async () => {
    const outcome = await run("SELECT g FROM generate_series(1, 10000) g", {}, { ...limits, maxRows: 3 });
    expect(outcome.ok && outcome.result.rows).toEqual([[1], [2], [3]]);
    expect(outcome.ok && outcome.truncated).toBe(true);
    const exact = await run("SELECT g FROM generate_series(1, 3) g", {}, { ...limits, maxRows: 3 });
    expect(exact.ok && exact.truncated).toBe(false);
  });

  it.each([
    ["INSERT INTO employees (name, salary) VALUES ('Zed', 1)"],
    ["UPDATE employees SET salary = 0"],
    ["DELETE FROM employees"],
    ["CREATE TABLE scratch (a int)"],
    ["DROP TABLE employees CASCADE"],
    ["TRUNCATE employees CASCADE"],
    ["WITH gone AS (DELETE FROM employees RETURNING *) SELECT count(*) FROM gone"],
    ["SELECT nextval('employees_id_seq')"],
  ])("given the write %s in a read-only challenge, refuses it as read-only", async (query) => {
    const outcome = await run(query);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe("read-only");
    expect(outcome.message).toMatch(/read-only transaction/);
  });

  it("given several statements in a read-only challenge, refuses them", async () => {
    const outcome = await run("SELECT 1; SELECT 2");
    expect(!outcome.ok && outcome.reason).toBe("blocked");
  });

  it("given allowed writes, the attempt sees them and the next attempt does not", async () => {
    const written = await run(
      "INSERT INTO employees (name, dept_id, salary) VALUES ('Fay', 3, 55000); UPDATE employees SET salary = salary * 2 WHERE name = 'Ada'; DELETE FROM departments WHERE id = 2 AND false; SELECT count(*), max(salary) FROM employees",
      { allowWrites: true },
    );
    expect(written.ok && written.result.rows).toEqual([[6, "240000.00"]]);
    expect(await rows("SELECT count(*), max(salary) FROM employees")).toEqual([[5, "120000.00"]]);
  });

  it("given DDL and sequence use in a write challenge, leaves no trace (sequences included)", async () => {
    const first = await rows(
      "CREATE TABLE scratch (a int); INSERT INTO scratch VALUES (1); INSERT INTO employees (name, salary) VALUES ('Gus', 1) RETURNING id",
      { allowWrites: true },
    );
    const second = await rows("INSERT INTO employees (name, salary) VALUES ('Gus', 1) RETURNING id", {
      allowWrites: true,
    });
    expect(first).toEqual([[6]]);
    expect(second).toEqual([[6]]);
    const gone = await run("SELECT * FROM scratch");
    expect(!gone.ok && gone.message).toMatch(/relation "scratch" does not exist/);
  });

  it("given a check, returns the check's result computed on the attempt's state", async () => {
    const outcome = await run("UPDATE employees SET active = false WHERE dept_id = 1 RETURNING name", {
      allowWrites: true,
      check: "SELECT name FROM employees WHERE active ORDER BY name",
    });
    expect(outcome.ok && outcome.result).toEqual({ columns: ["name"], rows: [["Cleo"], ["Eve"]] });
  });

  it("given a check that fails on the attempt's state, reports the engine's error", async () => {
    const outcome = await run("DROP TABLE departments CASCADE", {
      allowWrites: true,
      check: "SELECT count(*) FROM departments",
    });
    expect(!outcome.ok && outcome.reason).toBe("runtime");
    expect(!outcome.ok && outcome.message).toMatch(/departments/);
  });

  it("given a plan query, returns its plan lines along with the result", async () => {
    const sorted = "SELECT name FROM employees WHERE dept_id = 2 ORDER BY name";
    const outcome = await run(sorted, { planQuery: sorted });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result.rows).toEqual([["Cleo"], ["Dev"]]);
    expect(outcome.plan?.join("\n")).toMatch(/Sort/);
    expect(outcome.plan?.join("\n")).toMatch(/Seq Scan on employees/);
    const byId = "SELECT name FROM employees WHERE id = 1";
    const indexed = await run(byId, { planQuery: byId });
    expect(indexed.ok && indexed.plan?.join("\n")).toMatch(/Index Scan using employees_pkey|Seq Scan/);
  });

  it("given a plan query on a write challenge, explains it after the learner's statements ran", async () => {
    const outcome = await run(
      "CREATE INDEX employees_salary ON employees (salary); SET CONSTRAINTS ALL DEFERRED; DELETE FROM employees WHERE salary > 100000",
      { allowWrites: true, planQuery: "DELETE FROM employees WHERE salary > 100000" },
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.plan?.[0]).toMatch(/^Delete on employees/);
  });

  it.each([
    ["SELEC name FROM employees", "syntax", /syntax error at or near "SELEC"/],
    ["SELECT name FROM employees WHERE", "syntax", /syntax error at end of input/],
    ["SELECT 1 / 0", "runtime", /^division by zero$/],
    ["SELECT * FROM nowhere", "runtime", /^relation "nowhere" does not exist$/],
    ["SELECT nope FROM employees", "runtime", /^column "nope" does not exist$/],
    ["SELECT 'abc'::int", "runtime", /invalid input syntax for type integer/],
  ])("given %s, reports the engine's own %s error", async (query, reason, message) => {
    const outcome = await run(query);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe(reason);
    expect(outcome.message).toMatch(message);
    expect(outcome.message).not.toMatch(/\n|at .*\.js|\/work\//);
  });

  it("given a query or check longer than maxQueryBytes, refuses it before running", async () => {
    const long = `SELECT '${"x".repeat(200)}'`;
    const outcome = await run(long, {}, { ...limits, maxQueryBytes: 100 });
    expect(!outcome.ok && outcome.reason).toBe("too-large");
    const check = await run("SELECT 1", { check: long }, { ...limits, maxQueryBytes: 100 });
    expect(!check.ok && check.reason).toBe("too-large");
  });

  it("given an empty query, reports a syntax error", async () => {
    const outcome = await run("  ;  -- nothing\n");
    expect(!outcome.ok && outcome.reason).toBe("syntax");
  });

  it("given many attempts on one dataset, builds it once (per engine) and never rebuilds it", async () => {
    for (let i = 0; i < 5; i++) await rows("SELECT count(*) FROM departments");
    await rows("SELECT count(*) FROM employees", { allowWrites: true });
    expect(builds.filter((id) => id === "company")).toHaveLength(1);
    expect(builds.filter((id) => id === "types")).toHaveLength(1);
  });

  it("given several runs at once, answers each correctly", async () => {
    const queries = Array.from(
      { length: 8 },
      (_, i) => `SELECT ${i} AS i, count(*) FROM employees WHERE id > ${i % 5}`,
    );
    const outcomes = await Promise.all(
      queries.map((q, i) =>
        run(q, i % 2 === 0 ? {} : { allowWrites: true, check: `SELECT ${i} AS i, ${i} * 2 AS twice` }),
      ),
    );
    outcomes.forEach((outcome, i) => {
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      if (i % 2 === 0) expect(outcome.result.rows).toEqual([[i, 5 - (i % 5)]]);
      else expect(outcome.result.rows).toEqual([[i, i * 2]]);
    });
  });

  it("given a dataset meant for another engine, reports the sandbox unavailable for it", async () => {
    const outcome = await sandbox.run(
      { dataset: { id: "x", engine: "sqlite", setup: "" }, query: "SELECT 1", allowWrites: false },
      limits,
    );
    expect(!outcome.ok && outcome.reason).toBe("unavailable");
  });

  it("given a dataset whose setup fails, reports unavailable and keeps serving others", async () => {
    const broken: Dataset = {
      id: "broken",
      engine: "postgres",
      setup: "CREATE TABLE a (x int); INSERT INTO nope VALUES (1);",
    };
    const outcome = await sandbox.run({ dataset: broken, query: "SELECT 1", allowWrites: false }, limits);
    expect(!outcome.ok && outcome.reason).toBe("unavailable");
    expect(!outcome.ok && outcome.message).toMatch(/nope/);
    expect(await rows("SELECT count(*) FROM departments")).toEqual([[3]]);
  });
});
