import type { StreakState, StreakUnit } from "../../core/rules/streak.js";
import { type BoardEntry, boardsOf, dayOf, entryAfter } from "../board-rules.js";
import type { LedgerFacts, Place } from "../ledger-entry.js";
import { type Conn, row, rows } from "./tx.js";

// The aggregates beside the ledger, as aggregates.ts keeps them on SQLite. Several processes write
// here at once, so: a learner's own rows (board entries, streaks, activity) are written only while
// their member row is locked (lockPlace), and shared count rows only by single-statement upserts,
// taken in one order (cohort, board, points, day) so two transactions never wait on each other.

/**
 * The member's cohort and current track, with the member row locked until the transaction ends.
 * Locked first, read after in a statement of its own: under READ COMMITTED a statement that waited
 * for the lock sees the member row as the mover left it but the track rows as they were before it,
 * so an answer waiting behind /track leave would still count on the track it left.
 */
export async function lockPlace(conn: Conn, memberId: number): Promise<Place> {
  const locked = await row(
    conn,
    "SELECT id FROM members WHERE id = $1 FOR UPDATE",
    [memberId],
    "aggregates-lock",
  );
  if (!locked) throw new Error(`member ${memberId} does not exist`);
  const place = await row<Place>(
    conn,
    `SELECT m.cohort_id AS "cohortId", t.track_id AS "trackId" FROM members m
     LEFT JOIN track_memberships t ON t.member_id = m.id AND t.left_at IS NULL
     WHERE m.id = $1`,
    [memberId],
    "aggregates-place",
  );
  if (!place) throw new Error(`member ${memberId} does not exist`);
  return place;
}

/** Learners joining (+1) and leaving (-1) cells of boards' counts, netted, then written in order. */
class CountChanges {
  private readonly cells = new Map<
    string,
    { cohortId: number; board: string; points: number; day: number; delta: number }
  >();

  add(cohortId: number, board: string, entry: BoardEntry, delta: 1 | -1): void {
    const day = dayOf(entry.reachedAt);
    const key = `${cohortId}\u0000${board}\u0000${entry.points}\u0000${day}`;
    const cell = this.cells.get(key);
    if (cell) cell.delta += delta;
    else this.cells.set(key, { cohortId, board, points: entry.points, day, delta });
  }

  async write(conn: Conn): Promise<void> {
    const changed = [...this.cells.values()].filter((c) => c.delta !== 0);
    changed.sort(
      (a, b) =>
        a.cohortId - b.cohortId ||
        (a.board < b.board ? -1 : a.board > b.board ? 1 : 0) ||
        a.points - b.points ||
        a.day - b.day,
    );
    const byPoints = new Map<string, { cohortId: number; board: string; points: number; delta: number }>();
    for (const c of changed) {
      const key = `${c.cohortId}\u0000${c.board}\u0000${c.points}`;
      const total = byPoints.get(key);
      if (total) total.delta += c.delta;
      else byPoints.set(key, { cohortId: c.cohortId, board: c.board, points: c.points, delta: c.delta });
    }
    for (const c of byPoints.values()) {
      if (c.delta === 0) continue;
      await conn.query({
        name: "aggregates-count",
        text: `INSERT INTO board_counts (cohort_id, board, points, members) VALUES ($1, $2, $3, $4)
               ON CONFLICT (cohort_id, board, points) DO UPDATE SET members = board_counts.members + excluded.members`,
        values: [c.cohortId, c.board, c.points, c.delta],
      });
      if (c.delta < 0) {
        await conn.query({
          name: "aggregates-count-drop",
          text: "DELETE FROM board_counts WHERE cohort_id = $1 AND board = $2 AND points = $3 AND members <= 0",
          values: [c.cohortId, c.board, c.points],
        });
      }
    }
    for (const c of changed) {
      await conn.query({
        name: "aggregates-day-count",
        text: `INSERT INTO board_day_counts (cohort_id, board, points, day, members) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (cohort_id, board, points, day) DO UPDATE SET members = board_day_counts.members + excluded.members`,
        values: [c.cohortId, c.board, c.points, c.day, c.delta],
      });
      if (c.delta < 0) {
        await conn.query({
          name: "aggregates-day-count-drop",
          text: `DELETE FROM board_day_counts
                 WHERE cohort_id = $1 AND board = $2 AND points = $3 AND day = $4 AND members <= 0`,
          values: [c.cohortId, c.board, c.points, c.day],
        });
      }
    }
  }
}

async function saveEntry(conn: Conn, cohortId: number, board: string, memberId: number, entry: BoardEntry) {
  await conn.query({
    name: "aggregates-save-entry",
    text: `INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (cohort_id, board, member_id) DO UPDATE SET points = excluded.points, reached_at = excluded.reached_at`,
    values: [cohortId, board, memberId, entry.points, entry.reachedAt],
  });
}

/** Adds points earned at `at` to one board; the member's row must be locked. */
async function addToBoard(
  conn: Conn,
  counts: CountChanges,
  cohortId: number,
  board: string,
  memberId: number,
  points: number,
  at: number,
): Promise<void> {
  const before = await row<BoardEntry>(
    conn,
    `SELECT points, reached_at AS "reachedAt" FROM board_entries
     WHERE cohort_id = $1 AND board = $2 AND member_id = $3`,
    [cohortId, board, memberId],
    "aggregates-entry",
  );
  const after = entryAfter(before, points, at);
  if (before && after.points === before.points && after.reachedAt === before.reachedAt) return;
  await saveEntry(conn, cohortId, board, memberId, after);
  if (before) counts.add(cohortId, board, before, -1);
  counts.add(cohortId, board, after, 1);
}

/** The learner's streaks as stored (none yet: absent); the member's row must be locked. */
export async function readStreaks(conn: Conn, memberId: number): Promise<Map<StreakUnit, StreakState>> {
  const found = await rows<StreakState & { unit: StreakUnit }>(
    conn,
    `SELECT unit, current, longest, last_unit AS "lastUnit", freezes FROM streaks WHERE member_id = $1`,
    [memberId],
    "aggregates-streaks",
  );
  return new Map(found.map(({ unit, ...state }) => [unit, state]));
}

/** Everything one new ledger entry changes; call it in the entry's transaction, the member's row locked. */
export async function applyLedgerEntry(conn: Conn, facts: LedgerFacts): Promise<void> {
  const at = facts.at.getTime();
  // The learner's own rows first; rows every learner of the cohort writes (board counts, a question's
  // tally) last, so their locks are held from the last statements to the commit, not the whole answer.
  await conn.query({
    name: "aggregates-activity",
    text: `INSERT INTO activity_days (member_id, day, activities) VALUES ($1, $2, 1)
           ON CONFLICT (member_id, day) DO UPDATE SET activities = activity_days.activities + 1`,
    values: [facts.memberId, facts.day],
  });
  for (const unit of ["day", "week"] as const) {
    const state = facts.streaks[unit];
    await conn.query({
      name: "aggregates-save-streak",
      text: `INSERT INTO streaks (member_id, unit, current, longest, last_unit, freezes) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (member_id, unit) DO UPDATE SET current = excluded.current, longest = excluded.longest,
             last_unit = excluded.last_unit, freezes = excluded.freezes`,
      values: [facts.memberId, unit, state.current, state.longest, state.lastUnit, state.freezes],
    });
  }
  if (facts.cohortId === null) return;
  const counts = new CountChanges();
  for (const board of boardsOf(facts)) {
    await addToBoard(conn, counts, facts.cohortId, board, facts.memberId, facts.points, at);
  }
  await counts.write(conn);
  await conn.query({
    name: "aggregates-question-stat",
    text: `INSERT INTO question_stats (cohort_id, question_id, attempts, correct) VALUES ($1, $2, 1, $3)
           ON CONFLICT (cohort_id, question_id) DO UPDATE
           SET attempts = question_stats.attempts + 1, correct = question_stats.correct + excluded.correct`,
    values: [facts.cohortId, facts.questionId, facts.correct ? 1 : 0],
  });
}

/**
 * Puts a learner on the boards of where they are now: off every board, then back on their
 * cohort's boards from their own ledger entries. Call it in the transaction that moved them.
 */
export async function placeOnBoards(conn: Conn, memberId: number): Promise<void> {
  const { cohortId, trackId } = await lockPlace(conn, memberId);
  const counts = new CountChanges();
  const old = await rows<BoardEntry & { cohortId: number; board: string }>(
    conn,
    `DELETE FROM board_entries WHERE member_id = $1
     RETURNING cohort_id AS "cohortId", board, points, reached_at AS "reachedAt"`,
    [memberId],
  );
  for (const entry of old) counts.add(entry.cohortId, entry.board, entry, -1);
  if (cohortId !== null) {
    const ledger = await rows<{ points: number; week: number; trackId: string | null; createdAt: Date }>(
      conn,
      `SELECT points, week, track_id AS "trackId", created_at AS "createdAt" FROM points_ledger
       WHERE member_id = $1 AND cohort_id = $2 ORDER BY id`,
      [memberId, cohortId],
    );
    const entries = new Map<string, BoardEntry>();
    for (const entry of ledger) {
      const onTrack = entry.trackId !== null && entry.trackId === trackId;
      for (const board of boardsOf({ week: entry.week, trackId: onTrack ? entry.trackId : null })) {
        entries.set(board, entryAfter(entries.get(board), entry.points, entry.createdAt.getTime()));
      }
    }
    for (const [board, entry] of entries) {
      await saveEntry(conn, cohortId, board, memberId, entry);
      counts.add(cohortId, board, entry, 1);
    }
  }
  await counts.write(conn);
}
