import type { Cohort, NewCohort } from "../core/ports/cohorts.js";
import type { CohortDelivery } from "../core/ports/deliveries.js";
import type { Actor, Member, Space } from "../core/ports/identity.js";
import type { Post, PostClaim } from "../core/ports/posts.js";
import type { Schedule } from "../core/ports/schedules.js";
import type { TrackMembership } from "../core/ports/tracks.js";
import { cappedName } from "../core/text.js";
import type { cohorts, members, posts, schedules, spaces } from "./schema.js";

// Rows to the core's types, and the core's values to the rows both dialects insert, in one place for
// every store.

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

/** A post as claimed: no attempt yet. */
export const claimedPost = (id: number, { cohortId, week, kind, dueAt }: PostClaim): Post => ({
  id,
  cohortId,
  week,
  kind,
  dueAt,
  status: "claimed",
  attempts: 0,
  nextAttemptAt: null,
  sentAt: null,
  error: null,
});

/** A daily question's delivery row, as both dialects read it. */
export interface DeliveryRow {
  id: number;
  cohortId: number | null;
  questionId: string;
  week: number;
  deliveredAt: Date;
  closesAt: Date | null;
}

export const toDelivery = (row: DeliveryRow): CohortDelivery => ({
  id: row.id,
  cohortId: row.cohortId ?? 0,
  questionId: row.questionId,
  week: row.week,
  deliveredAt: row.deliveredAt,
  closesAt: row.closesAt ?? row.deliveredAt,
});

export const toTrackMembership = (row: TrackMembership): TrackMembership => ({
  memberId: row.memberId,
  trackId: row.trackId,
  joinedAt: row.joinedAt,
});

/** The space row an actor's message stores; on a conflict only its name changes. */
export const spaceRowOf = (actor: Actor, at: Date) => ({
  platform: actor.platform,
  externalId: actor.spaceExternalId,
  name: actor.spaceName,
  createdAt: at,
});

/** The member row an actor's message stores in its space; on a conflict only the display name changes. */
export const memberRowOf = (spaceId: number, actor: Actor, at: Date) => ({
  spaceId,
  externalId: actor.userExternalId,
  displayName: cappedName(actor.displayName),
  createdAt: at,
});

/** A new cohort's row: its name is unique in the space without regard to case (`nameKey`). */
export const cohortRowOf = (cohort: NewCohort) => ({
  spaceId: cohort.spaceId,
  name: cohort.name,
  nameKey: cohort.name.toLowerCase(),
  startDate: cohort.startDate,
  timezone: cohort.timezone,
  channelExternalId: cohort.channelExternalId,
  createdBy: cohort.createdBy,
  createdAt: cohort.at,
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
