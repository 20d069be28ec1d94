import type { Cohort } from "../core/ports/cohorts.js";
import type { Member, Space } from "../core/ports/identity.js";
import type { Post } from "../core/ports/posts.js";
import type { Schedule } from "../core/ports/schedules.js";
import { cappedName } from "../core/text.js";
import type { cohorts, members, posts, schedules, spaces } from "./schema.js";

// Rows to the core's types, in one place for every store.

export const toSpace = (row: typeof spaces.$inferSelect): Space => ({
  id: row.id,
  platform: row.platform,
  externalId: row.externalId,
  name: row.name,
});

export const toMember = (row: typeof members.$inferSelect): Member => ({
  id: row.id,
  spaceId: row.spaceId,
  externalId: row.externalId,
  // Rows stored before names were capped may hold longer ones.
  displayName: cappedName(row.displayName),
  timezone: row.timezone,
  cohortId: row.cohortId,
});

export const toCohort = (row: typeof cohorts.$inferSelect): Cohort => ({
  id: row.id,
  spaceId: row.spaceId,
  name: row.name,
  startDate: row.startDate,
  timezone: row.timezone,
  channelExternalId: row.channelExternalId,
  status: row.status,
  streakUnit: row.streakUnit,
  createdAt: row.createdAt,
});

export const toSchedule = (row: typeof schedules.$inferSelect, skips: number[]): Schedule => ({
  id: row.id,
  cohortId: row.cohortId,
  kind: row.kind,
  cron: row.cron,
  spec: row.spec,
  timezone: row.timezone,
  anchorAt: row.anchorAt,
  anchorWeek: row.anchorWeek,
  pausedAt: row.pausedAt,
  nextFireAt: row.nextFireAt,
  skips,
});

export const toPost = (row: typeof posts.$inferSelect): Post => ({
  id: row.id,
  cohortId: row.cohortId,
  week: row.week,
  kind: row.kind,
  dueAt: row.dueAt,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt,
  sentAt: row.sentAt,
  error: row.error,
});

/** Prepares on first use (a store may be made before its tables exist), then reuses. */
export function preparedOnce<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** A cohort's columns under the alias `c`, in the order `cohortAt` reads them. */
export const COHORT_COLUMNS = `c.id, c.space_id, c.name, c.start_date, c.timezone,
  c.channel_external_id, c.status, c.streak_unit, c.created_at`;
const COHORT_WIDTH = 9;
export type CohortTuple = [
  id: number,
  spaceId: number,
  name: string,
  startDate: string,
  timezone: string,
  channelExternalId: string | null,
  status: Cohort["status"],
  streakUnit: Cohort["streakUnit"],
  createdAt: number,
];

/** The cohort whose COHORT_COLUMNS start at position `at` of a row: the same Cohort as rows.ts's toCohort. */
export function cohortAt(row: readonly unknown[], at: number): Cohort {
  const [id, spaceId, name, startDate, timezone, channelExternalId, status, streakUnit, createdAt] =
    row.slice(at, at + COHORT_WIDTH) as CohortTuple;
  return {
    id,
    spaceId,
    name,
    startDate,
    timezone,
    channelExternalId,
    status,
    streakUnit,
    createdAt: new Date(createdAt),
  };
}

/** Skipped fires, as (schedule id, fire time) pairs in fire order, grouped by schedule. */
export function groupSkips(
  pairs: Iterable<readonly [scheduleId: number, fireAt: number]>,
): Map<number, number[]> {
  const bySchedule = new Map<number, number[]>();
  for (const [scheduleId, fireAt] of pairs) {
    const list = bySchedule.get(scheduleId);
    if (list) list.push(fireAt);
    else bySchedule.set(scheduleId, [fireAt]);
  }
  return bySchedule;
}
