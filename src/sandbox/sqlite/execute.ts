/**
 * One attempt on a fresh in-memory clone of a dataset, and the dataset build itself. Runs inside
 * the child process (child.ts); nothing here is ever called in the bot's own process.
 */

import Database from "better-sqlite3";
import type { Cell } from "../../core/sandbox.js";
import type { Outcome } from "../kit/outcome.js";
import { emptyText } from "../kit/preflight.js";
import { cellSize, resultTooLarge, toCell } from "./cells.js";
import { AttemptError, classify, shortMessage } from "./errors.js";
import type { RunJob } from "./protocol.js";
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

interface Collected {
  columns: string[];
  rows: Cell[][];
  truncated: boolean;
}

/** Runs `job` on a private copy of `bytes`; the copy is closed (and gone) when this returns. */
export function runAttempt(bytes: Buffer, job: RunJob): Outcome {
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
    if (statements.length === 0) throw new AttemptError("syntax", emptyText().message);
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
        if (budget < 0) throw resultTooLarge(job.maxResultBytes);
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
