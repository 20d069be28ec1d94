import type { Cohort } from "../../core/ports/cohorts.js";
import type { Platform } from "../../core/ports/identity.js";
import type { Schedule } from "../../core/ports/schedules.js";

// Rows the schedule and post stores read, to the same core values rows.ts makes on SQLite.

/** A cohort's columns under the alias `c` and its space's under `sp`, prefixed so a post's own columns keep their names. */
export const COHORT_FIELDS = `c.id AS c_id, c.space_id AS c_space_id, c.name AS c_name,
  c.start_date AS c_start_date, c.timezone AS c_timezone, c.channel_external_id AS c_channel_external_id,
  c.status AS c_status, c.streak_unit AS c_streak_unit, c.created_at AS c_created_at,
  sp.platform AS sp_platform, sp.external_id AS sp_external_id`;

export interface CohortFields {
  c_id: number;
  c_space_id: number;
  c_name: string;
  c_start_date: string;
  c_timezone: string;
  c_channel_external_id: string | null;
  c_status: Cohort["status"];
  c_streak_unit: Cohort["streakUnit"];
  c_created_at: Date;
  sp_platform: Platform;
  sp_external_id: string;
}

export const cohortOf = (row: CohortFields): Cohort => ({
  id: row.c_id,
  spaceId: row.c_space_id,
  name: row.c_name,
  startDate: row.c_start_date,
  timezone: row.c_timezone,
  channelExternalId: row.c_channel_external_id,
  status: row.c_status,
  streakUnit: row.c_streak_unit,
  createdAt: row.c_created_at,
});

/** An instant column as epoch milliseconds, the form JSON carries without loss. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

/**
 * The schedule row under `alias` as one JSON value with its skipped fires in order, so a schedule
 * and its cohort's module schedule come back in one statement (one snapshot, one round trip).
 */
export const scheduleJson = (alias: string) => `json_build_object(
  'id', ${alias}.id, 'cohortId', ${alias}.cohort_id, 'kind', ${alias}.kind, 'cron', ${alias}.cron,
  'spec', ${alias}.spec, 'timezone', ${alias}.timezone, 'anchorAt', ${epochMs(`${alias}.anchor_at`)},
  'anchorWeek', ${alias}.anchor_week, 'pausedAt', ${epochMs(`${alias}.paused_at`)},
  'nextFireAt', ${epochMs(`${alias}.next_fire_at`)},
  'skips', ARRAY(SELECT ${epochMs("k.fire_at")} FROM schedule_skips k
                 WHERE k.schedule_id = ${alias}.id ORDER BY k.fire_at))`;

/** A schedule as scheduleJson carries it: its instants in epoch milliseconds. */
export interface ScheduleJson extends Omit<Schedule, "anchorAt" | "pausedAt" | "nextFireAt"> {
  anchorAt: number;
  pausedAt: number | null;
  nextFireAt: number | null;
}

export const scheduleOf = (json: ScheduleJson): Schedule => ({
  id: json.id,
  cohortId: json.cohortId,
  kind: json.kind,
  cron: json.cron,
  spec: json.spec,
  timezone: json.timezone,
  anchorAt: new Date(json.anchorAt),
  anchorWeek: json.anchorWeek,
  pausedAt: json.pausedAt === null ? null : new Date(json.pausedAt),
  nextFireAt: json.nextFireAt === null ? null : new Date(json.nextFireAt),
  skips: json.skips,
});
