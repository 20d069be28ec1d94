import { and, asc, eq, isNull, lte, min, or } from "drizzle-orm";
import type { PostStore, PostTarget } from "../core/ports.js";
import type { Db } from "./client.js";
import { toCohort, toPost } from "./rows.js";
import { cohorts, posts, schedules, spaces } from "./schema.js";

export function postStore(db: Db): PostStore {
  const targets = db
    .select({ post: posts, cohort: cohorts, space: spaces })
    .from(posts)
    .innerJoin(cohorts, eq(cohorts.id, posts.cohortId))
    .innerJoin(spaces, eq(spaces.id, cohorts.spaceId));
  const toTarget = (row: (typeof targets)["_"]["result"][number]): PostTarget => ({
    post: toPost(row.post),
    cohort: toCohort(row.cohort),
    platform: row.space.platform,
    spaceExternalId: row.space.externalId,
  });

  return {
    async plan(plans, at) {
      return db.transaction((tx) => {
        const claimed = [];
        for (const plan of plans) {
          for (const claim of plan.claims) {
            const row = tx
              .insert(posts)
              .values({ ...claim, status: "claimed", claimedAt: at })
              .onConflictDoNothing()
              .returning()
              .get();
            if (row) claimed.push(toPost(row));
          }
          for (const miss of plan.missed) {
            tx.insert(posts)
              .values({ ...miss, status: "skipped", error: "missed while the bot was down" })
              .onConflictDoNothing()
              .run();
          }
          tx.update(schedules)
            .set({ nextFireAt: plan.nextFireAt, updatedAt: at })
            .where(eq(schedules.id, plan.scheduleId))
            .run();
          if (plan.completesCohort) {
            const cohortId = plan.claims[0]?.cohortId ?? plan.missed[0]?.cohortId;
            if (cohortId !== undefined) {
              tx.update(cohorts).set({ status: "complete" }).where(eq(cohorts.id, cohortId)).run();
              tx.update(schedules)
                .set({ nextFireAt: null, updatedAt: at })
                .where(eq(schedules.cohortId, cohortId))
                .run();
            }
          }
        }
        return claimed;
      });
    },
    async claim(claim, at) {
      const row = db
        .insert(posts)
        .values({ ...claim, status: "claimed", claimedAt: at })
        .onConflictDoNothing()
        .returning()
        .get();
      return row && toPost(row);
    },
    async pending(now, limit) {
      return targets
        .where(
          and(eq(posts.status, "claimed"), or(isNull(posts.nextAttemptAt), lte(posts.nextAttemptAt, now))),
        )
        .orderBy(asc(posts.dueAt), asc(posts.id))
        .limit(limit)
        .all()
        .map(toTarget);
    },
    async target(postId) {
      const row = targets.where(eq(posts.id, postId)).get();
      return row && toTarget(row);
    },
    async markSent(id, at, externalMessageId) {
      db.update(posts)
        .set({ status: "sent", sentAt: at, externalMessageId, nextAttemptAt: null, error: null })
        .where(eq(posts.id, id))
        .run();
    },
    async markRetry(id, attempts, nextAttemptAt, error) {
      db.update(posts).set({ attempts, nextAttemptAt, error }).where(eq(posts.id, id)).run();
    },
    async markFailed(id, attempts, error) {
      db.update(posts)
        .set({ status: "failed", attempts, nextAttemptAt: null, error })
        .where(eq(posts.id, id))
        .run();
    },
    async forCohort(cohortId) {
      return db
        .select()
        .from(posts)
        .where(eq(posts.cohortId, cohortId))
        .orderBy(asc(posts.dueAt), asc(posts.id))
        .all()
        .map(toPost);
    },
    async nextAttemptAt() {
      const row = db
        .select({ at: min(posts.nextAttemptAt) })
        .from(posts)
        .where(eq(posts.status, "claimed"))
        .get();
      return row?.at ?? undefined;
    },
    async pauseCohort(cohortId, at) {
      db.update(schedules)
        .set({ pausedAt: at, nextFireAt: null, updatedAt: at })
        .where(and(eq(schedules.cohortId, cohortId), isNull(schedules.pausedAt)))
        .run();
    },
  };
}
