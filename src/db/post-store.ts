import type Database from "better-sqlite3";
import { asc, eq, min } from "drizzle-orm";
import type { Platform } from "../core/ports/identity.js";
import type { Post, PostClaim, PostStore, PostTarget, SchedulePlan } from "../core/ports/posts.js";
import type { Db } from "./client.js";
import { COHORT_COLUMNS, type CohortTuple, claimedPost, cohortAt, preparedOnce, toPost } from "./rows.js";
import { posts } from "./schema.js";

export function postStore(db: Db): PostStore {
  const statements = preparedOnce(() => prepare(db.$client));
  /** Claiming a post is inserting its row; a fire already claimed (the unique index) changes nothing. */
  const claimOne = (claim: PostClaim, at: Date): Post | undefined => {
    const { cohortId, week, kind, dueAt } = claim;
    const inserted = statements().claim.run(cohortId, week, kind, dueAt.getTime(), at.getTime());
    if (inserted.changes === 0) return undefined;
    // The row as inserted: claimed, no attempt yet.
    return claimedPost(Number(inserted.lastInsertRowid), claim);
  };
  /** One transaction for a batch of plans: a few prepared statements per schedule, nothing built per call. */
  const planBatch = preparedOnce(() =>
    db.$client.transaction((plans: SchedulePlan[], at: Date): Post[] => {
      const q = statements();
      const claimed: Post[] = [];
      for (const plan of plans) {
        const { basis } = plan;
        // Moves the schedule on only if it is still as planned from; else a moderator changed it (or
        // removed it) meanwhile, and their change stands: the next tick plans from it.
        const moved = q.moveOn.run(
          plan.nextFireAt?.getTime() ?? null,
          at.getTime(),
          plan.scheduleId,
          basis.nextFireAt?.getTime() ?? null,
          basis.cron,
          basis.timezone,
          basis.anchorAt.getTime(),
          basis.anchorWeek,
        );
        if (moved.changes === 0) continue;
        for (const claim of plan.claims) {
          const post = claimOne(claim, at);
          if (post) claimed.push(post);
        }
        for (const miss of plan.missed) {
          q.skip.run(miss.cohortId, miss.week, miss.kind, miss.dueAt.getTime());
        }
        if (plan.completesCohort) {
          const cohortId = plan.claims[0]?.cohortId ?? plan.missed[0]?.cohortId;
          if (cohortId !== undefined) {
            q.complete.run(cohortId);
            q.stopSchedules.run(at.getTime(), cohortId);
          }
        }
      }
      return claimed;
    }),
  );

  /** Due posts of the platforms the owner sends, read and leased in one transaction. */
  const leaseDue = preparedOnce(() =>
    db.$client.transaction((owner: string, now: number, until: number, limit: number): PostTarget[] => {
      const q = statements();
      const due = q.due.all({ owner, now, limit });
      for (const row of due) q.lease.run(owner, until, row[0]);
      return due.map(targetOf);
    }),
  );

  return {
    async plan(plans, at) {
      return planBatch()(plans, at);
    },
    async claim(claim, at) {
      return claimOne(claim, at);
    },
    async lease({ owner, now, until }, limit) {
      return leaseDue()(owner, now.getTime(), until.getTime(), limit);
    },
    async hold(postId, { owner, now, until }) {
      const held = statements().hold.run({ id: postId, owner, now: now.getTime(), until: until.getTime() });
      if (held.changes === 0) return undefined;
      const row = statements().target.get(postId);
      return row && targetOf(row);
    },
    async markSent(id, owner, at, externalMessageId) {
      return statements().markSent.run(at.getTime(), externalMessageId, id, owner).changes > 0;
    },
    async markRetry(id, owner, attempts, nextAttemptAt, error) {
      return statements().markRetry.run(attempts, nextAttemptAt.getTime(), error, id, owner).changes > 0;
    },
    async markFailed(id, owner, attempts, error) {
      return statements().markFailed.run(attempts, error, id, owner).changes > 0;
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
      statements().pauseCohort.run(at.getTime(), at.getTime(), cohortId);
    },
  };
}

// Every scheduled post is claimed, looked up and marked here, thousands a minute at peak: plain
// statements prepared once, rows as arrays, because Drizzle's builder costs more per call than
// running the statement (and better-sqlite3 builds an object per row much more slowly than an array).

/** A post's columns under the alias `p`, in the order `targetOf` reads them, then its cohort's and space's. */
const TARGETS = `SELECT p.id, p.cohort_id, p.week, p.kind, p.due_at, p.status, p.attempts,
    p.next_attempt_at, p.sent_at, p.error, ${COHORT_COLUMNS}, sp.platform, sp.external_id
  FROM posts p
  JOIN cohorts c ON c.id = p.cohort_id
  JOIN spaces sp ON sp.id = c.space_id`;

type TargetTuple = [
  id: number,
  cohortId: number,
  week: number,
  kind: Post["kind"],
  dueAt: number,
  status: Post["status"],
  attempts: number,
  nextAttemptAt: number | null,
  sentAt: number | null,
  error: string | null,
  ...CohortTuple,
  platform: Platform,
  spaceExternalId: string,
];

/** The same post, cohort and space as rows.ts's toPost and toCohort make from Drizzle rows. */
function targetOf(row: TargetTuple): PostTarget {
  const [id, cohortId, week, kind, dueAt, status, attempts, nextAttemptAt, sentAt, error] = row;
  return {
    post: {
      id,
      cohortId,
      week,
      kind,
      dueAt: new Date(dueAt),
      status,
      attempts,
      nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt),
      sentAt: sentAt === null ? null : new Date(sentAt),
      error,
    },
    cohort: cohortAt(row, 10),
    platform: row[19],
    spaceExternalId: row[20],
  };
}

function prepare(sqlite: Database.Database) {
  return {
    claim: sqlite.prepare<[number, number, string, number, number]>(
      `INSERT INTO posts (cohort_id, week, kind, due_at, status, claimed_at)
       VALUES (?, ?, ?, ?, 'claimed', ?)
       ON CONFLICT DO NOTHING`,
    ),
    skip: sqlite.prepare<[number, number, string, number]>(
      `INSERT INTO posts (cohort_id, week, kind, due_at, status, error)
       VALUES (?, ?, ?, ?, 'skipped', 'missed while the bot was down')
       ON CONFLICT DO NOTHING`,
    ),
    moveOn: sqlite.prepare<[number | null, number, number, number | null, string, string, number, number]>(
      `UPDATE schedules SET next_fire_at = ?, updated_at = ?
       WHERE id = ? AND paused_at IS NULL AND next_fire_at IS ?
         AND cron = ? AND timezone = ? AND anchor_at = ? AND anchor_week = ?`,
    ),
    complete: sqlite.prepare<[number]>(`UPDATE cohorts SET status = 'complete' WHERE id = ?`),
    stopSchedules: sqlite.prepare<[number, number]>(
      "UPDATE schedules SET next_fire_at = NULL, updated_at = ? WHERE cohort_id = ?",
    ),
    target: sqlite.prepare<[number], TargetTuple>(`${TARGETS} WHERE p.id = ?`).raw(true),
    /** Claimed posts due now on the platforms the owner holds the sending right of, and free to lease. */
    due: sqlite
      .prepare<[{ owner: string; now: number; limit: number }], TargetTuple>(
        `${TARGETS}
         JOIN senders s ON s.platform = sp.platform AND s.owner = @owner AND s.lease_until > @now
         WHERE p.status = 'claimed' AND (p.next_attempt_at IS NULL OR p.next_attempt_at <= @now)
           AND (p.lease_owner IS NULL OR p.lease_owner = @owner OR p.lease_until <= @now)
         ORDER BY p.due_at, p.id
         LIMIT @limit`,
      )
      .raw(true),
    lease: sqlite.prepare<[string, number, number]>(
      "UPDATE posts SET lease_owner = ?, lease_until = ? WHERE id = ?",
    ),
    hold: sqlite.prepare<[{ id: number; owner: string; now: number; until: number }]>(
      `UPDATE posts SET lease_owner = @owner, lease_until = @until
       WHERE id = @id AND status = 'claimed'
         AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until <= @now)
         AND EXISTS (SELECT 1 FROM cohorts c
           JOIN spaces sp ON sp.id = c.space_id
           JOIN senders s ON s.platform = sp.platform AND s.owner = @owner AND s.lease_until > @now
           WHERE c.id = posts.cohort_id)
         AND NOT EXISTS (SELECT 1 FROM posts o
           WHERE o.cohort_id = posts.cohort_id AND o.status = 'claimed' AND o.attempts = 0
             AND (o.due_at, o.id) < (posts.due_at, posts.id))`,
    ),
    // Fenced: a sender whose lease passed to another process records nothing.
    markSent: sqlite.prepare<[number, string | null, number, string]>(
      `UPDATE posts SET status = 'sent', sent_at = ?, external_message_id = ?, next_attempt_at = NULL, error = NULL
       WHERE id = ? AND status = 'claimed' AND lease_owner = ?`,
    ),
    // A post waiting for its retry is free: whichever process sends by then takes it.
    markRetry: sqlite.prepare<[number, number, string, number, string]>(
      `UPDATE posts SET attempts = ?, next_attempt_at = ?, error = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND status = 'claimed' AND lease_owner = ?`,
    ),
    markFailed: sqlite.prepare<[number, string, number, string]>(
      `UPDATE posts SET status = 'failed', attempts = ?, next_attempt_at = NULL, error = ?
       WHERE id = ? AND status = 'claimed' AND lease_owner = ?`,
    ),
    pauseCohort: sqlite.prepare<[number, number, number]>(
      "UPDATE schedules SET paused_at = ?, next_fire_at = NULL, updated_at = ? WHERE cohort_id = ? AND paused_at IS NULL",
    ),
  };
}
