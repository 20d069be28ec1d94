import type { Pool } from "pg";
import type { CohortReportStore, QuietMember, ResponseTally } from "../../core/ports/progress.js";
import { type CohortCountRow, cohortActivityOf, type WeekCountRow } from "../cohort-report-store.js";
import { toMember } from "../rows.js";
import type { members } from "./schema.js";
import { rows } from "./tx.js";

// The dashboard's whole-cohort reads of ../cohort-report-store.ts on PostgreSQL, same results in the same
// order. Week boards are the key range 'week:'..'week;' in byte order (COLLATE "C"), as on SQLite.

const cohortCountsSql = `
  SELECT c.id AS "cohortId", (SELECT count(*) FROM members m WHERE m.cohort_id = c.id) AS members
  FROM cohorts c WHERE c.space_id = $1 ORDER BY c.created_at, c.id`;

const weekCountsSql = `
  SELECT b.cohort_id AS "cohortId", substr(b.board, 6)::int AS week, sum(b.members) AS learners
  FROM board_counts b JOIN cohorts c ON c.id = b.cohort_id
  WHERE c.space_id = $1 AND b.board COLLATE "C" >= 'week:' AND b.board COLLATE "C" < 'week;'
  GROUP BY b.cohort_id, b.board`;

/** Each member's last cohort week: the week boards hold a row per member and week they were active. */
const lastWeeks = `weeks AS (
  SELECT member_id, max(substr(board, 6)::int) AS last_week FROM board_entries
  WHERE cohort_id = $1 AND board COLLATE "C" >= 'week:' AND board COLLATE "C" < 'week;' GROUP BY member_id
)`;

const memberColumns = `m.id, m.space_id AS "spaceId", m.external_id AS "externalId", m.display_name AS "displayName",
  m.timezone, m.cohort_id AS "cohortId", m.created_at AS "createdAt"`;

const memberActivitySql = `
  WITH ${lastWeeks}, solved AS (
    SELECT a.member_id, count(DISTINCT a.question_id) AS n
    FROM members m JOIN answers a ON a.member_id = m.id
    WHERE m.cohort_id = $1 AND a.correct AND a.question_id = ANY($2::text[])
    GROUP BY a.member_id
  )
  SELECT ${memberColumns}, s.last_unit AS "lastActive", w.last_week AS "lastWeek", coalesce(v.n, 0) AS solved
  FROM members m
  LEFT JOIN streaks s ON s.member_id = m.id AND s.unit = 'day'
  LEFT JOIN weeks w ON w.member_id = m.id
  LEFT JOIN solved v ON v.member_id = m.id
  WHERE m.cohort_id = $1
  ORDER BY m.id`;

const quietMembersSql = `
  WITH ${lastWeeks}
  SELECT ${memberColumns}, s.last_unit AS "lastActive", w.last_week AS "lastWeek"
  FROM members m
  LEFT JOIN streaks s ON s.member_id = m.id AND s.unit = 'day'
  LEFT JOIN weeks w ON w.member_id = m.id
  WHERE m.cohort_id = $1 AND (s.last_unit IS NULL OR s.last_unit COLLATE "C" < $2
    OR w.last_week IS NULL OR w.last_week < $3)
  ORDER BY m.id`;

const wrongResponsesSql = `
  SELECT l.question_id AS "questionId", a.response, count(*) AS count
  FROM points_ledger l JOIN answers a ON a.id = l.answer_id
  WHERE l.cohort_id = $1 AND NOT l.correct AND l.question_id = ANY($2::text[])
  GROUP BY l.question_id, a.response
  ORDER BY l.question_id COLLATE "C", count(*) DESC, a.response COLLATE "C"`;

type QuietMemberRow = typeof members.$inferSelect & { lastActive: string | null; lastWeek: number | null };
type MemberActivityRow = QuietMemberRow & { solved: number };

const toQuietMember = (r: QuietMemberRow): QuietMember => ({
  member: toMember(r),
  lastActive: r.lastActive,
  lastWeek: r.lastWeek,
});

export function cohortReportStore(pool: Pool): CohortReportStore {
  return {
    async cohortActivity(spaceId) {
      const [counts, weeks] = await Promise.all([
        rows<CohortCountRow>(pool, cohortCountsSql, [spaceId], "report-cohort-counts"),
        rows<WeekCountRow>(pool, weekCountsSql, [spaceId], "report-week-counts"),
      ]);
      return cohortActivityOf(counts, weeks);
    },
    async memberActivity(cohortId, solvedOf) {
      const found = await rows<MemberActivityRow>(
        pool,
        memberActivitySql,
        [cohortId, [...solvedOf]],
        "report-member-activity",
      );
      return found.map((r) => ({ ...toQuietMember(r), solved: r.solved }));
    },
    async quietMembers(cohortId, activeSince, weekSince) {
      const found = await rows<QuietMemberRow>(
        pool,
        quietMembersSql,
        [cohortId, activeSince, weekSince],
        "report-quiet-members",
      );
      return found.map(toQuietMember);
    },
    async wrongResponses(cohortId, questionIds) {
      if (questionIds.length === 0) return [];
      return rows<ResponseTally>(
        pool,
        wrongResponsesSql,
        [cohortId, [...questionIds]],
        "report-wrong-responses",
      );
    },
  };
}
