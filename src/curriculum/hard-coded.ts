import type { Challenge, DatasetSpec } from "../core/curriculum/bank.js";
import { compareResults } from "../core/grading/compare.js";
import type { Grader } from "../core/grading/grader.js";
import type { Cell, ResultSet } from "../core/sandbox.js";

// A hard-coded copy of a challenge's visible answer: a query that spells out the reference's result on the
// dataset a learner sees (for tasks that write, statements that put the visible end state in place). It
// passes on that dataset and must fail on a variant; authors' tests and `challenge test` prove it.

export type HardCoded = { ok: true; query: string } | { ok: false; why: string };

const sqlIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function sqlLiteral(cell: Cell, engine: "sqlite" | "postgres"): string {
  if (cell === null) return "NULL";
  if (typeof cell === "boolean") return engine === "postgres" ? String(cell).toUpperCase() : cell ? "1" : "0";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : `'${cell}'`;
  return `'${cell.replaceAll("'", "''")}'`;
}

/** A PostgreSQL column type that holds every value of a column as the engine returned it. */
function sqlType(cells: readonly Cell[]): string {
  const present = cells.filter((c) => c !== null);
  if (present.length > 0 && present.every((c) => typeof c === "boolean")) return "boolean";
  if (present.length > 0 && present.every((c) => typeof c === "number"))
    return present.every((c) => Number.isInteger(c)) ? "bigint" : "double precision";
  return "text";
}

/** SELECT … that returns `result` row for row, in order, whatever the data. */
function literalSelect(result: ResultSet, engine: "sqlite" | "postgres"): string {
  const columns = result.columns.map(sqlIdent);
  const rows = result.rows.map(
    (row, i) => `(${[String(i), ...row.map((cell) => sqlLiteral(cell, engine))].join(", ")})`,
  );
  const names = ["ord", ...result.columns.map((_, i) => `c${i}`)].join(", ");
  const picked = columns.map((column, i) => `c${i} AS ${column}`).join(", ");
  return `WITH hard(${names}) AS (VALUES ${rows.join(", ")}) SELECT ${picked} FROM hard ORDER BY ord`;
}

/** Statements that replace a table by a copy of `rows` (the visible end state). */
function replaceTable(
  table: string,
  existed: boolean,
  rows: ResultSet,
  engine: "sqlite" | "postgres",
): string {
  const lines = existed ? [`ALTER TABLE ${sqlIdent(table)} RENAME TO ${sqlIdent(`${table}_seen`)};`] : [];
  const columns = rows.columns.map((c, i) =>
    engine === "postgres" ? `${sqlIdent(c)} ${sqlType(rows.rows.map((r) => r[i] ?? null))}` : sqlIdent(c),
  );
  lines.push(`CREATE TABLE ${sqlIdent(table)} (${columns.join(", ")});`);
  if (rows.rows.length > 0) {
    const values = rows.rows.map((row) => `(${row.map((cell) => sqlLiteral(cell, engine)).join(", ")})`);
    lines.push(`INSERT INTO ${sqlIdent(table)} VALUES ${values.join(", ")};`);
  }
  return lines.join("\n");
}

/** A document with the result's columns as (nested, for dotted names) fields. */
function documentOf(columns: readonly string[], row: readonly Cell[]): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const path = column.split(".");
    let at = doc;
    for (const key of path.slice(0, -1)) {
      if (at[key] === undefined) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    at[path.at(-1) ?? column] = row[i] ?? null;
  });
  return doc;
}

function firstCollection(query: string): string | undefined {
  return /db\.([A-Za-z_][\w]*)\s*\./.exec(query)?.[1];
}

const redisArg = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** The reference's visible result spelt out, for a task that reads. */
function readCopy(challenge: Challenge, result: ResultSet): HardCoded {
  switch (challenge.engine) {
    case "sqlite":
    case "postgres":
      return { ok: true, query: literalSelect(result, challenge.engine) };
    case "mongodb": {
      const collection = firstCollection(challenge.solution);
      if (!collection) return { ok: false, why: "the solution names no collection" };
      const docs = JSON.stringify(result.rows.map((row) => documentOf(result.columns, row)));
      return {
        ok: true,
        query: `db.${collection}.aggregate([{ $limit: 1 }, { $project: { _id: 0, rows: { $literal: ${docs} } } }, { $unwind: "$rows" }, { $replaceWith: "$rows" }])`,
      };
    }
    case "redis": {
      // A task that reads refuses writes: a transaction of ECHOs replies with the values as an array.
      const echoes = result.rows.map((row) => `ECHO ${redisArg(row[0] === null ? "" : String(row[0]))}`);
      return { ok: true, query: ["MULTI", ...echoes, "EXEC"].join("\n") };
    }
  }
}

const CREATE_TABLE =
  /CREATE\s+(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z_]\w*)"?/gi;

/** What a write task's check sees after `statements` ran: each named part of the state, as a result. */
async function stateAfter(
  grader: Grader,
  challenge: Challenge,
  statements: string,
  label: string,
  parts: readonly { name: string; check: string }[],
): Promise<Map<string, ResultSet>> {
  const state = new Map<string, ResultSet>();
  for (const part of parts) {
    const probe: Challenge = {
      ...challenge,
      id: `${challenge.id}~${label}~${part.name}`,
      solution: statements,
      check: part.check,
      variants: [],
    };
    delete probe.plan;
    const outcome = await grader.referenceOn(probe, 0);
    if (outcome?.ok) state.set(part.name, outcome.result);
  }
  return state;
}

/** Statements that put the visible end state of a write task in place, whatever the data was. */
async function writeCopy(grader: Grader, challenge: Challenge, dataset: DatasetSpec): Promise<HardCoded> {
  const noOp = { sqlite: "SELECT 1", postgres: "SELECT 1", mongodb: "", redis: "PING" }[challenge.engine];
  if (challenge.engine === "sqlite" || challenge.engine === "postgres") {
    const engine = challenge.engine;
    const tables = [
      ...new Set(
        [...`${dataset.setup}\n${challenge.solution}`.matchAll(CREATE_TABLE)].map((m) => m[1] ?? ""),
      ),
    ];
    const parts = tables.map((name) => ({ name, check: `SELECT * FROM ${sqlIdent(name)}` }));
    const before = await stateAfter(grader, challenge, noOp, "before", parts);
    const after = await stateAfter(grader, challenge, challenge.solution, "after", parts);
    const changed = [...after].filter(([name, rows]) => {
      const was = before.get(name);
      return !was || !compareResults(was, rows, { ordered: false }).same;
    });
    if (changed.length === 0) return { ok: false, why: "the solution changes no table's rows" };
    return {
      ok: true,
      query: changed.map(([name, rows]) => replaceTable(name, before.has(name), rows, engine)).join("\n"),
    };
  }
  if (challenge.engine === "mongodb") {
    const names = Object.keys(JSON.parse(dataset.setup) as object).filter((n) => !n.startsWith("$"));
    const parts = names.map((name) => ({ name, check: `db.${name}.find({})` }));
    const after = await stateAfter(grader, challenge, challenge.solution, "after", parts);
    const statements = [...after].flatMap(([name, rows]) => [
      `db.${name}.deleteMany({})`,
      ...(rows.rows.length > 0
        ? [`db.${name}.insertMany(${JSON.stringify(rows.rows.map((row) => documentOf(rows.columns, row)))})`]
        : []),
    ]);
    return statements.length > 0
      ? { ok: true, query: statements.join("\n") }
      : { ok: false, why: "no collection" };
  }
  // Redis: every key the solution leaves, with its value and time to live.
  const keysAfter = await stateAfter(grader, challenge, challenge.solution, "keys", [
    { name: "keys", check: "KEYS *" },
  ]);
  const keys = (keysAfter.get("keys")?.rows ?? []).map((row) => String(row[0]));
  const keysBefore = await stateAfter(grader, challenge, noOp, "keys-before", [
    { name: "keys", check: "KEYS *" },
  ]);
  const lines = (keysBefore.get("keys")?.rows ?? []).map((row) => `DEL ${redisArg(String(row[0]))}`);
  for (const key of keys) {
    const quoted = redisArg(key);
    const probe = await stateAfter(grader, challenge, challenge.solution, `key-${key}`, [
      { name: "type", check: `TYPE ${quoted}` },
      { name: "ttl", check: `PTTL ${quoted}` },
    ]);
    const type = String(probe.get("type")?.rows[0]?.[0] ?? "");
    const read = {
      string: `GET ${quoted}`,
      list: `LRANGE ${quoted} 0 -1`,
      set: `SMEMBERS ${quoted}`,
      hash: `HGETALL ${quoted}`,
      zset: `ZRANGE ${quoted} 0 -1 WITHSCORES`,
    }[type];
    if (!read) return { ok: false, why: `key ${key} is a ${type || "unknown type"}` };
    const value = await stateAfter(grader, challenge, challenge.solution, `value-${key}`, [
      { name: "value", check: read },
    ]);
    const cells = (value.get("value")?.rows ?? []).map((row) => redisArg(String(row[0])));
    const write = {
      string: `SET ${quoted} ${cells[0] ?? '""'}`,
      list: `RPUSH ${quoted} ${cells.join(" ")}`,
      set: `SADD ${quoted} ${cells.join(" ")}`,
      hash: `HSET ${quoted} ${cells.join(" ")}`,
      zset: `ZADD ${quoted} ${pairsSwapped(cells).join(" ")}`,
    }[type];
    lines.push(`DEL ${quoted}`, write ?? "");
    const ttl = Number(probe.get("ttl")?.rows[0]?.[0] ?? -1);
    if (ttl > 0) lines.push(`PEXPIRE ${quoted} ${ttl}`);
  }
  return { ok: true, query: lines.join("\n") };
}

/** ZRANGE … WITHSCORES gives member, score; ZADD takes score, member. */
function pairsSwapped(cells: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < cells.length; i += 2) out.push(cells[i + 1] ?? "0", cells[i] ?? "");
  return out;
}

/** The hard-coded copy of a challenge's visible answer, or why there is nothing to copy. */
export async function hardCodedCopy(
  grader: Grader,
  challenge: Challenge,
  dataset: DatasetSpec,
): Promise<HardCoded> {
  if (challenge.writes) return writeCopy(grader, challenge, dataset);
  const visible = await grader.referenceOn(challenge, 0);
  if (!visible?.ok) return { ok: false, why: "the reference does not run on the dataset" };
  return readCopy(challenge, visible.result);
}
