/** One attempt on the Redis interpreter over an empty store, and its replies read back as cells. */
import { expect } from "vitest";
import type { Cell } from "../src/core/sandbox.js";
import { runAttempt, scriptLimits } from "../src/sandbox/redis/interpreter.js";
import { emptySnapshot, Store } from "../src/sandbox/redis/store.js";

export const MiB = 1024 * 1024;

export const lines = (...commands: string[]) => commands.join("\n");

/** Runs `query` on an empty store (64 MiB, writes allowed, 1,000 rows unless the options say otherwise). */
export function attempt(
  query: string,
  options: { allowWrites?: boolean; check?: string; memoryMb?: number; maxRows?: number } = {},
) {
  const store = new Store(emptySnapshot(), (options.memoryMb ?? 64) * MiB);
  return runAttempt(
    store,
    { query, check: options.check, allowWrites: options.allowWrites ?? true },
    { ...scriptLimits, maxRows: options.maxRows ?? 1000 },
  );
}

/** The last reply's cells, one per row. */
export function values(query: string): Cell[] {
  const outcome = attempt(query);
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome.result.rows.map((row) => row[0] ?? null);
}

/** The last reply's one cell. */
export function value(query: string): Cell {
  const rows = values(query);
  expect(rows).toHaveLength(1);
  return rows[0] ?? null;
}

/** How the attempt failed; throws if it did not. */
export function failure(query: string, options: { allowWrites?: boolean; memoryMb?: number } = {}) {
  const outcome = attempt(query, options);
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.result.rows)}`);
  return { reason: outcome.reason, message: outcome.message };
}
