import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { ReviewEntry, ReviewStore } from "../core/ports/reviews.js";
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
  // Every wrong answer schedules a review: prepared once. Placeholders in values go through the columns' encoders.
  const upsert = db
    .insert(reviews)
    .values({
      memberId: sql.placeholder("memberId"),
      questionId: sql.placeholder("questionId"),
      intervalDays: sql.placeholder("intervalDays"),
      ease: sql.placeholder("ease"),
      streak: sql.placeholder("streak"),
      dueAt: sql.placeholder("dueAt"),
      updatedAt: sql.placeholder("updatedAt"),
    })
    .onConflictDoUpdate({
      target: [reviews.memberId, reviews.questionId],
      set: {
        intervalDays: sql`excluded.interval_days`,
        ease: sql`excluded.ease`,
        streak: sql`excluded.streak`,
        dueAt: sql`excluded.due_at`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .prepare();
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
      upsert.run({ memberId, ...entry, updatedAt: at });
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
