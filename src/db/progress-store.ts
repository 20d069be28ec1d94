import { and, asc, between, count, desc, eq, gt, gte, isNull, like, lt, sql, sum } from "drizzle-orm";
import type { Board, ProgressRow, ProgressStore, Standing } from "../core/ports/progress.js";
import { emptyStreak, type StreakState, type StreakUnit } from "../core/rules/streak.js";
import { boardKey, DAY_MS, dayOf } from "./board-rules.js";
import type { Db } from "./client.js";
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
  /**
   * Learners ahead of a standing, without counting the board: whole points values above from
   * `board_counts`, whole earlier days of the same value from `board_day_counts`, and rows only
   * within the standing's own value and day. None of the three grows with the cohort.
   */
  const ahead = (cohortId: number, board: string, points: number, reachedAt: number, memberId: number) => {
    const day = dayOf(reachedAt);
    const higher = db
      .select({ n: sum(boardCounts.members) })
      .from(boardCounts)
      .where(
        and(eq(boardCounts.cohortId, cohortId), eq(boardCounts.board, board), gt(boardCounts.points, points)),
      )
      .get();
    const earlierDays = db
      .select({ n: sum(boardDayCounts.members) })
      .from(boardDayCounts)
      .where(
        and(
          eq(boardDayCounts.cohortId, cohortId),
          eq(boardDayCounts.board, board),
          eq(boardDayCounts.points, points),
          lt(boardDayCounts.day, day),
        ),
      )
      .get();
    const sameDay = db
      .select({ n: count() })
      .from(boardEntries)
      .where(
        and(
          eq(boardEntries.cohortId, cohortId),
          eq(boardEntries.board, board),
          eq(boardEntries.points, points),
          gte(boardEntries.reachedAt, day * DAY_MS),
          sql`(${boardEntries.reachedAt}, ${boardEntries.memberId}) < (${reachedAt}, ${memberId})`,
        ),
      )
      .get();
    return Number(higher?.n ?? 0) + Number(earlierDays?.n ?? 0) + (sameDay?.n ?? 0);
  };

  return {
    async top(cohortId, board, limit): Promise<Standing[]> {
      const rows = db
        .select({ entry: boardEntries, member: members })
        .from(boardEntries)
        .innerJoin(members, eq(members.id, boardEntries.memberId))
        .where(and(eq(boardEntries.cohortId, cohortId), eq(boardEntries.board, boardKey(board))))
        .orderBy(desc(boardEntries.points), asc(boardEntries.reachedAt), asc(boardEntries.memberId))
        .limit(limit)
        .all();
      return rows.map((row, i) => ({
        rank: i + 1,
        member: toMember(row.member),
        points: row.entry.points,
        reachedAt: new Date(row.entry.reachedAt),
      }));
    },
    async standing(cohortId, board: Board, memberId) {
      const key = boardKey(board);
      const row = db
        .select({ entry: boardEntries, member: members })
        .from(boardEntries)
        .innerJoin(members, eq(members.id, boardEntries.memberId))
        .where(
          and(
            eq(boardEntries.cohortId, cohortId),
            eq(boardEntries.board, key),
            eq(boardEntries.memberId, memberId),
          ),
        )
        .get();
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
      const row = db
        .select({ n: sum(boardCounts.members) })
        .from(boardCounts)
        .where(and(eq(boardCounts.cohortId, cohortId), eq(boardCounts.board, boardKey(board))))
        .get();
      return Number(row?.n ?? 0);
    },
    async streak(memberId, unit) {
      return toStreak(
        db
          .select()
          .from(streaks)
          .where(and(eq(streaks.memberId, memberId), eq(streaks.unit, unit)))
          .get(),
      );
    },
    async activity(memberId, from, to) {
      const rows = db
        .select({ day: activityDays.day, activities: activityDays.activities })
        .from(activityDays)
        .where(and(eq(activityDays.memberId, memberId), between(activityDays.day, from, to)))
        .all();
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
