import { eq } from "drizzle-orm";
import type { Pool } from "pg";
import type { ScheduleStore } from "../../core/ports/schedules.js";
import type { PgDb } from "./client.js";
import {
  COHORT_FIELDS,
  type CohortFields,
  cohortOf,
  type ScheduleJson,
  scheduleJson,
  scheduleOf,
} from "./scheduling-rows.js";
import { schedules } from "./schema.js";
import { execute, row, rows } from "./tx.js";

interface DueRow extends CohortFields {
  schedule: ScheduleJson;
  /** The cohort's module schedule when the due one is another kind; null for a module schedule or none. */
  module: ScheduleJson | null;
}

/**
 * Unpaused schedules of unfinished cohorts due by $1, oldest first, each with its cohort, space and
 * the cohort's module schedule: one statement, so all of it comes from one snapshot.
 */
const DUE = `SELECT ${scheduleJson("s")} AS schedule,
    CASE WHEN s.kind = 'module' THEN NULL ELSE
      (SELECT ${scheduleJson("m")} FROM schedules m WHERE m.cohort_id = s.cohort_id AND m.kind = 'module')
    END AS module,
    ${COHORT_FIELDS}
  FROM schedules s
  JOIN cohorts c ON c.id = s.cohort_id
  JOIN spaces sp ON sp.id = c.space_id
  WHERE s.paused_at IS NULL AND s.next_fire_at IS NOT NULL AND s.next_fire_at <= $1
    AND c.status <> 'complete'
  ORDER BY s.next_fire_at, s.id
  LIMIT $2`;

/** Creates or replaces the cohort's schedule of a kind and drops the replaced one's skips, in one statement. */
const SAVE = `WITH saved AS (
    INSERT INTO schedules (cohort_id, kind, cron, spec, timezone, anchor_at, anchor_week, paused_at,
      next_fire_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
    ON CONFLICT (cohort_id, kind) DO UPDATE SET cron = excluded.cron, spec = excluded.spec,
      timezone = excluded.timezone, anchor_at = excluded.anchor_at, anchor_week = excluded.anchor_week,
      paused_at = excluded.paused_at, next_fire_at = excluded.next_fire_at, updated_at = excluded.updated_at
    RETURNING id
  ), dropped AS (
    DELETE FROM schedule_skips WHERE schedule_id IN (SELECT id FROM saved)
  )
  SELECT id FROM saved`;

/** The schedule store on PostgreSQL: every method one statement, so none reads a row it then writes. */
export function scheduleStore(db: PgDb, pool: Pool): ScheduleStore {
  return {
    async forCohort(cohortId) {
      // Kinds in byte order, as SQLite sorts text, whatever the database's collation.
      const found = await rows<{ schedule: ScheduleJson }>(
        pool,
        `SELECT ${scheduleJson("s")} AS schedule FROM schedules s WHERE s.cohort_id = $1 ORDER BY s.kind COLLATE "C"`,
        [cohortId],
        "schedules-for-cohort",
      );
      return found.map((r) => scheduleOf(r.schedule));
    },
    async save(cohortId, schedule, at) {
      // Two saves at once queue on the upsert's row lock; the later one stands, as on SQLite.
      const saved = await row<{ id: number }>(
        pool,
        SAVE,
        [
          cohortId,
          schedule.kind,
          schedule.cron,
          schedule.spec,
          schedule.timezone,
          schedule.anchorAt,
          schedule.anchorWeek,
          schedule.pausedAt,
          schedule.nextFireAt,
          at,
        ],
        "schedules-save",
      );
      if (!saved) throw new Error("the schedule was not stored");
      return {
        id: saved.id,
        cohortId,
        kind: schedule.kind,
        cron: schedule.cron,
        spec: schedule.spec,
        timezone: schedule.timezone,
        anchorAt: schedule.anchorAt,
        anchorWeek: schedule.anchorWeek,
        pausedAt: schedule.pausedAt,
        nextFireAt: schedule.nextFireAt,
        skips: [],
      };
    },
    async update(id, changes, at) {
      await db
        .update(schedules)
        .set({ ...changes, updatedAt: at })
        .where(eq(schedules.id, id));
    },
    async remove(cohortId, kind) {
      const removed = await rows(
        pool,
        "DELETE FROM schedules WHERE cohort_id = $1 AND kind = $2 RETURNING id",
        [cohortId, kind],
        "schedules-remove",
      );
      return removed.length > 0;
    },
    async addSkip(id, fireAt) {
      await execute(
        pool,
        "INSERT INTO schedule_skips (schedule_id, fire_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [id, fireAt],
        "schedules-add-skip",
      );
    },
    async due(now, limit) {
      const found = await rows<DueRow>(pool, DUE, [now, limit], "schedules-due");
      return found.map((r) => {
        const schedule = scheduleOf(r.schedule);
        return {
          schedule,
          cohort: cohortOf(r),
          platform: r.sp_platform,
          spaceExternalId: r.sp_external_id,
          moduleSchedule: schedule.kind === "module" ? schedule : r.module && scheduleOf(r.module),
        };
      });
    },
    async nextFireAt() {
      const found = await row<{ at: Date | null }>(
        pool,
        "SELECT min(next_fire_at) AS at FROM schedules WHERE paused_at IS NULL",
        [],
        "schedules-next-fire",
      );
      return found?.at ?? undefined;
    },
  };
}
