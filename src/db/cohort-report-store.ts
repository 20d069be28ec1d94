import type {
  CohortActivity,
  CohortReportStore,
  MemberActivity,
  QuietMember,
  ResponseTally,
} from "../core/ports/progress.js";
import type { Db } from "./client.js";
import { preparedOnce, toMember } from "./rows.js";

// The dashboard's whole-cohort reads on SQLite. Week boards are read as the key range 'week:'..'week;'
// (';' follows ':' in byte order), so the board index is walked, not every board of the cohort.

export interface CohortCountRow {
  cohortId: number;
  members: number;
}

export interface WeekCountRow {
  cohortId: number;
  week: number;
  learners: number;
}

interface QuietMemberRow {
  id: number;
  spaceId: number;
  externalId: string;
  displayName: string;
  timezone: string | null;
  cohortId: number | null;
  createdAt: number;
  lastActive: string | null;
  lastWeek: number | null;
}

type MemberActivityRow = QuietMemberRow & { solved: number };

/** Each member's last cohort week: the week boards hold a row per member and week they were active. */
const LAST_WEEKS = `weeks AS (
  SELECT member_id, max(CAST(substr(board, 6) AS INTEGER)) AS last_week FROM board_entries
  WHERE cohort_id = @cohortId AND board >= 'week:' AND board < 'week;' GROUP BY member_id
)`;

const MEMBER_COLUMNS = `m.id, m.space_id AS spaceId, m.external_id AS externalId, m.display_name AS displayName,
  m.timezone, m.cohort_id AS cohortId, m.created_at AS createdAt`;

function prepare(sqlite: Db["$client"]) {
  return {
    cohortCounts: sqlite.prepare<[number], CohortCountRow>(
      `SELECT c.id AS cohortId, (SELECT count(*) FROM members m WHERE m.cohort_id = c.id) AS members
       FROM cohorts c WHERE c.space_id = ? ORDER BY c.created_at, c.id`,
    ),
    weekCounts: sqlite.prepare<[number], WeekCountRow>(
      `SELECT b.cohort_id AS cohortId, CAST(substr(b.board, 6) AS INTEGER) AS week, sum(b.members) AS learners
       FROM board_counts b JOIN cohorts c ON c.id = b.cohort_id
       WHERE c.space_id = ? AND b.board >= 'week:' AND b.board < 'week;'
       GROUP BY b.cohort_id, b.board`,
    ),
    // "+a.question_id": read each member's answers along the index and test the id against the list,
    // rather than seek every listed id for every member (76 challenges × 1,000 members: 30× slower).
    memberActivity: sqlite.prepare<[{ cohortId: number; solvedOf: string }], MemberActivityRow>(
      `WITH ${LAST_WEEKS}, solved AS (
         SELECT a.member_id, count(DISTINCT a.question_id) AS n
         FROM members m JOIN answers a ON a.member_id = m.id
         WHERE m.cohort_id = @cohortId AND a.correct = 1
           AND +a.question_id IN (SELECT value FROM json_each(@solvedOf))
         GROUP BY a.member_id
       )
       SELECT ${MEMBER_COLUMNS}, s.last_unit AS lastActive, w.last_week AS lastWeek, coalesce(v.n, 0) AS solved
       FROM members m
       LEFT JOIN streaks s ON s.member_id = m.id AND s.unit = 'day'
       LEFT JOIN weeks w ON w.member_id = m.id
       LEFT JOIN solved v ON v.member_id = m.id
       WHERE m.cohort_id = @cohortId
       ORDER BY m.id`,
    ),
    quietMembers: sqlite.prepare<
      [{ cohortId: number; activeSince: string; weekSince: number }],
      QuietMemberRow
    >(
      `WITH ${LAST_WEEKS}
       SELECT ${MEMBER_COLUMNS}, s.last_unit AS lastActive, w.last_week AS lastWeek
       FROM members m
       LEFT JOIN streaks s ON s.member_id = m.id AND s.unit = 'day'
       LEFT JOIN weeks w ON w.member_id = m.id
       WHERE m.cohort_id = @cohortId AND (s.last_unit IS NULL OR s.last_unit < @activeSince
         OR w.last_week IS NULL OR w.last_week < @weekSince)
       ORDER BY m.id`,
    ),
    wrongResponses: sqlite.prepare<[number, string], ResponseTally>(
      `SELECT l.question_id AS questionId, a.response, count(*) AS count
       FROM points_ledger l JOIN answers a ON a.id = l.answer_id
       WHERE l.cohort_id = ? AND l.correct = 0 AND l.question_id IN (SELECT value FROM json_each(?))
       GROUP BY l.question_id, a.response
       ORDER BY l.question_id, count(*) DESC, a.response`,
    ),
  };
}

/** Groups per-week counts under their cohort, weeks in order. */
export function cohortActivityOf(counts: CohortCountRow[], weeks: WeekCountRow[]): CohortActivity[] {
  const byCohort = new Map<number, { week: number; learners: number }[]>();
  for (const row of weeks) {
    const list = byCohort.get(row.cohortId) ?? [];
    list.push({ week: row.week, learners: row.learners });
    byCohort.set(row.cohortId, list);
  }
  return counts.map((c) => ({
    cohortId: c.cohortId,
    members: c.members,
    weeks: (byCohort.get(c.cohortId) ?? []).sort((a, b) => a.week - b.week),
  }));
}

function toQuietMember(row: QuietMemberRow): QuietMember {
  return {
    member: toMember({ ...row, createdAt: new Date(row.createdAt) }),
    lastActive: row.lastActive,
    lastWeek: row.lastWeek,
  };
}

const toMemberActivity = (row: MemberActivityRow): MemberActivity => ({
  ...toQuietMember(row),
  solved: row.solved,
});

export function cohortReportStore(db: Db): CohortReportStore {
  // Prepared on first use: the store may be made before the migrations ran.
  const statements = preparedOnce(() => prepare(db.$client));
  return {
    async cohortActivity(spaceId) {
      const { cohortCounts, weekCounts } = statements();
      return cohortActivityOf(cohortCounts.all(spaceId), weekCounts.all(spaceId));
    },
    async memberActivity(cohortId, solvedOf) {
      return statements()
        .memberActivity.all({ cohortId, solvedOf: JSON.stringify(solvedOf) })
        .map(toMemberActivity);
    },
    async quietMembers(cohortId, activeSince, weekSince) {
      return statements().quietMembers.all({ cohortId, activeSince, weekSince }).map(toQuietMember);
    },
    async wrongResponses(cohortId, questionIds) {
      if (questionIds.length === 0) return [];
      return statements().wrongResponses.all(cohortId, JSON.stringify(questionIds));
    },
  };
}
