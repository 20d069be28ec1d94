import type { Pool } from "pg";
import type { Board, ProgressRow, ProgressStore, Standing } from "../../core/ports/progress.js";
import { emptyStreak, type StreakState } from "../../core/rules/streak.js";
import { boardKey, DAY_MS } from "../board-rules.js";
import { toMember } from "../rows.js";
import { cohortReportStore } from "./cohort-report-store.js";
import type { members } from "./schema.js";
import { row, rows } from "./tx.js";

// The progress reads of ../progress-store.ts on PostgreSQL, same results in the same order. Text is
// compared and ordered with COLLATE "C": SQLite compares bytes, PostgreSQL follows the database's locale.

type MemberRow = typeof members.$inferSelect;

/** A member (aliased `m`) under the names toMember reads. */
const memberColumns = `m.id, m.space_id AS "spaceId", m.external_id AS "externalId",
  m.display_name AS "displayName", m.timezone, m.cohort_id AS "cohortId", m.created_at AS "createdAt"`;

interface EntryColumns {
  points: number;
  /** Epoch milliseconds: bigint, which the pool reads as a number. */
  reachedAt: number;
}

interface StreakColumns {
  current: number;
  longest: number;
  lastUnit: string | null;
  freezes: number;
}

const toStreak = (found: StreakColumns): StreakState => ({
  current: found.current,
  longest: found.longest,
  lastUnit: found.lastUnit,
  freezes: found.freezes,
});

/** A learner's place on one board, read whole from one statement so its parts agree. */
const standingSql = `
  WITH own AS (
    SELECT member_id, points, reached_at, floor(reached_at / $4::numeric) AS day
    FROM board_entries WHERE cohort_id = $1 AND board = $2 AND member_id = $3
  )
  SELECT ${memberColumns}, own.points, own.reached_at AS "reachedAt",
    (SELECT coalesce(sum(c.members), 0) FROM board_counts c
       WHERE c.cohort_id = $1 AND c.board = $2 AND c.points > own.points)
    + (SELECT coalesce(sum(d.members), 0) FROM board_day_counts d
       WHERE d.cohort_id = $1 AND d.board = $2 AND d.points = own.points AND d.day < own.day)
    + (SELECT count(*) FROM board_entries e
       WHERE e.cohort_id = $1 AND e.board = $2 AND e.points = own.points
         AND e.reached_at >= own.day * $4::numeric
         AND (e.reached_at, e.member_id) < (own.reached_at, own.member_id)) AS ahead
  FROM own JOIN members m ON m.id = own.member_id`;

/** A unit's streak (aliased `alias`) as one object; no row reads as the empty streak. */
const streakObject = (alias: string) =>
  `json_build_object('current', coalesce(${alias}.current, 0), 'longest', coalesce(${alias}.longest, 0),
    'lastUnit', ${alias}.last_unit, 'freezes', coalesce(${alias}.freezes, 0))`;

/** Each current member with their all-time entry and both streaks, best first, then unranked by id. */
const reportSql = `
  SELECT ${memberColumns}, t.track_id AS "trackId", e.points,
    ${streakObject("sd")} AS "dayStreak", ${streakObject("sw")} AS "weekStreak"
  FROM members m
  LEFT JOIN track_memberships t ON t.member_id = m.id AND t.left_at IS NULL
  LEFT JOIN board_entries e ON e.member_id = m.id AND e.cohort_id = $1 AND e.board = 'all'
  LEFT JOIN streaks sd ON sd.member_id = m.id AND sd.unit = 'day'
  LEFT JOIN streaks sw ON sw.member_id = m.id AND sw.unit = 'week'
  WHERE m.cohort_id = $1
  ORDER BY e.points IS NULL, e.points DESC, e.reached_at, m.id`;

type ReportRow = MemberRow & {
  trackId: string | null;
  points: number | null;
  dayStreak: StreakState;
  weekStreak: StreakState;
};

export function progressStore(pool: Pool): ProgressStore {
  return {
    ...cohortReportStore(pool),
    async top(cohortId, board, limit): Promise<Standing[]> {
      const found = await rows<MemberRow & EntryColumns>(
        pool,
        `SELECT ${memberColumns}, e.points, e.reached_at AS "reachedAt"
         FROM board_entries e JOIN members m ON m.id = e.member_id
         WHERE e.cohort_id = $1 AND e.board = $2
         ORDER BY e.points DESC, e.reached_at, e.member_id
         LIMIT $3`,
        // SQLite reads a negative limit as none; PostgreSQL refuses one, and reads NULL as none.
        [cohortId, boardKey(board), limit < 0 ? null : limit],
        "progress-top",
      );
      return found.map((r, i) => ({
        rank: i + 1,
        member: toMember(r),
        points: r.points,
        reachedAt: new Date(r.reachedAt),
      }));
    },
    async standing(cohortId, board: Board, memberId) {
      const found = await row<MemberRow & EntryColumns & { ahead: number }>(
        pool,
        standingSql,
        [cohortId, boardKey(board), memberId, DAY_MS],
        "progress-standing",
      );
      if (!found) return undefined;
      return {
        rank: found.ahead + 1,
        member: toMember(found),
        points: found.points,
        reachedAt: new Date(found.reachedAt),
      };
    },
    async size(cohortId, board) {
      const found = await row<{ n: number }>(
        pool,
        "SELECT coalesce(sum(members), 0) AS n FROM board_counts WHERE cohort_id = $1 AND board = $2",
        [cohortId, boardKey(board)],
        "progress-size",
      );
      return found?.n ?? 0;
    },
    async streak(memberId, unit) {
      const found = await row<StreakColumns>(
        pool,
        `SELECT current, longest, last_unit AS "lastUnit", freezes FROM streaks WHERE member_id = $1 AND unit = $2`,
        [memberId, unit],
        "progress-streak",
      );
      return found ? toStreak(found) : emptyStreak;
    },
    async activity(memberId, from, to) {
      const found = await rows<{ day: string; activities: number }>(
        pool,
        `SELECT day, activities FROM activity_days
         WHERE member_id = $1 AND day COLLATE "C" BETWEEN $2 AND $3 ORDER BY day COLLATE "C"`,
        [memberId, from, to],
        "progress-activity",
      );
      return new Map(found.map((r) => [r.day, r.activities]));
    },
    async participation(cohortId) {
      // bigint product: integer points times members may pass int4 where SQLite's integers would not.
      const found = await rows<{ board: string; learners: number; points: number }>(
        pool,
        `SELECT board, sum(members) AS learners, sum(points::bigint * members) AS points FROM board_counts
         WHERE cohort_id = $1 AND board LIKE 'week:%' GROUP BY board`,
        [cohortId],
        "progress-participation",
      );
      return found
        .map((r) => ({ week: Number(r.board.slice("week:".length)), learners: r.learners, points: r.points }))
        .sort((a, b) => a.week - b.week);
    },
    async questionTallies(cohortId) {
      // SQLite reads these through the primary key, so in byte order of the question id.
      return rows<{ questionId: string; attempts: number; correct: number }>(
        pool,
        `SELECT question_id AS "questionId", attempts, correct FROM question_stats
         WHERE cohort_id = $1 ORDER BY question_id COLLATE "C"`,
        [cohortId],
        "progress-question-tallies",
      );
    },
    async lapsing(cohortId, unit, from, to) {
      const found = await rows<MemberRow & StreakColumns>(
        pool,
        `SELECT ${memberColumns}, s.current, s.longest, s.last_unit AS "lastUnit", s.freezes
         FROM streaks s JOIN members m ON m.id = s.member_id
         WHERE s.unit = $2 AND s.last_unit COLLATE "C" BETWEEN $3 AND $4 AND m.cohort_id = $1 AND s.current > 0
         ORDER BY s.current DESC, m.id`,
        [cohortId, unit, from, to],
        "progress-lapsing",
      );
      return found.map((r) => ({ member: toMember(r), streak: toStreak(r) }));
    },
    async report(cohortId): Promise<ProgressRow[]> {
      const found = await rows<ReportRow>(pool, reportSql, [cohortId], "progress-report");
      let rank = 0;
      return found.map((r) => ({
        member: toMember(r),
        trackId: r.trackId,
        points: r.points ?? 0,
        rank: r.points === null ? null : ++rank,
        streaks: { day: r.dayStreak, week: r.weekStreak },
      }));
    },
  };
}
