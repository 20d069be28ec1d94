import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { cohorts, members } from "./schema-people.js";

// The aggregates kept beside the ledger (boards, streaks, activity, question tallies): part of the
// PostgreSQL schema (see schema.ts). Every one of them is rebuilt from points_ledger.

/**
 * One leaderboard row per learner and board: a cohort's "all", "week:N" or "track:<id>".
 * Kept for the cohort's current members, updated in the answer's transaction.
 */
export const boardEntries = pgTable(
  "board_entries",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    board: text("board").notNull(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    points: integer("points").notNull(),
    /** When the learner reached these points: ties go to whoever got there first. */
    // UTC milliseconds as in SQLite (ranking divides them into epoch days): past integer's range, so bigint.
    reachedAt: bigint("reached_at", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.board, t.memberId] }),
    // Top-N reads this index in order; own rank counts ties inside one points value.
    index("board_entries_rank").on(t.cohortId, t.board, sql`${t.points} DESC`, t.reachedAt, t.memberId),
  ],
);

/** How many learners of a board hold each points value: own rank sums these instead of counting rows. */
export const boardCounts = pgTable(
  "board_counts",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    board: text("board").notNull(),
    points: integer("points").notNull(),
    members: integer("members").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.board, t.points] })],
);

/**
 * The same counts split by the day the points were reached (epoch days, UTC): own rank adds
 * whole earlier days of a tie and counts rows only inside its own day.
 */
export const boardDayCounts = pgTable(
  "board_day_counts",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    board: text("board").notNull(),
    points: integer("points").notNull(),
    day: integer("day").notNull(),
    members: integer("members").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.board, t.points, t.day] })],
);

/** A learner's streak, kept in both units so a cohort can switch between daily and weekly. */
export const streaks = pgTable(
  "streaks",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    unit: text("unit", { enum: ["day", "week"] }).notNull(),
    current: integer("current").notNull(),
    longest: integer("longest").notNull(),
    /** The last active day, or the Monday of the last active week (YYYY-MM-DD). */
    lastUnit: text("last_unit"),
    freezes: integer("freezes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.unit] }), index("streaks_unit_last").on(t.unit, t.lastUnit)],
);

/** Activities per learner and local day: the streak heat-map. */
export const activityDays = pgTable(
  "activity_days",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    activities: integer("activities").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.day] })],
);

/** Attempts and right answers per cohort and question, for accuracy per topic in /stats. */
export const questionStats = pgTable(
  "question_stats",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    attempts: integer("attempts").notNull(),
    correct: integer("correct").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.questionId] })],
);
