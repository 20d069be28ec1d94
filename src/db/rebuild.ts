import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import {
  emptyStreak,
  recordActivity,
  type StreakState,
  type StreakUnit,
  streakFold,
} from "../core/rules/streak.js";
import { DAY_MS } from "./board-rules.js";
import type { Db } from "./client.js";
import { openRebuild, StaleChunk } from "./rebuild-chunks.js";
import {
  activityDays,
  boardCounts,
  boardDayCounts,
  boardEntries,
  pointsLedger,
  questionStats,
  streaks,
} from "./schema.js";

// Derives the aggregates (boards, their counts, streaks, activity days, question stats) from the
// ledger alone. `rebuildAggregates` does it in short transactions, chunk by chunk, while the bot
// keeps answering; `rebuildAggregatesAtOnce` in one transaction (tests' reference, the bench's baseline).

export interface RebuildReport {
  ledgerEntries: number;
  boardEntries: number;
  streaks: number;
  activityDays: number;
}

export type RebuildPhase = "learners" | "boards" | "questions";

export interface RebuildProgress {
  phase: RebuildPhase;
  /** Ledger entries (learners), board entries (boards) or (cohort, question) pairs (questions) done. */
  done: number;
  total: number;
}

export interface RebuildOptions {
  /** About how many ledger entries, board entries or question pairs one transaction takes. */
  chunkSize?: number;
  /**
   * The write lock is held at most 1 / (1 + restRatio) of the time: after a write transaction of
   * t ms, the next starts no sooner than restRatio·t ms later, so a writer waiting on the file
   * (SQLite polls, it does not queue) gets in between. Deriving, which takes no lock, counts as rest.
   */
  restRatio?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Runs after every transaction, reading or writing (tests record answers and moves here). */
  betweenTransactions?: (between: Between) => void | Promise<void>;
}

export interface Between {
  phase: RebuildPhase;
  /** Set after the learners after < id ≤ upTo were derived, before what was derived is written. */
  derived?: { after: number; upTo: number };
}

export interface ChunkedRebuildReport extends RebuildReport {
  /** Transactions that took the write lock. */
  writes: number;
  /** The longest of them: what a writer may wait behind. */
  longestWriteMs: number;
  /** Chunks of learners found stale at their write (one of them answered or moved) and redone under the lock. */
  redone: number;
}

const MAX = Number.MAX_SAFE_INTEGER;
const running = new WeakSet<Database.Database>();

/**
 * Derives every aggregate from the ledger in short transactions: readers never wait, writers wait
 * at most one write transaction, answers and moves recorded meanwhile are kept, and it ends equal
 * to a derivation in one transaction. Three passes:
 * - learners, by ranges of member ids (every id in exactly one range): their board entries, activity
 *   days and streaks derived from their ledger entries while holding no lock, then in a short write
 *   transaction only the differences written and board counts moved by them, unless one of those
 *   learners answered or moved in between: then that range is derived and written again under the lock;
 * - boards, by ranges of points on each (cohort, board): counts derived from the entries (fixing any
 *   drift from before), and entries of learners no longer in that cohort dropped;
 * - questions, by ranges of (cohort, question): tallies summed during the first pass from the ledger
 *   entries that existed at the start (the ledger only grows), plus every entry written since.
 */
export async function rebuildAggregates(db: Db, options: RebuildOptions = {}): Promise<ChunkedRebuildReport> {
  const sqlite = db.$client;
  if (running.has(sqlite)) throw new Error("a rebuild is already running on this connection");
  const q = openRebuild(sqlite);
  running.add(sqlite);
  const chunkSize = Math.max(1, options.chunkSize ?? 5_000);
  const restRatio = options.restRatio ?? 1;
  const stats = { writes: 0, longestWriteMs: 0, redone: 0 };
  let nextWriteAt = 0;
  let phase: RebuildPhase = "learners";
  const turn = async (derived?: Between["derived"]) => {
    await new Promise((resolve) => setImmediate(resolve));
    await options.betweenTransactions?.(derived ? { phase, derived } : { phase });
  };
  /** A transaction that only reads the database (it writes work tables only). */
  const read = async <T>(work: () => T, derived: Between["derived"]): Promise<T> => {
    const result = sqlite.transaction(work)();
    await turn(derived);
    return result;
  };
  /** A transaction with the write lock from its start; false when the work found its chunk stale. */
  const write = async (work: () => void): Promise<boolean> => {
    const rest = nextWriteAt - performance.now();
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    const started = performance.now();
    let fresh = true;
    try {
      sqlite.transaction(work).immediate();
    } catch (error) {
      if (!(error instanceof StaleChunk)) throw error;
      fresh = false;
    }
    const took = performance.now() - started;
    stats.writes += 1;
    stats.longestWriteMs = Math.max(stats.longestWriteMs, took);
    nextWriteAt = performance.now() + took * restRatio;
    await turn();
    return fresh;
  };
  const report = (now: RebuildPhase, done: number, total: number) => {
    phase = now;
    options.onProgress?.({ phase, done, total: Math.max(total, done) });
  };
  try {
    const { seen: startSeen, entries } = q.ledgerSize();

    const folds = { day: streakFold("day"), week: streakFold("week") };
    let after = -MAX;
    let done = 0;
    report("learners", 0, entries);
    while (after < MAX) {
      const upTo = q.nextMemberBound(after, chunkSize);
      const derived = await read(() => q.deriveLearners(after, upTo, folds, startSeen), { after, upTo });
      if (!(await write(() => q.writeLearners(after, upTo, derived.seen)))) {
        stats.redone += 1;
        await write(() => q.writeLearners(after, upTo, q.deriveLearners(after, upTo, folds).seen));
      }
      done += derived.read;
      after = upTo;
      report("learners", done, entries);
    }
    report("learners", done, done);

    const boards = q.boards();
    const boardTotal = q.boardEntries();
    done = 0;
    report("boards", 0, boardTotal);
    for (const { cohortId, board } of boards) {
      let high = MAX;
      while (high > -MAX) {
        const low = q.nextPointsBound(cohortId, board, high, chunkSize);
        await write(() => {
          done += q.boardCounts(cohortId, board, low, high);
        });
        high = low;
        report("boards", done, boardTotal);
      }
    }
    report("boards", done, done);

    let seen = startSeen;
    let from: [number, string] = [-MAX, ""];
    done = 0;
    report("questions", 0, q.questionKeys());
    for (;;) {
      const to = q.nextQuestionBound(from, chunkSize);
      await write(() => {
        seen = q.absorbLedger(seen);
        done += q.questionStats(from, to);
      });
      if (to[0] === MAX) break;
      report("questions", done, q.questionKeys());
      from = to;
    }
    report("questions", done, done);
    return { ...q.counts(), ...stats };
  } finally {
    q.tearDown();
    running.delete(sqlite);
  }
}

/**
 * Throws the aggregates away and derives them from the ledger, in one transaction:
 * set-based SQL for boards and tallies, the streak rule folded over each learner's days.
 * Writers wait behind it for all of it; `rebuildAggregates` is the one to run on a live database.
 */
export function rebuildAggregatesAtOnce(db: Db): RebuildReport {
  return db.transaction((tx) => {
    for (const table of [boardEntries, boardCounts, boardDayCounts, streaks, activityDays, questionStats]) {
      tx.delete(table).run();
    }
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
    tx.run(sql`INSERT INTO board_day_counts (cohort_id, board, points, day, members)
      SELECT cohort_id, board, points, reached_at / ${sql.raw(String(DAY_MS))}, count(*) FROM board_entries
      GROUP BY cohort_id, board, points, reached_at / ${sql.raw(String(DAY_MS))}`);
    tx.run(sql`INSERT INTO question_stats (cohort_id, question_id, attempts, correct)
      SELECT cohort_id, question_id, count(*), sum(correct) FROM points_ledger
      WHERE cohort_id IS NOT NULL AND question_id IS NOT NULL AND day IS NOT NULL
      GROUP BY cohort_id, question_id`);
    tx.run(sql`INSERT INTO activity_days (member_id, day, activities)
      SELECT member_id, day, count(*) FROM points_ledger WHERE day IS NOT NULL GROUP BY member_id, day`);

    // The streak rule is a fold over each learner's days in the order they were recorded.
    const insertStreak = db.$client.prepare<[number, string, number, number, string | null, number]>(
      "INSERT INTO streaks (member_id, unit, current, longest, last_unit, freezes) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const writeStreak = (memberId: number, unit: StreakUnit, state: StreakState) =>
      insertStreak.run(memberId, unit, state.current, state.longest, state.lastUnit, state.freezes);
    let streakRows = 0;
    let member: number | undefined;
    let state = { day: emptyStreak, week: emptyStreak };
    const flush = () => {
      if (member === undefined) return;
      writeStreak(member, "day", state.day);
      writeStreak(member, "week", state.week);
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
