import { and, eq, isNull, sql } from "drizzle-orm";
import type { Board } from "../core/ports.js";
import { emptyStreak, recordActivity, type StreakState, type StreakStep } from "../core/rules/streak.js";
import type { Db } from "./client.js";
import {
  activityDays,
  boardCounts,
  boardEntries,
  members,
  pointsLedger,
  questionStats,
  streaks,
  trackMemberships,
} from "./schema.js";

// The aggregates kept beside the ledger: written in the answer's transaction, and by the same
// functions when a learner moves cohort or track. `rebuild` derives them from the ledger alone.

/** A transaction or the database: both take the same queries. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export function boardKey(board: Board): string {
  switch (board.kind) {
    case "all":
      return "all";
    case "week":
      return `week:${board.week}`;
    case "track":
      return `track:${board.trackId}`;
  }
}

/** The boards one ledger entry counts on. */
function boardsOf(entry: { week: number; trackId: string | null }): string[] {
  const keys = ["all", `week:${entry.week}`];
  if (entry.trackId) keys.push(`track:${entry.trackId}`);
  return keys;
}

function changeCount(tx: Tx, cohortId: number, board: string, points: number, delta: 1 | -1): void {
  if (delta === 1) {
    tx.insert(boardCounts)
      .values({ cohortId, board, points, members: 1 })
      .onConflictDoUpdate({
        target: [boardCounts.cohortId, boardCounts.board, boardCounts.points],
        set: { members: sql`${boardCounts.members} + 1` },
      })
      .run();
    return;
  }
  const where = and(
    eq(boardCounts.cohortId, cohortId),
    eq(boardCounts.board, board),
    eq(boardCounts.points, points),
  );
  const left = tx
    .update(boardCounts)
    .set({ members: sql`${boardCounts.members} - 1` })
    .where(where)
    .returning({ members: boardCounts.members })
    .get();
  if (left && left.members <= 0) tx.delete(boardCounts).where(where).run();
}

/**
 * Adds points earned at `at` to one board. Ties go to whoever reached their points first:
 * the time of the latest entry that added points, or of the first entry while there are none.
 * Both are independent of the order entries arrive in, so a rebuild gives the same answer.
 */
function addToBoard(
  tx: Tx,
  cohortId: number,
  board: string,
  memberId: number,
  points: number,
  at: number,
): void {
  const where = and(
    eq(boardEntries.cohortId, cohortId),
    eq(boardEntries.board, board),
    eq(boardEntries.memberId, memberId),
  );
  const before = tx
    .select({ points: boardEntries.points, reachedAt: boardEntries.reachedAt })
    .from(boardEntries)
    .where(where)
    .get();
  if (!before) {
    tx.insert(boardEntries).values({ cohortId, board, memberId, points, reachedAt: at }).run();
    changeCount(tx, cohortId, board, points, 1);
    return;
  }
  const reachedAt =
    points > 0
      ? before.points > 0
        ? Math.max(before.reachedAt, at)
        : at
      : before.points > 0
        ? before.reachedAt
        : Math.min(before.reachedAt, at);
  const total = before.points + points;
  tx.update(boardEntries).set({ points: total, reachedAt }).where(where).run();
  if (total !== before.points) {
    changeCount(tx, cohortId, board, before.points, -1);
    changeCount(tx, cohortId, board, total, 1);
  }
}

export interface LedgerFacts {
  memberId: number;
  cohortId: number | null;
  trackId: string | null;
  questionId: string;
  correct: boolean;
  points: number;
  week: number;
  day: string;
  at: Date;
}

function readStreak(tx: Tx, memberId: number, unit: "day" | "week"): StreakState {
  const row = tx
    .select()
    .from(streaks)
    .where(and(eq(streaks.memberId, memberId), eq(streaks.unit, unit)))
    .get();
  return row
    ? { current: row.current, longest: row.longest, lastUnit: row.lastUnit, freezes: row.freezes }
    : emptyStreak;
}

function writeStreak(tx: Tx, memberId: number, unit: "day" | "week", state: StreakState): void {
  tx.insert(streaks)
    .values({ memberId, unit, ...state })
    .onConflictDoUpdate({ target: [streaks.memberId, streaks.unit], set: state })
    .run();
}

/** Everything one new ledger entry changes, in the caller's transaction. */
export function applyLedgerEntry(tx: Tx, facts: LedgerFacts): Record<"day" | "week", StreakStep> {
  const at = facts.at.getTime();
  if (facts.cohortId !== null) {
    for (const board of boardsOf(facts))
      addToBoard(tx, facts.cohortId, board, facts.memberId, facts.points, at);
    tx.insert(questionStats)
      .values({
        cohortId: facts.cohortId,
        questionId: facts.questionId,
        attempts: 1,
        correct: facts.correct ? 1 : 0,
      })
      .onConflictDoUpdate({
        target: [questionStats.cohortId, questionStats.questionId],
        set: {
          attempts: sql`${questionStats.attempts} + 1`,
          correct: sql`${questionStats.correct} + ${facts.correct ? 1 : 0}`,
        },
      })
      .run();
  }
  tx.insert(activityDays)
    .values({ memberId: facts.memberId, day: facts.day, activities: 1 })
    .onConflictDoUpdate({
      target: [activityDays.memberId, activityDays.day],
      set: { activities: sql`${activityDays.activities} + 1` },
    })
    .run();
  const steps = {
    day: recordActivity(readStreak(tx, facts.memberId, "day"), facts.day, "day"),
    week: recordActivity(readStreak(tx, facts.memberId, "week"), facts.day, "week"),
  };
  writeStreak(tx, facts.memberId, "day", steps.day.state);
  writeStreak(tx, facts.memberId, "week", steps.week.state);
  return steps;
}

/** The member's cohort and current track, as the database has them now. */
export function placeOf(tx: Tx, memberId: number): { cohortId: number | null; trackId: string | null } {
  const row = tx
    .select({ cohortId: members.cohortId, trackId: trackMemberships.trackId })
    .from(members)
    .leftJoin(
      trackMemberships,
      and(eq(trackMemberships.memberId, members.id), isNull(trackMemberships.leftAt)),
    )
    .where(eq(members.id, memberId))
    .get();
  return { cohortId: row?.cohortId ?? null, trackId: row?.trackId ?? null };
}

/**
 * Puts a learner on the boards of where they are now: off every board, then back on their
 * cohort's boards from their own ledger entries (a learner has hundreds, never millions).
 */
export function placeOnBoards(tx: Tx, memberId: number): void {
  const current = tx
    .select({
      cohortId: boardEntries.cohortId,
      board: boardEntries.board,
      points: boardEntries.points,
    })
    .from(boardEntries)
    .where(eq(boardEntries.memberId, memberId))
    .all();
  for (const row of current) changeCount(tx, row.cohortId, row.board, row.points, -1);
  tx.delete(boardEntries).where(eq(boardEntries.memberId, memberId)).run();

  const { cohortId, trackId } = placeOf(tx, memberId);
  if (cohortId === null) return;
  const entries = tx
    .select({
      points: pointsLedger.points,
      week: pointsLedger.week,
      trackId: pointsLedger.trackId,
      createdAt: pointsLedger.createdAt,
    })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.memberId, memberId), eq(pointsLedger.cohortId, cohortId)))
    .orderBy(pointsLedger.id)
    .all();
  for (const entry of entries) {
    const onTrack = entry.trackId !== null && entry.trackId === trackId;
    for (const board of boardsOf({ week: entry.week, trackId: onTrack ? entry.trackId : null })) {
      addToBoard(tx, cohortId, board, memberId, entry.points, entry.createdAt.getTime());
    }
  }
}

export interface RebuildReport {
  ledgerEntries: number;
  boardEntries: number;
  streaks: number;
  activityDays: number;
}

/**
 * Throws the aggregates away and derives them from the ledger, in one transaction:
 * set-based SQL for boards and tallies, the streak rule folded over each learner's days.
 */
export function rebuildAggregates(db: Db): RebuildReport {
  return db.transaction((tx) => {
    for (const table of [boardEntries, boardCounts, streaks, activityDays, questionStats])
      tx.delete(table).run();
    const reached = sql`coalesce(max(CASE WHEN l.points > 0 THEN l.created_at END), min(l.created_at))`;
    const current = sql`FROM points_ledger l JOIN members m ON m.id = l.member_id AND m.cohort_id = l.cohort_id`;
    tx.run(sql`INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at)
      SELECT l.cohort_id, 'all', l.member_id, sum(l.points), ${reached} ${current}
      GROUP BY l.cohort_id, l.member_id`);
    tx.run(sql`INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at)
      SELECT l.cohort_id, 'week:' || l.week, l.member_id, sum(l.points), ${reached} ${current}
      GROUP BY l.cohort_id, l.week, l.member_id`);
    tx.run(sql`INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at)
      SELECT l.cohort_id, 'track:' || l.track_id, l.member_id, sum(l.points), ${reached} ${current}
      JOIN track_memberships t ON t.member_id = l.member_id AND t.left_at IS NULL AND t.track_id = l.track_id
      GROUP BY l.cohort_id, l.track_id, l.member_id`);
    tx.run(sql`INSERT INTO board_counts (cohort_id, board, points, members)
      SELECT cohort_id, board, points, count(*) FROM board_entries GROUP BY cohort_id, board, points`);
    tx.run(sql`INSERT INTO question_stats (cohort_id, question_id, attempts, correct)
      SELECT cohort_id, question_id, count(*), sum(correct) FROM points_ledger
      WHERE cohort_id IS NOT NULL AND question_id IS NOT NULL AND day IS NOT NULL
      GROUP BY cohort_id, question_id`);
    tx.run(sql`INSERT INTO activity_days (member_id, day, activities)
      SELECT member_id, day, count(*) FROM points_ledger WHERE day IS NOT NULL GROUP BY member_id, day`);

    // The streak rule is a fold over each learner's days in the order they were recorded.
    let streakRows = 0;
    let member: number | undefined;
    let state = { day: emptyStreak, week: emptyStreak };
    const flush = () => {
      if (member === undefined) return;
      writeStreak(tx, member, "day", state.day);
      writeStreak(tx, member, "week", state.week);
      streakRows += 2;
    };
    // Read in pages (a connection cannot write while a statement iterates).
    let after = { memberId: 0, id: 0 };
    for (;;) {
      const page = tx
        .select({ id: pointsLedger.id, memberId: pointsLedger.memberId, day: pointsLedger.day })
        .from(pointsLedger)
        .where(
          sql`${pointsLedger.day} IS NOT NULL AND (${pointsLedger.memberId}, ${pointsLedger.id}) > (${after.memberId}, ${after.id})`,
        )
        .orderBy(pointsLedger.memberId, pointsLedger.id)
        .limit(50_000)
        .all();
      for (const row of page) {
        if (row.day === null) continue;
        if (row.memberId !== member) {
          flush();
          member = row.memberId;
          state = { day: emptyStreak, week: emptyStreak };
        }
        state = {
          day: recordActivity(state.day, row.day, "day").state,
          week: recordActivity(state.week, row.day, "week").state,
        };
      }
      const last = page.at(-1);
      if (!last) break;
      after = { memberId: last.memberId, id: last.id };
    }
    flush();
    const count = (table: string) =>
      Number(tx.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0);
    return {
      ledgerEntries: count("points_ledger"),
      boardEntries: count("board_entries"),
      streaks: streakRows,
      activityDays: count("activity_days"),
    };
  });
}
