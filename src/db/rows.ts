import type { Cohort, Member, Post, Schedule, Space } from "../core/ports.js";
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
