import type Database from "better-sqlite3";
import { emptyStreak, type StreakState, type StreakUnit } from "../core/rules/streak.js";
import { boardsOf, dayOf, entryAfter } from "./board-rules.js";
import type { Db } from "./client.js";
import type { LedgerFacts, Place } from "./ledger-entry.js";

// The aggregates kept beside the ledger: written in the answer's transaction, and by the same
// functions when a learner moves cohort or track. rebuild.ts derives them from the ledger alone.

/**
 * The answer path runs these for every answer, so they are prepared once per connection
 * (plain SQL: Drizzle's builder costs more per call than the statements themselves).
 * They run inside whatever transaction the connection is in.
 */
function prepare(sqlite: Database.Database) {
  return {
    place: sqlite.prepare<[number], { cohortId: number | null; trackId: string | null }>(
      `SELECT m.cohort_id AS cohortId, t.track_id AS trackId FROM members m
       LEFT JOIN track_memberships t ON t.member_id = m.id AND t.left_at IS NULL WHERE m.id = ?`,
    ),
    entry: sqlite.prepare<[number, string, number], { points: number; reachedAt: number }>(
      `SELECT points, reached_at AS reachedAt FROM board_entries
       WHERE cohort_id = ? AND board = ? AND member_id = ?`,
    ),
    insertEntry: sqlite.prepare<[number, string, number, number, number]>(
      "INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at) VALUES (?, ?, ?, ?, ?)",
    ),
    updateEntry: sqlite.prepare<[number, number, number, string, number]>(
      "UPDATE board_entries SET points = ?, reached_at = ? WHERE cohort_id = ? AND board = ? AND member_id = ?",
    ),
    countUp: sqlite.prepare<[number, string, number]>(
      `INSERT INTO board_counts (cohort_id, board, points, members) VALUES (?, ?, ?, 1)
       ON CONFLICT (cohort_id, board, points) DO UPDATE SET members = members + 1`,
    ),
    countDown: sqlite.prepare<[number, string, number], { members: number }>(
      "UPDATE board_counts SET members = members - 1 WHERE cohort_id = ? AND board = ? AND points = ? RETURNING members",
    ),
    countDrop: sqlite.prepare<[number, string, number]>(
      "DELETE FROM board_counts WHERE cohort_id = ? AND board = ? AND points = ? AND members <= 0",
    ),
    dayUp: sqlite.prepare<[number, string, number, number]>(
      `INSERT INTO board_day_counts (cohort_id, board, points, day, members) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (cohort_id, board, points, day) DO UPDATE SET members = members + 1`,
    ),
    dayDown: sqlite.prepare<[number, string, number, number], { members: number }>(
      "UPDATE board_day_counts SET members = members - 1 WHERE cohort_id = ? AND board = ? AND points = ? AND day = ? RETURNING members",
    ),
    dayDrop: sqlite.prepare<[number, string, number, number]>(
      "DELETE FROM board_day_counts WHERE cohort_id = ? AND board = ? AND points = ? AND day = ? AND members <= 0",
    ),
    memberEntries: sqlite.prepare<
      [number],
      { cohortId: number; board: string; points: number; reachedAt: number }
    >(
      "SELECT cohort_id AS cohortId, board, points, reached_at AS reachedAt FROM board_entries WHERE member_id = ?",
    ),
    dropMemberEntries: sqlite.prepare<[number]>("DELETE FROM board_entries WHERE member_id = ?"),
    memberLedger: sqlite.prepare<
      [number, number],
      { points: number; week: number; trackId: string | null; createdAt: number }
    >(
      `SELECT points, week, track_id AS trackId, created_at AS createdAt FROM points_ledger
       WHERE member_id = ? AND cohort_id = ? ORDER BY id`,
    ),
    questionStat: sqlite.prepare<[number, string, number]>(
      `INSERT INTO question_stats (cohort_id, question_id, attempts, correct) VALUES (?, ?, 1, ?)
       ON CONFLICT (cohort_id, question_id) DO UPDATE SET attempts = attempts + 1, correct = correct + excluded.correct`,
    ),
    activity: sqlite.prepare<[number, string]>(
      `INSERT INTO activity_days (member_id, day, activities) VALUES (?, ?, 1)
       ON CONFLICT (member_id, day) DO UPDATE SET activities = activities + 1`,
    ),
    streak: sqlite.prepare<[number, string], StreakState>(
      "SELECT current, longest, last_unit AS lastUnit, freezes FROM streaks WHERE member_id = ? AND unit = ?",
    ),
    saveStreak: sqlite.prepare<[number, string, number, number, string | null, number]>(
      `INSERT INTO streaks (member_id, unit, current, longest, last_unit, freezes) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (member_id, unit) DO UPDATE SET current = excluded.current, longest = excluded.longest,
       last_unit = excluded.last_unit, freezes = excluded.freezes`,
    ),
  };
}
type Statements = ReturnType<typeof prepare>;
const prepared = new WeakMap<Database.Database, Statements>();

function statements(sqlite: Database.Database): Statements {
  let made = prepared.get(sqlite);
  if (!made) {
    made = prepare(sqlite);
    prepared.set(sqlite, made);
  }
  return made;
}

/** One learner joins or leaves the count of a (points, day reached) cell of a board. */
function count(
  db: Db,
  cohortId: number,
  board: string,
  points: number,
  reachedAt: number,
  delta: 1 | -1,
): void {
  const q = statements(db.$client);
  const day = dayOf(reachedAt);
  if (delta === 1) {
    q.countUp.run(cohortId, board, points);
    q.dayUp.run(cohortId, board, points, day);
    return;
  }
  // A cell that falls to no learners is deleted; most don't, so the delete runs only then.
  if ((q.countDown.get(cohortId, board, points)?.members ?? 0) <= 0) q.countDrop.run(cohortId, board, points);
  if ((q.dayDown.get(cohortId, board, points, day)?.members ?? 0) <= 0)
    q.dayDrop.run(cohortId, board, points, day);
}

/** Adds points earned at `at` to one board (see entryAfter for who wins a tie). */
function addToBoard(
  db: Db,
  cohortId: number,
  board: string,
  memberId: number,
  points: number,
  at: number,
): void {
  const q = statements(db.$client);
  const before = q.entry.get(cohortId, board, memberId);
  const after = entryAfter(before, points, at);
  if (!before) {
    q.insertEntry.run(cohortId, board, memberId, after.points, after.reachedAt);
    count(db, cohortId, board, after.points, after.reachedAt, 1);
    return;
  }
  if (after.points === before.points && after.reachedAt === before.reachedAt) return;
  q.updateEntry.run(after.points, after.reachedAt, cohortId, board, memberId);
  count(db, cohortId, board, before.points, before.reachedAt, -1);
  count(db, cohortId, board, after.points, after.reachedAt, 1);
}

/** The learner's streak in one unit as stored (none yet: empty). */
export function readStreak(db: Db, memberId: number, unit: StreakUnit): StreakState {
  return statements(db.$client).streak.get(memberId, unit) ?? emptyStreak;
}

/** Everything one new ledger entry changes; call it inside the transaction that writes the entry. */
export function applyLedgerEntry(db: Db, facts: LedgerFacts): void {
  const q = statements(db.$client);
  const at = facts.at.getTime();
  if (facts.cohortId !== null) {
    for (const board of boardsOf(facts))
      addToBoard(db, facts.cohortId, board, facts.memberId, facts.points, at);
    q.questionStat.run(facts.cohortId, facts.questionId, facts.correct ? 1 : 0);
  }
  q.activity.run(facts.memberId, facts.day);
  for (const unit of ["day", "week"] as const) {
    const state = facts.streaks[unit];
    q.saveStreak.run(facts.memberId, unit, state.current, state.longest, state.lastUnit, state.freezes);
  }
}

/** The member's cohort and current track, as the database has them now. */
export function placeOf(db: Db, memberId: number): Place {
  return statements(db.$client).place.get(memberId) ?? { cohortId: null, trackId: null };
}

/**
 * Puts a learner on the boards of where they are now: off every board, then back on their
 * cohort's boards from their own ledger entries (a learner has hundreds, never millions).
 * Call it inside the transaction that moved them.
 */
export function placeOnBoards(db: Db, memberId: number): void {
  const q = statements(db.$client);
  for (const row of q.memberEntries.all(memberId)) {
    count(db, row.cohortId, row.board, row.points, row.reachedAt, -1);
  }
  q.dropMemberEntries.run(memberId);

  const { cohortId, trackId } = placeOf(db, memberId);
  if (cohortId === null) return;
  for (const entry of q.memberLedger.all(memberId, cohortId)) {
    const onTrack = entry.trackId !== null && entry.trackId === trackId;
    for (const board of boardsOf({ week: entry.week, trackId: onTrack ? entry.trackId : null })) {
      addToBoard(db, cohortId, board, memberId, entry.points, entry.createdAt);
    }
  }
}
