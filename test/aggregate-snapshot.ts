import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { rebuildAggregatesAtOnce } from "../src/db/rebuild.js";
import * as schema from "../src/db/schema.js";

/** Each aggregate table with an order that makes its snapshot independent of how rows were written. */
export const aggregateTables = {
  board_entries: "cohort_id, board, member_id",
  board_counts: "cohort_id, board, points",
  board_day_counts: "cohort_id, board, points, day",
  streaks: "member_id, unit",
  activity_days: "member_id, day",
  question_stats: "cohort_id, question_id",
} as const;

export type AggregateSnapshot = Record<keyof typeof aggregateTables, unknown[]>;

/** Every row of every aggregate table, in a fixed order, so two snapshots compare with toEqual. */
export function aggregateSnapshot(sqlite: Database.Database): AggregateSnapshot {
  const rows = (table: keyof typeof aggregateTables) =>
    sqlite.prepare(`SELECT * FROM ${table} ORDER BY ${aggregateTables[table]}`).all();
  return {
    board_entries: rows("board_entries"),
    board_counts: rows("board_counts"),
    board_day_counts: rows("board_day_counts"),
    streaks: rows("streaks"),
    activity_days: rows("activity_days"),
    question_stats: rows("question_stats"),
  };
}

/**
 * The aggregates as the bot kept them, and as a rebuild from the ledger makes them. The rebuild
 * rewrites the tables in place, so this is for a database the test owns and nothing else has open.
 */
export function keptAndRebuiltAggregates(sqlite: Database.Database): {
  kept: AggregateSnapshot;
  rebuilt: AggregateSnapshot;
} {
  const kept = aggregateSnapshot(sqlite);
  rebuildAggregatesAtOnce(drizzle(sqlite, { schema }));
  return { kept, rebuilt: aggregateSnapshot(sqlite) };
}
