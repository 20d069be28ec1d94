import type { Pool } from "pg";
import type { CohortDelivery, DeliveryStore } from "../../core/ports/deliveries.js";
import { type DeliveryRow, toDelivery } from "../rows.js";
import { type Conn, row, rows } from "./tx.js";

const DELIVERY_FIELDS = `q.id, q.cohort_id AS "cohortId", q.question_id AS "questionId", q.week,
  q.delivered_at AS "deliveredAt", q.closes_at AS "closesAt"`;

/** The cohort's daily question opened (or closed) at exactly `at`; the first made, should there be two. */
async function atInstant(
  conn: Conn,
  cohortId: number,
  column: "delivered_at" | "closes_at",
  at: Date,
): Promise<CohortDelivery | undefined> {
  const found = await row<DeliveryRow>(
    conn,
    `SELECT ${DELIVERY_FIELDS} FROM questions_delivered q
     WHERE q.member_id IS NULL AND q.cohort_id = $1 AND q.${column} = $2
     ORDER BY q.id LIMIT 1`,
    [cohortId, at],
    `deliveries-at-${column}`,
  );
  return found && toDelivery(found);
}

/** Daily questions are deliveries to a cohort (no member) with a closing time. */
export function deliveryStore(pool: Pool): DeliveryStore {
  return {
    async forCohortAt(cohortId, deliveredAt) {
      return atInstant(pool, cohortId, "delivered_at", deliveredAt);
    },
    async create(delivery) {
      // Of two senders choosing one fire's question, the unique index keeps the first; both get that one.
      const made = await row<DeliveryRow>(
        pool,
        `INSERT INTO questions_delivered AS q (space_id, cohort_id, question_id, week, delivered_at, closes_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (cohort_id, delivered_at) WHERE member_id IS NULL DO NOTHING
         RETURNING ${DELIVERY_FIELDS}`,
        [
          delivery.spaceId,
          delivery.cohortId,
          delivery.questionId,
          delivery.week,
          delivery.deliveredAt,
          delivery.closesAt,
        ],
        "deliveries-create",
      );
      const chosen = made
        ? toDelivery(made)
        : await atInstant(pool, delivery.cohortId, "delivered_at", delivery.deliveredAt);
      if (!chosen) throw new Error("the daily question was not stored");
      return chosen;
    },
    async usedByCohort(cohortId) {
      const found = await rows<{ questionId: string }>(
        pool,
        `SELECT question_id AS "questionId" FROM questions_delivered WHERE member_id IS NULL AND cohort_id = $1`,
        [cohortId],
        "deliveries-used",
      );
      return new Set(found.map((r) => r.questionId));
    },
    async open(cohortId, questionId, now) {
      const found = await row<DeliveryRow>(
        pool,
        `SELECT ${DELIVERY_FIELDS} FROM questions_delivered q
         WHERE q.member_id IS NULL AND q.cohort_id = $1 AND q.question_id = $2
           AND q.delivered_at <= $3 AND q.closes_at > $3
         ORDER BY q.id LIMIT 1`,
        [cohortId, questionId, now],
        "deliveries-open",
      );
      return found && toDelivery(found);
    },
    async closedWithoutResults(now, limit) {
      const found = await rows<DeliveryRow>(
        pool,
        `SELECT ${DELIVERY_FIELDS} FROM questions_delivered q
         WHERE q.member_id IS NULL AND q.closes_at <= $1
           AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.cohort_id = q.cohort_id AND p.kind = 'daily-results'
                             AND p.due_at = q.closes_at)
         ORDER BY q.closes_at, q.id
         LIMIT $2`,
        [now, limit],
        "deliveries-closed",
      );
      return found.map(toDelivery);
    },
    async closedAt(cohortId, closesAt) {
      return atInstant(pool, cohortId, "closes_at", closesAt);
    },
    async tally(delivery) {
      // Responses in byte order, as SQLite sorts text, whatever the database's collation.
      return rows<{ response: string; correct: boolean; count: number }>(
        pool,
        `SELECT a.response, a.correct, count(*)::integer AS count
         FROM answers a JOIN members m ON m.id = a.member_id
         WHERE m.cohort_id = $1 AND a.question_id = $2 AND a.created_at >= $3 AND a.created_at <= $4
         GROUP BY a.response, a.correct
         ORDER BY a.response COLLATE "C", a.correct`,
        [delivery.cohortId, delivery.questionId, delivery.deliveredAt, delivery.closesAt],
        "deliveries-tally",
      );
    },
  };
}
