import { and, asc, between, count, desc, eq, gt, gte, isNull, like, lt, sql, sum } from "drizzle-orm";
import type { Board, ProgressRow, ProgressStore, Standing } from "../core/ports/progress.js";
import { emptyStreak, type StreakState, type StreakUnit } from "../core/rules/streak.js";
import { boardKey, DAY_MS, dayOf } from "./board-rules.js";
import type { Db } from "./client.js";
import { cohortReportStore } from "./cohort-report-store.js";
import { toMember } from "./rows.js";
import {
  activityDays,
  boardCounts,
  boardDayCounts,
  boardEntries,
  members,
  questionStats,
  streaks,
  trackMemberships,
} from "./schema.js";

const toStreak = (row: typeof streaks.$inferSelect | null | undefined): StreakState =>
  row
    ? { current: row.current, longest: row.longest, lastUnit: row.lastUnit, freezes: row.freezes }
    : emptyStreak;

export function progressStore(db: Db): ProgressStore {
  // Every /leaderboard, /streak and board post runs these: prepared once, not built and compiled per call.
  const p = sql.placeholder;
  const higherQuery = db
    .select({ n: sum(boardCounts.members) })
    .from(boardCounts)
    .where(
      and(
        eq(boardCounts.cohortId, p("cohortId")),
        eq(boardCounts.board, p("board")),
        gt(boardCounts.points, p("points")),
      ),
    )
    .prepare();
  const earlierDaysQuery = db
    .select({ n: sum(boardDayCounts.members) })
    .from(boardDayCounts)
    .where(
      and(
        eq(boardDayCounts.cohortId, p("cohortId")),
        eq(boardDayCounts.board, p("board")),
        eq(boardDayCounts.points, p("points")),
        lt(boardDayCounts.day, p("day")),
      ),
    )
    .prepare();
  const sameDayQuery = db
    .select({ n: count() })
    .from(boardEntries)
    .where(
      and(
        eq(boardEntries.cohortId, p("cohortId")),
        eq(boardEntries.board, p("board")),
        eq(boardEntries.points, p("points")),
        gte(boardEntries.reachedAt, p("dayStart")),
        sql`(${boardEntries.reachedAt}, ${boardEntries.memberId}) < (${p("reachedAt")}, ${p("memberId")})`,
      ),
    )
    .prepare();
  const topQuery = db
    .select({ entry: boardEntries, member: members })
    .from(boardEntries)
    .innerJoin(members, eq(members.id, boardEntries.memberId))
    .where(and(eq(boardEntries.cohortId, p("cohortId")), eq(boardEntries.board, p("board"))))
    .orderBy(desc(boardEntries.points), asc(boardEntries.reachedAt), asc(boardEntries.memberId))
    .limit(p("limit"))
    .prepare();
  const entryQuery = db
    .select({ entry: boardEntries, member: members })
    .from(boardEntries)
    .innerJoin(members, eq(members.id, boardEntries.memberId))
    .where(
      and(
        eq(boardEntries.cohortId, p("cohortId")),
        eq(boardEntries.board, p("board")),
        eq(boardEntries.memberId, p("memberId")),
      ),
    )
    .prepare();
  const sizeQuery = db
    .select({ n: sum(boardCounts.members) })
    .from(boardCounts)
    .where(and(eq(boardCounts.cohortId, p("cohortId")), eq(boardCounts.board, p("board"))))
    .prepare();
  const streakQuery = db
    .select()
    .from(streaks)
    .where(and(eq(streaks.memberId, p("memberId")), eq(streaks.unit, p("unit"))))
    .prepare();
  const activityQuery = db
    .select({ day: activityDays.day, activities: activityDays.activities })
    .from(activityDays)
    .where(and(eq(activityDays.memberId, p("memberId")), between(activityDays.day, p("from"), p("to"))))
    .prepare();

  /**
   * Learners ahead of a standing, without counting the board: whole points values above from
   * `board_counts`, whole earlier days of the same value from `board_day_counts`, and rows only
   * within the standing's own value and day. None of the three grows with the cohort.
   */
  const ahead = (cohortId: number, board: string, points: number, reachedAt: number, memberId: number) => {
    const day = dayOf(reachedAt);
    const higher = higherQuery.get({ cohortId, board, points });
    const earlierDays = earlierDaysQuery.get({ cohortId, board, points, day });
    const sameDay = sameDayQuery.get({
      cohortId,
      board,
      points,
      dayStart: day * DAY_MS,
      reachedAt,
      memberId,
    });
    return Number(higher?.n ?? 0) + Number(earlierDays?.n ?? 0) + (sameDay?.n ?? 0);
  };

  return {
    ...cohortReportStore(db),
    async top(cohortId, board, limit): Promise<Standing[]> {
      const rows = topQuery.all({ cohortId, board: boardKey(board), limit });
      return rows.map((row, i) => ({
        rank: i + 1,
        member: toMember(row.member),
        points: row.entry.points,
        reachedAt: new Date(row.entry.reachedAt),
      }));
    },
    async standing(cohortId, board: Board, memberId) {
      const key = boardKey(board);
      const row = entryQuery.get({ cohortId, board: key, memberId });
      if (!row) return undefined;
      const { points, reachedAt } = row.entry;
      return {
        rank: ahead(cohortId, key, points, reachedAt, memberId) + 1,
        member: toMember(row.member),
        points,
        reachedAt: new Date(reachedAt),
      };
    },
    async size(cohortId, board) {
      return Number(sizeQuery.get({ cohortId, board: boardKey(board) })?.n ?? 0);
    },
    async streak(memberId, unit) {
      return toStreak(streakQuery.get({ memberId, unit }));
    },
    async activity(memberId, from, to) {
      const rows = activityQuery.all({ memberId, from, to });
      return new Map(rows.map((r) => [r.day, r.activities]));
    },
    async participation(cohortId) {
      const rows = db
        .select({
          board: boardCounts.board,
          learners: sum(boardCounts.members),
          points: sql<number>`sum(${boardCounts.points} * ${boardCounts.members})`,
        })
        .from(boardCounts)
        .where(and(eq(boardCounts.cohortId, cohortId), like(boardCounts.board, "week:%")))
        .groupBy(boardCounts.board)
        .all();
      return rows
        .map((r) => ({
          week: Number(r.board.slice("week:".length)),
          learners: Number(r.learners ?? 0),
          points: Number(r.points ?? 0),
        }))
        .sort((a, b) => a.week - b.week);
    },
    async questionTallies(cohortId) {
      return db
        .select({
          questionId: questionStats.questionId,
          attempts: questionStats.attempts,
          correct: questionStats.correct,
        })
        .from(questionStats)
        .where(eq(questionStats.cohortId, cohortId))
        .all();
    },
    async lapsing(cohortId, unit: StreakUnit, from, to) {
      const rows = db
        .select({ member: members, streak: streaks })
        .from(streaks)
        .innerJoin(members, eq(members.id, streaks.memberId))
        .where(
          and(
            eq(streaks.unit, unit),
            between(streaks.lastUnit, from, to),
            eq(members.cohortId, cohortId),
            gt(streaks.current, 0),
          ),
        )
        .orderBy(desc(streaks.current), asc(members.id))
        .all();
      return rows.map((r) => ({ member: toMember(r.member), streak: toStreak(r.streak) }));
    },
    async report(cohortId): Promise<ProgressRow[]> {
      const rows = db
        .select({
          member: members,
          trackId: trackMemberships.trackId,
          points: boardEntries.points,
          reachedAt: boardEntries.reachedAt,
        })
        .from(members)
        .leftJoin(
          trackMemberships,
          and(eq(trackMemberships.memberId, members.id), isNull(trackMemberships.leftAt)),
        )
        .leftJoin(
          boardEntries,
          and(
            eq(boardEntries.memberId, members.id),
            eq(boardEntries.cohortId, cohortId),
            eq(boardEntries.board, "all"),
          ),
        )
        .where(eq(members.cohortId, cohortId))
        .orderBy(
          sql`${boardEntries.points} IS NULL`,
          desc(boardEntries.points),
          asc(boardEntries.reachedAt),
          asc(members.id),
        )
        .all();
      const streakRows = db
        .select({ streak: streaks })
        .from(streaks)
        .innerJoin(members, eq(members.id, streaks.memberId))
        .where(eq(members.cohortId, cohortId))
        .all();
      const byMember = new Map<number, Record<StreakUnit, StreakState>>();
      for (const { streak } of streakRows) {
        const entry = byMember.get(streak.memberId) ?? { day: emptyStreak, week: emptyStreak };
        entry[streak.unit] = toStreak(streak);
        byMember.set(streak.memberId, entry);
      }
      let rank = 0;
      return rows.map((r) => ({
        member: toMember(r.member),
        trackId: r.trackId,
        points: r.points ?? 0,
        rank: r.points === null ? null : ++rank,
        streaks: byMember.get(r.member.id) ?? { day: emptyStreak, week: emptyStreak },
      }));
    },
  };
}
