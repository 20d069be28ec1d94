import type { Pool, PoolClient } from "pg";
import type { Post, PostStore, PostTarget, SchedulePlan } from "../../core/ports/posts.js";
import { claimedPost } from "../rows.js";
import { COHORT_FIELDS, type CohortFields, cohortOf } from "./scheduling-rows.js";
import { execute, row, rows, transaction } from "./tx.js";

/** A post's columns under the alias `p`, named as the core names them. */
const POST_FIELDS = `p.id, p.cohort_id AS "cohortId", p.week, p.kind, p.due_at AS "dueAt", p.status, p.attempts,
  p.next_attempt_at AS "nextAttemptAt", p.sent_at AS "sentAt", p.error`;

/** Posts with their cohort and space. */
const TARGETS = `SELECT ${POST_FIELDS}, ${COHORT_FIELDS}
  FROM posts p
  JOIN cohorts c ON c.id = p.cohort_id
  JOIN spaces sp ON sp.id = c.space_id`;

type TargetRow = Post & CohortFields;

const postOf = (r: Post): Post => ({
  id: r.id,
  cohortId: r.cohortId,
  week: r.week,
  kind: r.kind,
  dueAt: r.dueAt,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt,
  sentAt: r.sentAt,
  error: r.error,
});

const targetOf = (r: TargetRow): PostTarget => ({
  post: postOf(r),
  cohort: cohortOf(r),
  platform: r.sp_platform,
  spaceExternalId: r.sp_external_id,
});

const fireKey = (cohortId: number, kind: string, dueAt: Date) =>
  `${cohortId}\u0000${kind}\u0000${dueAt.getTime()}`;

export function postStore(pool: Pool): PostStore {
  return {
    async plan(plans, at) {
      if (plans.length === 0) return [];
      return transaction(pool, (conn) => planBatch(conn, plans, at));
    },
    async claim(claim, at) {
      // Claiming is inserting the row: of two processes claiming one fire, the unique index lets one in.
      const inserted = await row<{ id: number }>(
        pool,
        `INSERT INTO posts (cohort_id, week, kind, due_at, status, claimed_at)
         VALUES ($1, $2, $3, $4, 'claimed', $5)
         ON CONFLICT DO NOTHING RETURNING id`,
        [claim.cohortId, claim.week, claim.kind, claim.dueAt, at],
        "posts-claim",
      );
      return inserted && claimedPost(inserted.id, claim);
    },
    async lease({ owner, now, until }, limit) {
      // Locked rows are skipped, not waited on: a post another transaction is leasing is theirs.
      const leased = await rows<{ id: number }>(
        pool,
        `WITH due AS (
           SELECT p.id FROM posts p
           JOIN cohorts c ON c.id = p.cohort_id
           JOIN spaces sp ON sp.id = c.space_id
           JOIN senders s ON s.platform = sp.platform AND s.owner = $1 AND s.lease_until > $2
           WHERE p.status = 'claimed' AND (p.next_attempt_at IS NULL OR p.next_attempt_at <= $2)
             AND (p.lease_owner IS NULL OR p.lease_owner = $1 OR p.lease_until <= $2)
           ORDER BY p.due_at, p.id
           LIMIT $4
           FOR UPDATE OF p SKIP LOCKED)
         UPDATE posts p SET lease_owner = $1, lease_until = $3 FROM due WHERE p.id = due.id
         RETURNING p.id`,
        [owner, now, until, limit],
        "posts-lease",
      );
      if (leased.length === 0) return [];
      const found = await rows<TargetRow>(
        pool,
        `${TARGETS} WHERE p.id = ANY($1::int[]) ORDER BY p.due_at, p.id`,
        [leased.map((r) => r.id)],
        "posts-leased",
      );
      return found.map(targetOf);
    },
    async hold(postId, { owner, now, until }) {
      // Two senders holding one post queue on its row; the second finds it leased and gets nothing.
      const held = await row<{ id: number }>(
        pool,
        `UPDATE posts p SET lease_owner = $2, lease_until = $4
         WHERE p.id = $1 AND p.status = 'claimed'
           AND (p.lease_owner IS NULL OR p.lease_owner = $2 OR p.lease_until <= $3)
           AND EXISTS (SELECT 1 FROM cohorts c
             JOIN spaces sp ON sp.id = c.space_id
             JOIN senders s ON s.platform = sp.platform AND s.owner = $2 AND s.lease_until > $3
             WHERE c.id = p.cohort_id)
           AND NOT EXISTS (SELECT 1 FROM posts o
             WHERE o.cohort_id = p.cohort_id AND o.status = 'claimed' AND o.attempts = 0
               AND (o.due_at, o.id) < (p.due_at, p.id))
         RETURNING p.id`,
        [postId, owner, now, until],
        "posts-hold",
      );
      if (!held) return undefined;
      const found = await row<TargetRow>(pool, `${TARGETS} WHERE p.id = $1`, [postId], "posts-target");
      return found && targetOf(found);
    },
    async markSent(id, owner, at, externalMessageId) {
      // Fenced: a sender whose lease passed to another process records nothing.
      const done = await execute(
        pool,
        `UPDATE posts SET status = 'sent', sent_at = $1, external_message_id = $2, next_attempt_at = NULL,
           error = NULL
         WHERE id = $3 AND status = 'claimed' AND lease_owner = $4`,
        [at, externalMessageId, id, owner],
        "posts-mark-sent",
      );
      return done > 0;
    },
    async markRetry(id, owner, attempts, nextAttemptAt, error) {
      // A post waiting for its retry is free: whichever process sends by then takes it.
      const done = await execute(
        pool,
        `UPDATE posts SET attempts = $1, next_attempt_at = $2, error = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $4 AND status = 'claimed' AND lease_owner = $5`,
        [attempts, nextAttemptAt, error, id, owner],
        "posts-mark-retry",
      );
      return done > 0;
    },
    async markFailed(id, owner, attempts, error) {
      const done = await execute(
        pool,
        `UPDATE posts SET status = 'failed', attempts = $1, next_attempt_at = NULL, error = $2
         WHERE id = $3 AND status = 'claimed' AND lease_owner = $4`,
        [attempts, error, id, owner],
        "posts-mark-failed",
      );
      return done > 0;
    },
    async forCohort(cohortId) {
      const found = await rows<Post>(
        pool,
        `SELECT ${POST_FIELDS} FROM posts p WHERE p.cohort_id = $1 ORDER BY p.due_at, p.id`,
        [cohortId],
        "posts-for-cohort",
      );
      return found.map(postOf);
    },
    async nextAttemptAt() {
      const found = await row<{ at: Date | null }>(
        pool,
        "SELECT min(next_attempt_at) AS at FROM posts WHERE status = 'claimed'",
        [],
        "posts-next-attempt",
      );
      return found?.at ?? undefined;
    },
    async pauseCohort(cohortId, at) {
      await execute(
        pool,
        `UPDATE schedules SET paused_at = $1, next_fire_at = NULL, updated_at = $1
         WHERE cohort_id = $2 AND paused_at IS NULL`,
        [at, cohortId],
        "posts-pause-cohort",
      );
    },
  };
}

/**
 * One batch of plans in a few set-wise statements, with the same outcome as SQLite's plan by plan:
 * schedules move on only if still as read, their fires are claimed by unique inserts, and a cohort
 * completed by an earlier plan of the batch takes nothing from its later ones.
 */
async function planBatch(conn: PoolClient, plans: SchedulePlan[], at: Date): Promise<Post[]> {
  // A schedule planned twice in one batch moves once: its second plan's basis no longer holds.
  const byId = new Map<number, SchedulePlan>();
  for (const plan of plans) if (!byId.has(plan.scheduleId)) byId.set(plan.scheduleId, plan);
  const firsts = [...byId.values()];
  // Rows locked in id order: two processes planning overlapping batches queue instead of deadlocking.
  await execute(
    conn,
    "SELECT id FROM schedules WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE",
    [firsts.map((p) => p.scheduleId).sort((a, b) => a - b)],
    "posts-plan-lock",
  );
  const moved = await rows<{ id: number; cohortId: number }>(
    conn,
    `UPDATE schedules s SET next_fire_at = p.next_fire_at, updated_at = $1
     FROM unnest($2::int[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::timestamptz[],
                 $8::int[]) AS p(id, next_fire_at, read_next_fire_at, cron, timezone, anchor_at, anchor_week)
     WHERE s.id = p.id AND s.paused_at IS NULL AND s.next_fire_at IS NOT DISTINCT FROM p.read_next_fire_at
       AND s.cron = p.cron AND s.timezone = p.timezone AND s.anchor_at = p.anchor_at
       AND s.anchor_week = p.anchor_week
     RETURNING s.id, s.cohort_id AS "cohortId"`,
    [
      at,
      firsts.map((p) => p.scheduleId),
      firsts.map((p) => p.nextFireAt),
      firsts.map((p) => p.basis.nextFireAt),
      firsts.map((p) => p.basis.cron),
      firsts.map((p) => p.basis.timezone),
      firsts.map((p) => p.basis.anchorAt),
      firsts.map((p) => p.basis.anchorWeek),
    ],
    "posts-plan-move",
  );
  const cohortOfMoved = new Map(moved.map((m) => [m.id, m.cohortId]));

  // On SQLite a completed cohort's schedules stop, so its later plans in the batch find theirs changed.
  const applied: SchedulePlan[] = [];
  const completed = new Set<number>();
  for (const plan of firsts) {
    const cohortId = cohortOfMoved.get(plan.scheduleId);
    if (cohortId === undefined || completed.has(cohortId)) continue;
    applied.push(plan);
    if (plan.completesCohort) {
      const completes = plan.claims[0]?.cohortId ?? plan.missed[0]?.cohortId;
      if (completes !== undefined) completed.add(completes);
    }
  }

  // Claims and missed fires in plan order, so ids follow the order SQLite gives them.
  const fires = applied.flatMap((plan) => [
    ...plan.claims.map((claim) => ({ claim, status: "claimed" as const })),
    ...plan.missed.map((claim) => ({ claim, status: "skipped" as const })),
  ]);
  const inserted =
    fires.length === 0
      ? []
      : await rows<{ id: number; cohortId: number; kind: string; dueAt: Date; status: string }>(
          conn,
          `INSERT INTO posts (cohort_id, week, kind, due_at, status, claimed_at, error)
           SELECT f.cohort_id, f.week, f.kind, f.due_at, f.status,
             CASE WHEN f.status = 'claimed' THEN $1::timestamptz END,
             CASE WHEN f.status = 'skipped' THEN 'missed while the bot was down' END
           FROM unnest($2::int[], $3::int[], $4::text[], $5::timestamptz[], $6::text[])
             WITH ORDINALITY AS f(cohort_id, week, kind, due_at, status, n)
           ORDER BY f.n
           ON CONFLICT DO NOTHING
           RETURNING id, cohort_id AS "cohortId", kind, due_at AS "dueAt", status`,
          [
            at,
            fires.map((f) => f.claim.cohortId),
            fires.map((f) => f.claim.week),
            fires.map((f) => f.claim.kind),
            fires.map((f) => f.claim.dueAt),
            fires.map((f) => f.status),
          ],
          "posts-plan-insert",
        );
  const claimedIds = new Map<string, number>();
  for (const r of inserted) {
    if (r.status === "claimed") claimedIds.set(fireKey(r.cohortId, r.kind, r.dueAt), r.id);
  }
  const claimed: Post[] = [];
  for (const { claim, status } of fires) {
    const key = fireKey(claim.cohortId, claim.kind, claim.dueAt);
    const id = claimedIds.get(key);
    if (status !== "claimed" || id === undefined) continue;
    // A fire listed twice was inserted once: it is handed over once.
    claimedIds.delete(key);
    claimed.push(claimedPost(id, claim));
  }

  if (completed.size > 0) {
    const cohortIds = [...completed];
    await execute(
      conn,
      "UPDATE cohorts SET status = 'complete' WHERE id = ANY($1::int[])",
      [cohortIds],
      "posts-plan-complete",
    );
    await execute(
      conn,
      "UPDATE schedules SET next_fire_at = NULL, updated_at = $1 WHERE cohort_id = ANY($2::int[])",
      [at, cohortIds],
      "posts-plan-stop",
    );
  }
  return claimed;
}
