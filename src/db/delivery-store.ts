import { and, asc, count, eq, gt, gte, isNull, lte, notExists, sql } from "drizzle-orm";
import type { DeliveryStore } from "../core/ports/deliveries.js";
import type { Db } from "./client.js";
import { preparedOnce, toDelivery } from "./rows.js";
import { answers, members, posts, questionsDelivered } from "./schema.js";

/** Daily questions are deliveries to a cohort (no member) with a closing time. */
export function deliveryStore(db: Db): DeliveryStore {
  const cohortWide = isNull(questionsDelivered.memberId);
  /** The cohort's daily question whose opening (or closing) instant is exactly `at`. */
  const atInstant = (cohortId: number, column: "deliveredAt" | "closesAt", at: Date) => {
    const row = db
      .select()
      .from(questionsDelivered)
      .where(and(cohortWide, eq(questionsDelivered.cohortId, cohortId), eq(questionsDelivered[column], at)))
      .get();
    return row && toDelivery(row);
  };
  const insertDaily = preparedOnce(() =>
    db.$client.prepare<[number, number, string, number, number, number]>(
      `INSERT INTO questions_delivered (space_id, cohort_id, question_id, week, delivered_at, closes_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (cohort_id, delivered_at) WHERE member_id IS NULL DO NOTHING`,
    ),
  );
  // Every answer asks whether it answers the open question of the day: prepared once.
  const openQuery = db
    .select()
    .from(questionsDelivered)
    .where(
      and(
        cohortWide,
        eq(questionsDelivered.cohortId, sql.placeholder("cohortId")),
        eq(questionsDelivered.questionId, sql.placeholder("questionId")),
        lte(questionsDelivered.deliveredAt, sql.placeholder("now")),
        gt(questionsDelivered.closesAt, sql.placeholder("now")),
      ),
    )
    .prepare();
  return {
    async forCohortAt(cohortId, deliveredAt) {
      return atInstant(cohortId, "deliveredAt", deliveredAt);
    },
    async create(delivery) {
      // The unique index keeps one question per cohort and fire; a second choice gets the first.
      insertDaily().run(
        delivery.spaceId,
        delivery.cohortId,
        delivery.questionId,
        delivery.week,
        delivery.deliveredAt.getTime(),
        delivery.closesAt.getTime(),
      );
      const chosen = atInstant(delivery.cohortId, "deliveredAt", delivery.deliveredAt);
      if (!chosen) throw new Error("the daily question was not stored");
      return chosen;
    },
    async usedByCohort(cohortId) {
      const rows = db
        .select({ questionId: questionsDelivered.questionId })
        .from(questionsDelivered)
        .where(and(cohortWide, eq(questionsDelivered.cohortId, cohortId)))
        .all();
      return new Set(rows.map((r) => r.questionId));
    },
    async open(cohortId, questionId, now) {
      // Placeholders in a where clause are bound as given: the instant as stored, in milliseconds.
      const row = openQuery.get({ cohortId, questionId, now: now.getTime() });
      return row && toDelivery(row);
    },
    async closedWithoutResults(now, limit) {
      return db
        .select()
        .from(questionsDelivered)
        .where(
          and(
            cohortWide,
            lte(questionsDelivered.closesAt, now),
            notExists(
              db
                .select({ id: posts.id })
                .from(posts)
                .where(
                  and(
                    eq(posts.cohortId, questionsDelivered.cohortId),
                    eq(posts.kind, "daily-results"),
                    eq(posts.dueAt, questionsDelivered.closesAt),
                  ),
                ),
            ),
          ),
        )
        .orderBy(asc(questionsDelivered.closesAt))
        .limit(limit)
        .all()
        .map(toDelivery);
    },
    async closedAt(cohortId, closesAt) {
      return atInstant(cohortId, "closesAt", closesAt);
    },
    async tally(delivery) {
      return db
        .select({ response: answers.response, correct: answers.correct, count: count() })
        .from(answers)
        .innerJoin(members, eq(members.id, answers.memberId))
        .where(
          and(
            eq(members.cohortId, delivery.cohortId),
            eq(answers.questionId, delivery.questionId),
            gte(answers.createdAt, delivery.deliveredAt),
            lte(answers.createdAt, delivery.closesAt),
          ),
        )
        .groupBy(answers.response, answers.correct)
        .orderBy(asc(answers.response))
        .all();
    },
  };
}
