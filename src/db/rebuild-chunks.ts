import type Database from "better-sqlite3";
import { DAY_MS } from "./board-rules.js";
import { type Folds, foldLearnerStreaks } from "./rebuild-streaks.js";

// The statements of the chunked rebuild (rebuild.ts), each run inside one chunk's transaction.
// Work tables live in the connection's temp schema: writing them takes no lock on the database.
// Every chunk compares what it derived with what is there and writes only the differences.

const MAX = Number.MAX_SAFE_INTEGER;

const entry = "cohort_id INTEGER, board TEXT, member_id INTEGER, points INTEGER, reached_at INTEGER";
const streak =
  "member_id INTEGER, unit TEXT, current INTEGER, longest INTEGER, last_unit TEXT, freezes INTEGER";
const workTables = {
  rebuild_ledger: `member_id INTEGER NOT NULL, id INTEGER NOT NULL, cohort_id INTEGER, question_id TEXT,
    correct INTEGER NOT NULL, points INTEGER NOT NULL, week INTEGER NOT NULL, day TEXT, track_id TEXT,
    created_at INTEGER NOT NULL, PRIMARY KEY (member_id, id)`,
  /** Where the learners were when their aggregates were derived: a move before the write makes them stale. */
  rebuild_place: "member_id INTEGER PRIMARY KEY, cohort_id INTEGER, membership_id INTEGER",
  rebuild_old_entries: `${entry}, PRIMARY KEY (cohort_id, board, member_id)`,
  rebuild_new_entries: `${entry}, PRIMARY KEY (cohort_id, board, member_id)`,
  rebuild_days: "member_id INTEGER, day TEXT, activities INTEGER, PRIMARY KEY (member_id, day)",
  rebuild_streaks: `${streak}, PRIMARY KEY (member_id, unit)`,
  // Rows to drop (delta -1) and to add (+1): a changed row is both.
  rebuild_entry_changes: `${entry}, delta INTEGER, PRIMARY KEY (cohort_id, board, member_id, delta)`,
  rebuild_day_changes:
    "member_id INTEGER, day TEXT, activities INTEGER, delta INTEGER, PRIMARY KEY (member_id, day, delta)",
  rebuild_streak_changes: `${streak}, delta INTEGER, PRIMARY KEY (member_id, unit, delta)`,
  rebuild_day_counts: "points INTEGER, day INTEGER, members INTEGER, PRIMARY KEY (points, day)",
  rebuild_counts: "points INTEGER PRIMARY KEY, members INTEGER",
  /** Question tallies summed over the whole rebuild, from the first pass on. */
  rebuild_question_stats:
    "cohort_id INTEGER, question_id TEXT, attempts INTEGER, correct INTEGER, PRIMARY KEY (cohort_id, question_id)",
};
const perChunk = Object.keys(workTables).filter((t) => t !== "rebuild_question_stats");

/** A chunk's derivation no longer holds: a learner of it answered or moved since, or a row changed. */
export class StaleChunk extends Error {}

/** Rows of `table` for the learners in range that the derivation `fresh` drops (-1) and adds (+1). */
function changes(into: string, table: string, columns: string, fresh: string): string[] {
  const now = `SELECT ${columns} FROM main.${table} WHERE member_id > :after AND member_id <= :upTo`;
  return [
    `INSERT INTO temp.${into} SELECT *, -1 FROM (${now} EXCEPT SELECT * FROM temp.${fresh})`,
    `INSERT INTO temp.${into} SELECT *, 1 FROM (SELECT * FROM temp.${fresh} EXCEPT ${now})`,
  ];
}

/** Distinct boards of each cohort, skipping through the table's primary key one board at a time. */
const boardsIn = (table: string) => `SELECT cohort_id, name FROM (
  WITH RECURSIVE b(cohort_id, name) AS (
    SELECT c.id, (SELECT min(board) FROM main.${table} WHERE cohort_id = c.id) FROM main.cohorts c
    UNION ALL
    SELECT cohort_id, (SELECT min(board) FROM main.${table} WHERE cohort_id = b.cohort_id AND board > b.name)
    FROM b WHERE name IS NOT NULL)
  SELECT cohort_id, name FROM b WHERE name IS NOT NULL)`;

/** Changes in board counts from the entries in rebuild_entry_changes, then counts that reached zero dropped. */
function moveCounts(table: string, key: string, value: string): string[] {
  return [
    `INSERT INTO main.${table} (cohort_id, board, ${key}, members)
     SELECT cohort_id, board, ${value}, sum(delta) FROM temp.rebuild_entry_changes GROUP BY cohort_id, board, ${value}
     HAVING sum(delta) <> 0 ON CONFLICT DO UPDATE SET members = members + excluded.members`,
    `DELETE FROM main.${table} WHERE members <= 0
     AND (cohort_id, board, ${key}) IN (SELECT cohort_id, board, ${value} FROM temp.rebuild_entry_changes)`,
  ];
}

/** Creates the work tables and prepares the statements; `tearDown` drops the tables. */
export function openRebuild(sqlite: Database.Database) {
  for (const [table, columns] of Object.entries(workTables)) {
    const rowid = columns.includes("PRIMARY KEY") ? " WITHOUT ROWID" : "";
    sqlite.exec(`DROP TABLE IF EXISTS temp.${table}; CREATE TEMP TABLE ${table} (${columns})${rowid}`);
  }
  const batch = (statements: string[]) => statements.map((text) => sqlite.prepare(text));
  const runAll = (statements: Database.Statement[], params: Record<string, unknown> = {}) => {
    for (const statement of statements) statement.run(params);
  };
  const clear = batch(perChunk.map((t) => `DELETE FROM temp.${t}`));
  const inMembers = "member_id > :after AND member_id <= :upTo";
  const placeNow = `SELECT m.id, m.cohort_id, t.id FROM main.members m
    LEFT JOIN main.track_memberships t ON t.member_id = m.id AND t.left_at IS NULL
    WHERE m.id > :after AND m.id <= :upTo`;
  const day = `reached_at / ${DAY_MS}`;
  // Reading and deriving: no lock on the database (work tables only).
  const derive = batch([
    `INSERT INTO temp.rebuild_ledger
     SELECT member_id, id, cohort_id, question_id, correct, points, week, day, track_id, created_at
     FROM main.points_ledger WHERE ${inMembers}`,
    `INSERT INTO temp.rebuild_place ${placeNow}`,
    // What the learners have now: on every board of the cohorts they are in.
    `WITH RECURSIVE cohort(id) AS (
       SELECT DISTINCT cohort_id FROM main.members WHERE id > :after AND id <= :upTo AND cohort_id IS NOT NULL),
     board(cohort_id, name) AS (
       SELECT id, (SELECT min(board) FROM main.board_entries WHERE cohort_id = cohort.id) FROM cohort
       UNION ALL
       SELECT cohort_id, (SELECT min(board) FROM main.board_entries WHERE cohort_id = board.cohort_id AND board > board.name)
       FROM board WHERE name IS NOT NULL)
     INSERT INTO temp.rebuild_old_entries
     SELECT e.cohort_id, e.board, e.member_id, e.points, e.reached_at FROM board
     JOIN main.board_entries e ON e.cohort_id = board.cohort_id AND e.board = board.name
     WHERE e.member_id > :after AND e.member_id <= :upTo`,
    // What their ledger entries in their current cohort make: ties go to who reached the points first.
    `WITH g AS MATERIALIZED (
       SELECT l.member_id, l.cohort_id, l.week, l.track_id, sum(l.points) AS points,
              max(CASE WHEN l.points > 0 THEN l.created_at END) AS paid, min(l.created_at) AS first
       FROM temp.rebuild_ledger l JOIN main.members m ON m.id = l.member_id AND m.cohort_id = l.cohort_id
       GROUP BY l.member_id, l.cohort_id, l.week, l.track_id)
     INSERT INTO temp.rebuild_new_entries
     SELECT cohort_id, 'all', member_id, sum(points), coalesce(max(paid), min(first)) FROM g
     GROUP BY member_id, cohort_id
     UNION ALL
     SELECT cohort_id, 'week:' || week, member_id, sum(points), coalesce(max(paid), min(first)) FROM g
     GROUP BY member_id, cohort_id, week
     UNION ALL
     SELECT g.cohort_id, 'track:' || g.track_id, g.member_id, sum(g.points), coalesce(max(g.paid), min(g.first))
     FROM g JOIN main.track_memberships t ON t.member_id = g.member_id AND t.left_at IS NULL AND t.track_id = g.track_id
     GROUP BY g.member_id, g.cohort_id, g.track_id`,
    `INSERT INTO temp.rebuild_entry_changes SELECT *, -1 FROM (
       SELECT * FROM temp.rebuild_old_entries EXCEPT SELECT * FROM temp.rebuild_new_entries)`,
    `INSERT INTO temp.rebuild_entry_changes SELECT *, 1 FROM (
       SELECT * FROM temp.rebuild_new_entries EXCEPT SELECT * FROM temp.rebuild_old_entries)`,
    `INSERT INTO temp.rebuild_days SELECT member_id, day, count(*) FROM temp.rebuild_ledger
     WHERE day IS NOT NULL GROUP BY member_id, day`,
    ...changes("rebuild_day_changes", "activity_days", "member_id, day, activities", "rebuild_days"),
  ]);
  const learnerDays = sqlite
    .prepare("SELECT member_id, day FROM temp.rebuild_ledger WHERE day IS NOT NULL ORDER BY member_id, id")
    .raw();
  const insertStreak = sqlite.prepare("INSERT INTO temp.rebuild_streaks VALUES (?, ?, ?, ?, ?, ?)");
  const streakChanges = batch(
    changes(
      "rebuild_streak_changes",
      "streaks",
      "member_id, unit, current, longest, last_unit, freezes",
      "rebuild_streaks",
    ),
  );
  const lastId = sqlite.prepare("SELECT coalesce(max(id), 0) FROM main.points_ledger").pluck();
  // Writing, under the write lock: first whether the derivation still holds, then only the differences.
  const answeredSince = sqlite
    .prepare(`SELECT EXISTS (SELECT 1 FROM main.points_ledger WHERE ${inMembers} AND id > :seen)`)
    .pluck();
  const movedSince = sqlite
    .prepare(`SELECT EXISTS (${placeNow} EXCEPT SELECT * FROM temp.rebuild_place)
      OR EXISTS (SELECT * FROM temp.rebuild_place EXCEPT ${placeNow})`)
    .pluck();
  const expected = sqlite
    .prepare(
      `SELECT ${["entry", "day", "streak"]
        .flatMap((t) =>
          ["<", ">"].map((sign) => `(SELECT count(*) FROM temp.rebuild_${t}_changes WHERE delta ${sign} 0)`),
        )
        .join(", ")}`,
    )
    .raw();
  /** Each write with the number of rows it must change, else someone changed them meanwhile. */
  const write = batch([
    `DELETE FROM main.board_entries WHERE (cohort_id, board, member_id, points, reached_at) IN
       (SELECT cohort_id, board, member_id, points, reached_at FROM temp.rebuild_entry_changes WHERE delta < 0)`,
    `INSERT OR IGNORE INTO main.board_entries (cohort_id, board, member_id, points, reached_at)
     SELECT cohort_id, board, member_id, points, reached_at FROM temp.rebuild_entry_changes WHERE delta > 0`,
    `DELETE FROM main.activity_days WHERE (member_id, day, activities) IN
       (SELECT member_id, day, activities FROM temp.rebuild_day_changes WHERE delta < 0)`,
    `INSERT OR IGNORE INTO main.activity_days (member_id, day, activities)
     SELECT member_id, day, activities FROM temp.rebuild_day_changes WHERE delta > 0`,
    `DELETE FROM main.streaks WHERE ${inMembers} AND EXISTS (
       SELECT 1 FROM temp.rebuild_streak_changes c WHERE c.member_id = streaks.member_id AND c.unit = streaks.unit
       AND c.delta = -1 AND c.current = streaks.current AND c.longest = streaks.longest
       AND c.last_unit IS streaks.last_unit AND c.freezes = streaks.freezes)`,
    `INSERT OR IGNORE INTO main.streaks (member_id, unit, current, longest, last_unit, freezes)
     SELECT member_id, unit, current, longest, last_unit, freezes FROM temp.rebuild_streak_changes WHERE delta > 0`,
  ]);
  const moveBoardCounts = batch([
    ...moveCounts("board_counts", "points", "points"),
    ...moveCounts("board_day_counts", "points, day", `points, ${day}`),
  ]);
  const tally = (from: string, where: string) => `INSERT INTO temp.rebuild_question_stats
    SELECT cohort_id, question_id, count(*), sum(correct) FROM ${from}
    WHERE ${where} AND cohort_id IS NOT NULL AND question_id IS NOT NULL AND day IS NOT NULL
    GROUP BY cohort_id, question_id
    ON CONFLICT DO UPDATE SET attempts = attempts + excluded.attempts, correct = correct + excluded.correct`;
  const tallyChunk = sqlite.prepare(tally("temp.rebuild_ledger", "id <= :seen"));
  const tallySince = sqlite.prepare(tally("main.points_ledger", "id > :seen AND id <= :upTo"));
  const inRange = "(cohort_id, question_id) > (:c0, :q0) AND (cohort_id, question_id) <= (:c1, :q1)";
  const questions = batch([
    `DELETE FROM main.question_stats WHERE ${inRange} AND NOT EXISTS (
       SELECT 1 FROM temp.rebuild_question_stats s WHERE s.cohort_id = question_stats.cohort_id
       AND s.question_id = question_stats.question_id AND s.attempts = question_stats.attempts
       AND s.correct = question_stats.correct)`,
    `INSERT OR IGNORE INTO main.question_stats (cohort_id, question_id, attempts, correct)
     SELECT cohort_id, question_id, attempts, correct FROM temp.rebuild_question_stats
     WHERE ${inRange} AND cohort_id IN (SELECT id FROM main.cohorts)`,
  ]);
  const questionsIn = sqlite
    .prepare(`SELECT count(*) FROM temp.rebuild_question_stats WHERE ${inRange}`)
    .pluck();
  const inPoints = "cohort_id = :c AND board = :b AND points > :low AND points <= :high";
  const counts = batch([
    // Entries of learners no longer in the cohort (a move always takes them off, so none is expected).
    `DELETE FROM main.board_entries WHERE ${inPoints} AND NOT EXISTS (
       SELECT 1 FROM main.members m WHERE m.id = board_entries.member_id AND m.cohort_id = board_entries.cohort_id)`,
    "DELETE FROM temp.rebuild_day_counts",
    "DELETE FROM temp.rebuild_counts",
    `INSERT INTO temp.rebuild_day_counts SELECT points, ${day}, count(*) FROM main.board_entries
     WHERE ${inPoints} GROUP BY points, ${day}`,
    "INSERT INTO temp.rebuild_counts SELECT points, sum(members) FROM temp.rebuild_day_counts GROUP BY points",
    `DELETE FROM main.board_day_counts WHERE ${inPoints} AND NOT EXISTS (
       SELECT 1 FROM temp.rebuild_day_counts w WHERE w.points = board_day_counts.points
       AND w.day = board_day_counts.day AND w.members = board_day_counts.members)`,
    "INSERT OR IGNORE INTO main.board_day_counts SELECT :c, :b, points, day, members FROM temp.rebuild_day_counts",
    `DELETE FROM main.board_counts WHERE ${inPoints} AND NOT EXISTS (
       SELECT 1 FROM temp.rebuild_counts w WHERE w.points = board_counts.points AND w.members = board_counts.members)`,
    "INSERT OR IGNORE INTO main.board_counts SELECT :c, :b, points, members FROM temp.rebuild_counts",
  ]);
  const countedEntries = sqlite.prepare("SELECT coalesce(sum(members), 0) FROM temp.rebuild_counts").pluck();
  const one = (text: string) => sqlite.prepare(text).pluck();
  const memberBound = one(
    "SELECT member_id FROM main.points_ledger WHERE member_id > ? ORDER BY member_id LIMIT 1 OFFSET ?",
  );
  const pointsBound = one(`SELECT points FROM main.board_entries WHERE cohort_id = ? AND board = ?
    AND points <= ? ORDER BY points DESC LIMIT 1 OFFSET ?`);
  const questionBound = sqlite.prepare(`SELECT cohort_id, question_id FROM temp.rebuild_question_stats
    WHERE (cohort_id, question_id) > (?, ?) ORDER BY cohort_id, question_id LIMIT 1 OFFSET ?`);
  const boards = sqlite.prepare(
    `${boardsIn("board_entries")} UNION ${boardsIn("board_counts")} UNION ${boardsIn("board_day_counts")} ORDER BY 1, 2`,
  );
  const count = (table: string) => Number(sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get());

  return {
    /** The last ledger id now (entries up to it are tallied by the first pass), and how many entries. */
    ledgerSize: () => ({
      seen: Number(lastId.get()),
      entries: count("main.points_ledger"),
    }),
    /** The end of the next range of learners after `after`: about `size` ledger entries, a learner never split. */
    nextMemberBound: (after: number, size: number) => Number(memberBound.get(after, size - 1) ?? MAX),
    /**
     * Derives the board entries, activity days and streaks of the learners after < id ≤ upTo and how
     * they differ from the tables; with `tallyUpTo`, adds their ledger entries up to that id to the
     * question tallies. Returns how many ledger entries it read, and the last ledger id it saw.
     */
    deriveLearners(after: number, upTo: number, folds: Folds, tallyUpTo?: number) {
      runAll(clear);
      const range = { after, upTo };
      const seen = Number(lastId.get());
      runAll(derive, range);
      foldLearnerStreaks(learnerDays.all() as [number, string][], folds, (memberId, unit, s) => {
        insertStreak.run(memberId, unit, s.current, s.longest, s.lastUnit, s.freezes);
      });
      runAll(streakChanges, range);
      if (tallyUpTo !== undefined) tallyChunk.run({ seen: tallyUpTo });
      return { read: Number(count("temp.rebuild_ledger")), seen };
    },
    /**
     * Writes what `deriveLearners` found, inside the write transaction; throws StaleChunk (and the
     * transaction rolls back) when one of the learners answered or moved since, or a row differs.
     */
    writeLearners(after: number, upTo: number, seen: number): void {
      const range = { after, upTo };
      if (Number(lastId.get()) > seen && answeredSince.get({ ...range, seen })) throw new StaleChunk();
      if (movedSince.get(range)) throw new StaleChunk();
      const wanted = expected.get() as number[];
      write.forEach((statement, i) => {
        if (statement.run(range).changes !== wanted[i]) throw new StaleChunk();
      });
      runAll(moveBoardCounts);
    },
    boards: () =>
      (boards.raw().all() as [number, string][]).map(([cohortId, board]) => ({ cohortId, board })),
    boardEntries: () => count("main.board_entries"),
    /** The low end of the next range of points below `high` on a board: about `size` entries. */
    nextPointsBound(cohortId: number, board: string, high: number, size: number): number {
      const points = pointsBound.get(cohortId, board, high, size - 1) as number | undefined;
      if (points === undefined) return -MAX;
      return points < high ? points : high - 1;
    },
    /** Board counts of low < points ≤ high derived from the entries; returns how many entries that is. */
    boardCounts(cohortId: number, board: string, low: number, high: number): number {
      runAll(counts, { c: cohortId, b: board, low, high });
      return Number(countedEntries.get());
    },
    /** Adds ledger entries written after `seen` to the tallies; returns the new last id. */
    absorbLedger(seen: number): number {
      const upTo = Number(lastId.get());
      if (upTo > seen) tallySince.run({ seen, upTo });
      return upTo;
    },
    questionKeys: () => count("temp.rebuild_question_stats"),
    /** The end of the next range of (cohort, question) after `from`: `size` pairs, or the end of all. */
    nextQuestionBound(from: [number, string], size: number): [number, string] {
      const row = questionBound.raw().get(from[0], from[1], size - 1) as [number, string] | undefined;
      return row ?? [MAX, ""];
    },
    /** Writes the tallies of from < (cohort, question) ≤ to; returns how many pairs that is. */
    questionStats(from: [number, string], to: [number, string]): number {
      const range = { c0: from[0], q0: from[1], c1: to[0], q1: to[1] };
      runAll(questions, range);
      return Number(questionsIn.get(range));
    },
    counts: () => ({
      ledgerEntries: count("main.points_ledger"),
      boardEntries: count("main.board_entries"),
      streaks: count("main.streaks"),
      activityDays: count("main.activity_days"),
    }),
    tearDown(): void {
      for (const table of Object.keys(workTables)) sqlite.exec(`DROP TABLE IF EXISTS temp.${table}`);
    },
  };
}
