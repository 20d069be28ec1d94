import { and, count, desc, eq, max, sql, sum } from "drizzle-orm";
import type { AnswerStore, AttemptSummary } from "../core/ports.js";
import { applyLedgerEntry, placeOf } from "./aggregates.js";
import type { Db } from "./client.js";
import { answers, pointsLedger, questionsDelivered } from "./schema.js";

export function answerStore(db: Db): AnswerStore {
  return {
    async record(attempt) {
      return db.transaction((tx) => {
        if (attempt.eventKey) {
          const seen = tx
            .select({ id: answers.id })
            .from(answers)
            .where(eq(answers.eventKey, attempt.eventKey))
            .get();
          if (seen) return { stored: false, scored: false, points: 0, cohortId: null };
        }
        const alreadyScored = tx
          .select({ id: answers.id })
          .from(answers)
          .where(
            and(
              eq(answers.memberId, attempt.memberId),
              eq(answers.questionId, attempt.questionId),
              eq(answers.scored, true),
            ),
          )
          .get();
        const scores = attempt.correct && attempt.points > 0 && !alreadyScored;
        const points = scores ? attempt.points : 0;
        const row = tx
          .insert(answers)
          .values({
            memberId: attempt.memberId,
            questionId: attempt.questionId,
            response: attempt.response,
            correct: attempt.correct,
            scored: scores,
            eventKey: attempt.eventKey,
            createdAt: attempt.at,
          })
          .returning({ id: answers.id })
          .get();
        const { cohortId, trackId } = placeOf(db, attempt.memberId);
        // Every stored answer is an activity (streaks), whether or not it earns points.
        tx.insert(pointsLedger)
          .values({
            spaceId: attempt.spaceId,
            memberId: attempt.memberId,
            cohortId,
            answerId: row.id,
            questionId: attempt.questionId,
            correct: attempt.correct,
            points,
            reason: attempt.reason,
            week: attempt.week,
            day: attempt.day,
            trackId,
            createdAt: attempt.at,
          })
          .run();
        const streaks = applyLedgerEntry(db, {
          memberId: attempt.memberId,
          cohortId,
          trackId,
          questionId: attempt.questionId,
          correct: attempt.correct,
          points,
          week: attempt.week,
          day: attempt.day,
          at: attempt.at,
        });
        return { stored: true, scored: scores, points, streaks, cohortId };
      });
    },
    async summary(memberId, questionId) {
      const row = db
        .select({
          attempts: count(),
          solved: sql<number>`max(${answers.correct})`,
          lastAt: max(answers.createdAt),
        })
        .from(answers)
        .where(and(eq(answers.memberId, memberId), eq(answers.questionId, questionId)))
        .get();
      return {
        attempts: row?.attempts ?? 0,
        solved: Number(row?.solved ?? 0) === 1,
        lastAt: row?.lastAt ?? null,
      };
    },
    async history(memberId) {
      const rows = db
        .select({
          questionId: answers.questionId,
          attempts: count(),
          solved: sql<number>`max(${answers.correct})`,
          lastAt: max(answers.createdAt),
        })
        .from(answers)
        .where(eq(answers.memberId, memberId))
        .groupBy(answers.questionId)
        .orderBy(desc(max(answers.createdAt)))
        .all();
      return new Map<string, AttemptSummary>(
        rows.map((r) => [
          r.questionId,
          { attempts: r.attempts, solved: Number(r.solved) === 1, lastAt: r.lastAt ?? null },
        ]),
      );
    },
    async totalPoints(memberId) {
      const row = db
        .select({ total: sum(pointsLedger.points) })
        .from(pointsLedger)
        .where(eq(pointsLedger.memberId, memberId))
        .get();
      return Number(row?.total ?? 0);
    },
    async deliver(spaceId, memberId, questionId, week, at) {
      db.insert(questionsDelivered).values({ spaceId, memberId, questionId, week, deliveredAt: at }).run();
    },
  };
}
