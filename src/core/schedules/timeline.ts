import type { Cohort } from "../ports/cohorts.js";
import type { NewSchedule, Schedule } from "../ports/schedules.js";
import type { Store } from "../ports/store.js";
import {
  type CohortProgress,
  type ModuleTimeline,
  nextFire,
  progressAt,
  TOTAL_WEEKS,
} from "../rules/schedule.js";
import { parseCalendarDate } from "../rules/time.js";
import { formatInZone, startOfLocalDay } from "../rules/zoned.js";

const shortDays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/** A cohort created shortly after its first post time still gets that post; older weeks only count. */
const LATE_START_GRACE_MS = 12 * 3_600_000;

/**
 * A new cohort posts its module at 09:00 on the weekday it starts, from its start date on.
 * Created after its start, it counts the weeks already passed but posts none older than the grace period.
 */
export function defaultModuleSchedule(startDate: string, timezone: string, createdAt?: Date): NewSchedule {
  const weekday = new Date(parseCalendarDate(startDate) ?? 0).getUTCDay();
  const cron = `0 9 * * ${weekday}`;
  // Fires count strictly after the anchor: one millisecond before the start day lets a midnight fire count.
  const anchorAt = new Date(startOfLocalDay(startDate, timezone).getTime() - 1);
  const graceStart = createdAt ? new Date(createdAt.getTime() - LATE_START_GRACE_MS) : anchorAt;
  const firstPlanned = graceStart > anchorAt ? graceStart : anchorAt;
  return {
    kind: "module",
    cron,
    spec: `${shortDays[weekday]} 09:00`,
    timezone,
    anchorAt,
    anchorWeek: 0,
    pausedAt: null,
    nextFireAt: nextFire(cron, timezone, firstPlanned) ?? null,
  };
}

export function timelineOf(
  schedule: Pick<Schedule, "cron" | "timezone" | "anchorAt" | "anchorWeek" | "pausedAt" | "skips">,
): ModuleTimeline {
  return {
    cron: schedule.cron,
    timezone: schedule.timezone,
    anchorAt: schedule.anchorAt,
    anchorWeek: schedule.anchorWeek,
    pausedAt: schedule.pausedAt,
    skips: new Set(schedule.skips),
  };
}

/** The cohort's module timeline; a cohort saved before schedules existed gets the default one. */
export async function cohortTimeline(store: Store, cohort: Cohort): Promise<ModuleTimeline> {
  const schedule = (await store.schedules.forCohort(cohort.id)).find((s) => s.kind === "module");
  return timelineOf(schedule ?? { ...defaultModuleSchedule(cohort.startDate, cohort.timezone), skips: [] });
}

export async function cohortProgress(store: Store, cohort: Cohort, now: Date): Promise<CohortProgress> {
  return progressAt(await cohortTimeline(store, cohort), now);
}

/** Completes "The cohort …": "is in week 3 of 20", "starts Mon 2026-03-09 09:00 CET". */
export function describeProgress(progress: CohortProgress, timezone: string): string {
  switch (progress.state) {
    case "not-started":
      return progress.startsAt
        ? `starts ${formatInZone(progress.startsAt, timezone)}`
        : "has not started (paused)";
    case "running":
      return `is in week ${progress.week} of ${TOTAL_WEEKS}${progress.paused ? " (paused)" : ""}`;
    case "finished":
      return progress.finishedAt
        ? `finished the roadmap on ${formatInZone(progress.finishedAt, timezone)}`
        : "finished the roadmap";
  }
}
