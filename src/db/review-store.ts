import { and, asc, eq, lte } from "drizzle-orm";
import type { ReviewEntry, ReviewStore } from "../core/ports.js";
import type { Db } from "./client.js";
import { reviews } from "./schema.js";

const toEntry = (row: typeof reviews.$inferSelect): ReviewEntry => ({
  questionId: row.questionId,
  intervalDays: row.intervalDays,
  ease: row.ease,
  streak: row.streak,
  dueAt: row.dueAt,
});

export function reviewStore(db: Db): ReviewStore {
  return {
    async get(memberId, questionId) {
      const row = db
        .select()
        .from(reviews)
        .where(and(eq(reviews.memberId, memberId), eq(reviews.questionId, questionId)))
        .get();
      return row && toEntry(row);
    },
    async save(memberId, entry, at) {
      const values = { ...entry, updatedAt: at };
      db.insert(reviews)
        .values({ memberId, ...values })
        .onConflictDoUpdate({ target: [reviews.memberId, reviews.questionId], set: values })
        .run();
    },
    async remove(memberId, questionId) {
      db.delete(reviews)
        .where(and(eq(reviews.memberId, memberId), eq(reviews.questionId, questionId)))
        .run();
    },
    async nextDue(memberId, now) {
      const row = db
        .select()
        .from(reviews)
        .where(and(eq(reviews.memberId, memberId), lte(reviews.dueAt, now)))
        .orderBy(asc(reviews.dueAt), asc(reviews.questionId))
        .get();
      return row && toEntry(row);
    },
    async earliest(memberId) {
      const row = db
        .select()
        .from(reviews)
        .where(eq(reviews.memberId, memberId))
        .orderBy(asc(reviews.dueAt), asc(reviews.questionId))
        .get();
      return row && toEntry(row);
    },
  };
}
