/**
 * One attempt on a fresh in-memory clone of a dataset, and the dataset build itself. Runs inside
 * the child process (child.ts); nothing here is ever called in the bot's own process.
 */

import Database from "better-sqlite3";
import type { Cell, FailureReason } from "../../core/sandbox.js";
import type { AttemptOutcome, RunJob } from "./protocol.js";
import { blockedReason, splitStatements, startsWithExplain } from "./sql-text.js";

/** Builds a dataset from its (trusted) setup script and returns the database as bytes. */
export function buildDataset(setup: string): Buffer {
  const db = new Database(":memory:");
  try {
    db.pragma("trusted_schema = OFF");
    db.pragma("temp_store = MEMORY");
    db.exec(setup);
    return db.serialize();
  } finally {
    db.close();
  }
}

class AttemptError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

interface Collected {
  columns: string[];
  rows: Cell[][];
  truncated: boolean;
}

/** Runs `job` on a private copy of `bytes`; the copy is closed (and gone) when this returns. */
export function runAttempt(bytes: Buffer, job: RunJob): AttemptOutcome {
  let db: Database.Database | undefined;
  try {
    for (const text of job.check === undefined ? [job.query] : [job.query, job.check]) {
      const blocked = blockedReason(text);
      if (blocked) throw new AttemptError("blocked", blocked);
    }
    db = new Database(bytes, { readonly: !job.allowWrites });
    db.pragma("trusted_schema = OFF");
    db.pragma("temp_store = MEMORY");
    // Learners cannot run PRAGMA, so they cannot turn this off again.
    if (!job.allowWrites) db.pragma("query_only = ON");

    const statements = splitStatements(job.query);
    if (statements.length === 0) throw new AttemptError("syntax", "The query is empty.");
    let last: Collected | null = null;
    if (!job.allowWrites) {
      if (statements.length > 1) {
        throw new AttemptError("blocked", "Only one statement is allowed in this task.");
      }
      // The whole text, not the split piece: prepare() itself refuses a second statement.
      last = runStatement(db, job.query, job);
    } else {
      for (const statement of statements) last = runStatement(db, statement, job) ?? last;
    }
    if (job.check !== undefined) {
      last = null;
      for (const statement of splitStatements(job.check)) last = runStatement(db, statement, job) ?? last;
    }
    // The plan judged is the task's own query on the state the learner left, never their text.
    const plan = job.planQuery === null ? null : explain(db, job.planQuery);
    const result = last ?? { columns: [], rows: [], truncated: false };
    return {
      ok: true,
      result: { columns: result.columns, rows: result.rows },
      plan,
      truncated: result.truncated,
    };
  } catch (error) {
    return { ok: false, ...classify(error) };
  } finally {
    db?.close();
  }
}

/** Prepares and runs one statement; returns its rows when it returns any (a SELECT, a RETURNING). */
function runStatement(db: Database.Database, sql: string, job: RunJob): Collected | null {
  const stmt = db.prepare(sql);
  if (!stmt.reader) {
    stmt.run();
    return null;
  }
  stmt.raw(true);
  stmt.safeIntegers(true);
  const columns = stmt.columns().map((c) => c.name);
  const rows: Cell[][] = [];
  let budget = job.maxResultBytes;
  for (const name of columns) budget -= name.length;
  let truncated = false;
  const iterator = stmt.iterate() as IterableIterator<unknown[]>;
  try {
    for (const raw of iterator) {
      if (rows.length >= job.maxRows) {
        truncated = true;
        break;
      }
      const row: Cell[] = [];
      for (const value of raw) {
        const cell = toCell(value, budget);
        budget -= cellSize(cell);
        if (budget < 0) throw tooLarge(job.maxResultBytes);
        row.push(cell);
      }
      rows.push(row);
    }
  } finally {
    iterator.return?.();
  }
  return { columns, rows, truncated };
}

/** The EXPLAIN QUERY PLAN lines of a trusted query, indented by depth. */
function explain(db: Database.Database, sql: string): string[] {
  const plan: string[] = [];
  if (startsWithExplain(sql)) return plan;
  let rows: { id: number; parent: number; detail: string }[];
  try {
    rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as typeof rows;
  } catch (error) {
    return [`(no plan: ${shortMessage(error)})`];
  }
  const depth = new Map<number, number>();
  for (const row of rows) {
    const d = row.parent === 0 ? 0 : (depth.get(row.parent) ?? 0) + 1;
    depth.set(row.id, d);
    plan.push(`${"  ".repeat(d)}${row.detail}`);
  }
  return plan;
}

const tooLarge = (limit: number): AttemptError =>
  new AttemptError("too-large", `The result is larger than ${Math.round(limit / 1024)} KiB.`);

/** A value from SQLite as a Cell: bigints as numbers when safe, blobs as upper-case hex. */
function toCell(value: unknown, budget: number): Cell {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    if (Number.isNaN(value)) return null;
    return value > 0 ? "Inf" : "-Inf"; // as SQLite spells them in text
  }
  if (Buffer.isBuffer(value)) {
    if (value.length * 2 > budget) throw new AttemptError("too-large", "The result is too large.");
    return value.toString("hex").toUpperCase();
  }
  return String(value);
}

const cellSize = (cell: Cell): number => (typeof cell === "string" ? cell.length : 8);

/** SQLite's messages that mean "too big" rather than "wrong". */
const tooLargePatterns = [
  /expression tree is too large/i,
  /parser stack overflow/i,
  /recursion limit/i,
  /too many (terms|columns|arguments|sql variables|attached)/i,
  /string or blob too big/i,
  /statement too long/i,
];
const syntaxPatterns = [/syntax error/i, /incomplete input/i, /unrecognized token/i];

/** Maps a thrown error to a reason and a short, path-free message. */
export function classify(error: unknown): { reason: FailureReason; message: string } {
  if (error instanceof AttemptError) return { reason: error.reason, message: error.message };
  const message = shortMessage(error);
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code.startsWith("SQLITE_READONLY") || /readonly database/i.test(message)) {
    return { reason: "read-only", message: `This task is read-only; writes are not allowed (${message}).` };
  }
  if (code === "SQLITE_NOMEM" || /out of memory/i.test(message)) {
    return { reason: "memory", message: "The query ran out of memory." };
  }
  if (code === "SQLITE_TOOBIG" || tooLargePatterns.some((p) => p.test(message))) {
    return { reason: "too-large", message };
  }
  if (code === "SQLITE_AUTH" || /not authorized/i.test(message)) return { reason: "blocked", message };
  if (error instanceof RangeError) {
    if (/more than one statement/i.test(message)) {
      return { reason: "blocked", message: "Only one statement is allowed in this task." };
    }
    if (/no statements/i.test(message)) return { reason: "syntax", message: "The query is empty." };
    if (/invalid string length|allocation failed|invalid array length/i.test(message)) {
      return { reason: "memory", message: "The result does not fit in memory." };
    }
  }
  if (syntaxPatterns.some((p) => p.test(message))) return { reason: "syntax", message };
  return { reason: "runtime", message };
}

/** The first line of an error's message, without host paths, at most 300 characters. */
export function shortMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  let line = raw.split("\n", 1)[0] ?? "";
  for (const root of hostRoots()) line = line.split(root).join("<path>");
  return line.length > 300 ? `${line.slice(0, 297)}...` : line || "Unknown error.";
}

function hostRoots(): string[] {
  const roots = [process.cwd(), process.env.HOME];
  return roots.filter((r): r is string => typeof r === "string" && r.length > 1);
}
