import type { Pool } from "pg";
import type { ReviewEntry, ReviewStore } from "../../core/ports/reviews.js";
import { execute, row } from "./tx.js";

// The reviews of ../review-store.ts on PostgreSQL. Every write is one statement, so two processes
// saving one review at once both succeed and the row is one of theirs, whole.

const entryColumns = `question_id AS "questionId", interval_days AS "intervalDays", ease, streak, due_at AS "dueAt"`;

export function reviewStore(pool: Pool): ReviewStore {
  return {
    async get(memberId, questionId) {
      return row<ReviewEntry>(
        pool,
        `SELECT ${entryColumns} FROM reviews WHERE member_id = $1 AND question_id = $2`,
        [memberId, questionId],
        "reviews-get",
      );
    },
    async save(memberId, entry, at) {
      await execute(
        pool,
        `INSERT INTO reviews (member_id, question_id, interval_days, ease, streak, due_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (member_id, question_id) DO UPDATE SET interval_days = excluded.interval_days,
           ease = excluded.ease, streak = excluded.streak, due_at = excluded.due_at,
           updated_at = excluded.updated_at`,
        [memberId, entry.questionId, entry.intervalDays, entry.ease, entry.streak, entry.dueAt, at],
        "reviews-save",
      );
    },
    async remove(memberId, questionId) {
      await execute(
        pool,
        "DELETE FROM reviews WHERE member_id = $1 AND question_id = $2",
        [memberId, questionId],
        "reviews-remove",
      );
    },
    async nextDue(memberId, now) {
      // Ties on the instant go to the question id in byte order, as SQLite compares it.
      return row<ReviewEntry>(
        pool,
        `SELECT ${entryColumns} FROM reviews WHERE member_id = $1 AND due_at <= $2
         ORDER BY due_at, question_id COLLATE "C" LIMIT 1`,
        [memberId, now],
        "reviews-next-due",
      );
    },
    async earliest(memberId) {
      return row<ReviewEntry>(
        pool,
        `SELECT ${entryColumns} FROM reviews WHERE member_id = $1 ORDER BY due_at, question_id COLLATE "C" LIMIT 1`,
        [memberId],
        "reviews-earliest",
      );
    },
  };
}
