import type { PoolClient } from "pg";
import { DAY_MS } from "../board-rules.js";
import { type Folds, foldLearnerStreaks } from "../rebuild-streaks.js";

// The statements of the chunked rebuild on PostgreSQL (rebuild.ts), each run on the rebuild's own
// connection inside one chunk's transaction. Work tables are temporary (this session's only); the
// per-chunk ones empty themselves at every commit. Every chunk writes only what differs.

const MAX = Number.MAX_SAFE_INTEGER;

const entry = "cohort_id integer, board text, member_id integer, points integer, reached_at bigint";
const workTables: Record<string, string> = {
  rebuild_ledger: `member_id integer, id integer, cohort_id integer, points integer, week integer, day text,
    track_id text, created_at timestamptz`,
  rebuild_old_entries: entry,
  rebuild_new_entries: entry,
  // Rows to drop (delta -1) and to add (+1): a changed row is both.
  rebuild_entry_changes: `${entry}, delta integer`,
  rebuild_day_counts: "points integer, day integer, members integer",
};

/** UTC milliseconds of a timestamptz, as the answer path keeps them (whole milliseconds, truncated). */
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::bigint`;
const day = `(reached_at / ${DAY_MS})::integer`;
/** Rows of the learners in the chunk's range ($1, $2]. */
const inMembers = (alias: string) => `${alias}.member_id > $1::bigint AND ${alias}.member_id <= $2::bigint`;
/** Rows of one board ($1, $2) in a range of points ($3, $4]. */
const inPoints = (alias: string) =>
  `${alias}.cohort_id = $1 AND ${alias}.board = $2 AND ${alias}.points > $3::bigint AND ${alias}.points <= $4::bigint`;

/** Distinct boards of each cohort, skipping through the table's primary key one board at a time. */
const boardsIn = (table: string, cohorts: string) => `board(cohort_id, name) AS (
    SELECT c.id, (SELECT min(board) FROM ${table} WHERE cohort_id = c.id) FROM ${cohorts} c
    UNION ALL
    SELECT b.cohort_id, (SELECT min(board) FROM ${table} t WHERE t.cohort_id = b.cohort_id AND t.board > b.name)
    FROM board b WHERE b.name IS NOT NULL)`;

/**
 * Board counts moved by the entries in rebuild_entry_changes, then counts that a move took to zero
 * dropped. Rows are taken in the order the answer path takes them (cohort, board, points, day;
 * board counts before day counts), so the two never wait on each other in a circle.
 */
function moveCounts(table: string, keys: string[], values: string[]): string[] {
  const cells = values.join(", ");
  const named = values.map((value, i) => `${value} AS k${i}`).join(", ");
  const same = keys.map((key, i) => `t.${key} = c.k${i}`).join(" AND ");
  return [
    `INSERT INTO ${table} (cohort_id, board, ${keys.join(", ")}, members)
     SELECT cohort_id, board, ${cells}, sum(delta) FROM rebuild_entry_changes GROUP BY cohort_id, board, ${cells}
     HAVING sum(delta) <> 0 ORDER BY cohort_id, board COLLATE "C", ${cells}
     ON CONFLICT (cohort_id, board, ${keys.join(", ")}) DO UPDATE SET members = ${table}.members + excluded.members`,
    `DELETE FROM ${table} t USING (
       SELECT cohort_id, board, ${named} FROM rebuild_entry_changes GROUP BY cohort_id, board, ${cells}
       HAVING sum(delta) < 0) c
     WHERE t.cohort_id = c.cohort_id AND t.board = c.board AND ${same} AND t.members <= 0`,
  ];
}
const moveBoardCounts = [
  ...moveCounts("board_counts", ["points"], ["points"]),
  ...moveCounts("board_day_counts", ["points", "day"], ["points", day]),
];

const learnerStatements = {
  lock: `SELECT count(*)::integer AS n FROM (
    SELECT id FROM members WHERE id > $1::bigint AND id <= $2::bigint ORDER BY id FOR UPDATE) locked`,
  ledger: `INSERT INTO rebuild_ledger
    SELECT member_id, id, cohort_id, points, week, day, track_id, created_at FROM points_ledger l
    WHERE ${inMembers("l")}`,
  // What the learners' ledger entries in their current cohort make: ties go to who reached the points first.
  derive: `INSERT INTO rebuild_new_entries
    WITH g AS MATERIALIZED (
      SELECT l.member_id, l.cohort_id, l.week, l.track_id, sum(l.points) AS points,
             max(CASE WHEN l.points > 0 THEN l.created_at END) AS paid, min(l.created_at) AS first
      FROM rebuild_ledger l JOIN members m ON m.id = l.member_id AND m.cohort_id = l.cohort_id
      GROUP BY l.member_id, l.cohort_id, l.week, l.track_id)
    SELECT cohort_id, 'all', member_id, sum(points), ${ms("coalesce(max(paid), min(first))")} FROM g
    GROUP BY member_id, cohort_id
    UNION ALL
    SELECT cohort_id, 'week:' || week, member_id, sum(points), ${ms("coalesce(max(paid), min(first))")} FROM g
    GROUP BY member_id, cohort_id, week
    UNION ALL
    SELECT g.cohort_id, 'track:' || g.track_id, g.member_id, sum(g.points),
      ${ms("coalesce(max(g.paid), min(g.first))")}
    FROM g JOIN track_memberships t ON t.member_id = g.member_id AND t.left_at IS NULL AND t.track_id = g.track_id
    GROUP BY g.member_id, g.cohort_id, g.track_id`,
  // What the learners have now on every board of the cohorts they are in (entries elsewhere: the boards pass).
  old: `INSERT INTO rebuild_old_entries
    WITH RECURSIVE cohort(id) AS (
      SELECT DISTINCT cohort_id FROM members WHERE id > $1::bigint AND id <= $2::bigint AND cohort_id IS NOT NULL),
    ${boardsIn("board_entries", "cohort")}
    SELECT e.cohort_id, e.board, e.member_id, e.points, e.reached_at FROM board
    JOIN board_entries e ON e.cohort_id = board.cohort_id AND e.board = board.name
    WHERE ${inMembers("e")}`,
  changes: `INSERT INTO rebuild_entry_changes
    SELECT *, -1 FROM (SELECT * FROM rebuild_old_entries EXCEPT SELECT * FROM rebuild_new_entries) dropped
    UNION ALL
    SELECT *, 1 FROM (SELECT * FROM rebuild_new_entries EXCEPT SELECT * FROM rebuild_old_entries) added`,
  writeEntries: [
    `DELETE FROM board_entries e USING rebuild_entry_changes c WHERE c.delta < 0
     AND e.cohort_id = c.cohort_id AND e.board = c.board AND e.member_id = c.member_id`,
    `INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at)
     SELECT cohort_id, board, member_id, points, reached_at FROM rebuild_entry_changes WHERE delta > 0`,
  ],
  dropDays: `DELETE FROM activity_days a WHERE ${inMembers("a")} AND NOT EXISTS (
    SELECT 1 FROM rebuild_ledger l WHERE l.member_id = a.member_id AND l.day = a.day)`,
  writeDays: `INSERT INTO activity_days (member_id, day, activities)
    SELECT member_id, day, count(*) FROM rebuild_ledger WHERE day IS NOT NULL GROUP BY member_id, day
    ON CONFLICT (member_id, day) DO UPDATE SET activities = excluded.activities
    WHERE activity_days.activities <> excluded.activities`,
  learnerDays: "SELECT member_id, day FROM rebuild_ledger WHERE day IS NOT NULL ORDER BY member_id, id",
  dropStreaks: `DELETE FROM streaks s WHERE ${inMembers("s")} AND NOT EXISTS (
    SELECT 1 FROM unnest($3::integer[], $4::text[]) AS d(member_id, unit)
    WHERE d.member_id = s.member_id AND d.unit = s.unit)`,
  writeStreaks: `INSERT INTO streaks (member_id, unit, current, longest, last_unit, freezes)
    SELECT * FROM unnest($1::integer[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::integer[])
    ON CONFLICT (member_id, unit) DO UPDATE SET current = excluded.current, longest = excluded.longest,
      last_unit = excluded.last_unit, freezes = excluded.freezes
    WHERE (streaks.current, streaks.longest, streaks.last_unit, streaks.freezes)
      IS DISTINCT FROM (excluded.current, excluded.longest, excluded.last_unit, excluded.freezes)`,
};

const boardStatements = {
  /** Learners with entries on a board of a cohort they are no longer in (a move takes them off: none expected). */
  strays: `SELECT DISTINCT e.member_id AS "memberId" FROM board_entries e WHERE ${inPoints("e")}
    AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = e.member_id AND m.cohort_id = e.cohort_id)`,
  lockMembers: "SELECT id FROM members WHERE id = ANY($1::integer[]) ORDER BY id FOR UPDATE",
  dropStrays: `WITH gone AS (
      DELETE FROM board_entries e WHERE ${inPoints("e")} AND e.member_id = ANY($5::integer[])
      AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = e.member_id AND m.cohort_id = e.cohort_id)
      RETURNING e.cohort_id, e.board, e.member_id, e.points, e.reached_at)
    INSERT INTO rebuild_entry_changes SELECT *, -1 FROM gone`,
  // Nobody else writes either count table until this transaction ends; readers are not held up.
  lockCounts: "LOCK TABLE board_counts, board_day_counts IN SHARE ROW EXCLUSIVE MODE",
  deriveCounts: `INSERT INTO rebuild_day_counts
    SELECT points, ${day}, count(*) FROM board_entries e WHERE ${inPoints("e")} GROUP BY points, ${day}`,
  dropDayCounts: `DELETE FROM board_day_counts t WHERE ${inPoints("t")} AND NOT EXISTS (
    SELECT 1 FROM rebuild_day_counts w WHERE w.points = t.points AND w.day = t.day AND w.members = t.members)`,
  writeDayCounts: `INSERT INTO board_day_counts (cohort_id, board, points, day, members)
    SELECT $1, $2, points, day, members FROM rebuild_day_counts ON CONFLICT DO NOTHING`,
  dropCounts: `DELETE FROM board_counts t WHERE ${inPoints("t")} AND NOT EXISTS (
    SELECT 1 FROM (SELECT points, sum(members) AS members FROM rebuild_day_counts GROUP BY points) w
    WHERE w.points = t.points AND w.members = t.members)`,
  writeCounts: `INSERT INTO board_counts (cohort_id, board, points, members)
    SELECT $1, $2, points, sum(members) FROM rebuild_day_counts GROUP BY points ON CONFLICT DO NOTHING`,
  counted: "SELECT coalesce(sum(members), 0)::integer AS n FROM rebuild_day_counts",
  pointsBound: `SELECT points FROM board_entries WHERE cohort_id = $1 AND board = $2 AND points <= $3::bigint
    ORDER BY points DESC LIMIT 1 OFFSET $4`,
  boardsIn: (table: string) => `WITH RECURSIVE ${boardsIn(table, "cohorts")}
    SELECT cohort_id AS "cohortId", name AS board FROM board WHERE name IS NOT NULL`,
};

const inQuestions = (alias: string) =>
  `(${alias}.cohort_id, ${alias}.question_id) > ($1::bigint, $2::text)
   AND (${alias}.cohort_id, ${alias}.question_id) <= ($3::bigint, $4::text)`;
const questionStatements = {
  /**
   * One statement, so one snapshot: how far each stored tally is from the ledger. Answers add to a
   * tally in the transaction that adds their ledger entry, so the distance stays the same while they
   * go on: adding it later, whatever was answered meanwhile, leaves the tally equal to the ledger.
   */
  measure: `INSERT INTO rebuild_question_gaps
    SELECT coalesce(d.cohort_id, s.cohort_id), coalesce(d.question_id, s.question_id),
      coalesce(d.attempts, 0) - coalesce(s.attempts, 0), coalesce(d.correct, 0) - coalesce(s.correct, 0)
    FROM (SELECT cohort_id, question_id, count(*) AS attempts, count(*) FILTER (WHERE correct) AS correct
          FROM points_ledger WHERE cohort_id IS NOT NULL AND question_id IS NOT NULL AND day IS NOT NULL
          GROUP BY cohort_id, question_id) d
    FULL JOIN question_stats s ON s.cohort_id = d.cohort_id AND s.question_id = d.question_id`,
  keys: "SELECT count(*) AS n FROM rebuild_question_gaps",
  bound: `SELECT cohort_id AS "cohortId", question_id AS "questionId" FROM rebuild_question_gaps
    WHERE (cohort_id, question_id) > ($1::bigint, $2::text) ORDER BY cohort_id, question_id LIMIT 1 OFFSET $3`,
  close: `INSERT INTO question_stats (cohort_id, question_id, attempts, correct)
    SELECT g.cohort_id, g.question_id, g.attempts, g.correct FROM rebuild_question_gaps g
    WHERE ${inQuestions("g")} AND (g.attempts <> 0 OR g.correct <> 0)
    AND EXISTS (SELECT 1 FROM cohorts c WHERE c.id = g.cohort_id)
    ORDER BY g.cohort_id, g.question_id
    ON CONFLICT (cohort_id, question_id) DO UPDATE
    SET attempts = question_stats.attempts + excluded.attempts, correct = question_stats.correct + excluded.correct`,
  // Tallies the ledger has no entry for (the rows are locked by the statement before).
  drop: `DELETE FROM question_stats q USING rebuild_question_gaps g
    WHERE ${inQuestions("g")} AND (g.attempts <> 0 OR g.correct <> 0)
    AND q.cohort_id = g.cohort_id AND q.question_id = g.question_id AND q.attempts <= 0`,
  pairs: `SELECT count(*) AS n FROM rebuild_question_gaps g WHERE ${inQuestions("g")}`,
};

/** A (cohort, question) pair: the questions pass goes through them in this order. */
export type QuestionKey = [number, string];

/** The statements one rebuild runs, over its own connection. */
export function rebuildChunks(client: PoolClient) {
  const run = (text: string, values: unknown[] = []) => client.query(text, values);
  const first = async <T>(text: string, values: unknown[] = []): Promise<T | undefined> =>
    (await client.query(text, values)).rows[0] as T | undefined;
  const count = async (text: string, values: unknown[] = []) =>
    Number((await first<{ n: number }>(text, values))?.n ?? 0);

  return {
    async setUp(): Promise<void> {
      for (const [table, columns] of Object.entries(workTables)) {
        await run(`DROP TABLE IF EXISTS pg_temp.${table}`);
        await run(`CREATE TEMP TABLE ${table} (${columns}) ON COMMIT DELETE ROWS`);
      }
      await run("DROP TABLE IF EXISTS pg_temp.rebuild_question_gaps");
      await run(`CREATE TEMP TABLE rebuild_question_gaps (cohort_id integer, question_id text,
        attempts integer, correct integer, PRIMARY KEY (cohort_id, question_id))`);
    },
    async tearDown(): Promise<void> {
      for (const table of [...Object.keys(workTables), "rebuild_question_gaps"]) {
        await run(`DROP TABLE IF EXISTS pg_temp.${table}`);
      }
    },
    ledgerEntries: () => count("SELECT count(*) AS n FROM points_ledger"),
    /**
     * The end of the next range of learners after `after`: about `size` ledger entries and at most
     * `size` members (each is locked while the range is written), a learner never split.
     */
    async nextMemberBound(after: number, size: number): Promise<number> {
      const byLedger = await first<{ id: number }>(
        "SELECT member_id AS id FROM points_ledger WHERE member_id > $1::bigint ORDER BY member_id LIMIT 1 OFFSET $2",
        [after, size - 1],
      );
      const byMembers = await first<{ id: number }>(
        "SELECT id FROM members WHERE id > $1::bigint ORDER BY id LIMIT 1 OFFSET $2",
        [after, size - 1],
      );
      return Math.min(byLedger?.id ?? MAX, byMembers?.id ?? MAX);
    },
    /**
     * Inside the chunk's transaction: locks the learners after < id ≤ upTo as the answer path does
     * (FOR UPDATE of their member rows, in id order), derives their board entries, active days and
     * streaks from their ledger entries and writes what differs, moving board counts by the entries
     * that changed. Returns how many ledger entries it read.
     */
    async learners(after: number, upTo: number, folds: Folds): Promise<number> {
      const range = [after, upTo];
      const s = learnerStatements;
      await run(s.lock, range);
      const read = (await run(s.ledger, range)).rowCount ?? 0;
      await run(s.derive);
      await run(s.old, range);
      await run(s.changes);
      for (const text of [...s.writeEntries, ...moveBoardCounts]) await run(text);
      await run(s.dropDays, range);
      await run(s.writeDays);

      // The streak rule folded over each learner's days in the order they were recorded.
      const days = await client.query<[number, string]>({ text: s.learnerDays, rowMode: "array" });
      const derived = { member: [] as number[], unit: [] as string[], current: [] as number[] };
      const rest = { longest: [] as number[], lastUnit: [] as (string | null)[], freezes: [] as number[] };
      foldLearnerStreaks(days.rows, folds, (memberId, unit, state) => {
        derived.member.push(memberId);
        derived.unit.push(unit);
        derived.current.push(state.current);
        rest.longest.push(state.longest);
        rest.lastUnit.push(state.lastUnit);
        rest.freezes.push(state.freezes);
      });
      await run(s.dropStreaks, [...range, derived.member, derived.unit]);
      await run(s.writeStreaks, [...Object.values(derived), ...Object.values(rest)]);
      return read;
    },
    /** Every (cohort, board) with an entry or a count. */
    async boards(): Promise<{ cohortId: number; board: string }[]> {
      const found = new Map<string, { cohortId: number; board: string }>();
      for (const table of ["board_entries", "board_counts", "board_day_counts"]) {
        const { rows } = await client.query<{ cohortId: number; board: string }>(
          boardStatements.boardsIn(table),
        );
        for (const row of rows) found.set(`${row.cohortId}\u0000${row.board}`, row);
      }
      return [...found.values()].sort((a, b) => a.cohortId - b.cohortId || (a.board < b.board ? -1 : 1));
    },
    boardEntries: () => count("SELECT count(*) AS n FROM board_entries"),
    /** The low end of the next range of points below `high` on a board: about `size` entries. */
    async nextPointsBound(cohortId: number, board: string, high: number, size: number): Promise<number> {
      const found = await first<{ points: number }>(boardStatements.pointsBound, [
        cohortId,
        board,
        high,
        size - 1,
      ]);
      if (found === undefined) return -MAX;
      return found.points < high ? found.points : high - 1;
    },
    /** Learners with entries of low < points ≤ high on a board of a cohort they are not in (a read). */
    async strays(cohortId: number, board: string, low: number, high: number): Promise<number[]> {
      const { rows } = await client.query<{ memberId: number }>(boardStatements.strays, [
        cohortId,
        board,
        low,
        high,
      ]);
      return rows.map((r) => r.memberId);
    },
    /** Inside a transaction: those learners locked, their entries there dropped and the counts moved. */
    async dropStrays(cohortId: number, board: string, low: number, high: number, members: number[]) {
      await run(boardStatements.lockMembers, [members]);
      await run(boardStatements.dropStrays, [cohortId, board, low, high, members]);
      for (const text of moveBoardCounts) await run(text);
    },
    /**
     * Inside a transaction: the board's counts of low < points ≤ high derived from its entries and
     * written where they differ, with both count tables locked against writers (readers go on).
     * Returns how many entries that is.
     */
    async boardCounts(cohortId: number, board: string, low: number, high: number): Promise<number> {
      const range = [cohortId, board, low, high];
      const s = boardStatements;
      await run(s.lockCounts);
      await run(s.deriveCounts, range);
      await run(s.dropDayCounts, range);
      await run(s.writeDayCounts, [cohortId, board]);
      await run(s.dropCounts, range);
      await run(s.writeCounts, [cohortId, board]);
      return count(s.counted);
    },
    /** How far each (cohort, question) tally is from the ledger, measured in one snapshot; returns the pairs. */
    async measureQuestions(): Promise<number> {
      await run(questionStatements.measure);
      return count(questionStatements.keys);
    },
    /** The end of the next range of (cohort, question) after `from`: `size` pairs, or the end of all. */
    async nextQuestionBound(from: QuestionKey, size: number): Promise<QuestionKey> {
      const found = await first<{ cohortId: number; questionId: string }>(questionStatements.bound, [
        ...from,
        size - 1,
      ]);
      return found ? [found.cohortId, found.questionId] : [MAX, ""];
    },
    /** Inside a transaction: the tallies of from < (cohort, question) ≤ to moved by their distance; returns the pairs. */
    async questionStats(from: QuestionKey, to: QuestionKey): Promise<number> {
      const range = [...from, ...to];
      await run(questionStatements.close, range);
      await run(questionStatements.drop, range);
      return count(questionStatements.pairs, range);
    },
    counts: async () => {
      const found = await first<
        Record<"ledgerEntries" | "boardEntries" | "streaks" | "activityDays", number>
      >(
        `SELECT (SELECT count(*) FROM points_ledger) AS "ledgerEntries",
           (SELECT count(*) FROM board_entries) AS "boardEntries",
           (SELECT count(*) FROM streaks) AS streaks,
           (SELECT count(*) FROM activity_days) AS "activityDays"`,
      );
      if (!found) throw new Error("no counts");
      return found;
    },
  };
}

export type RebuildChunks = ReturnType<typeof rebuildChunks>;
