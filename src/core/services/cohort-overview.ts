import type { Cohort } from "../ports/cohorts.js";
import type { Schedule } from "../ports/schedules.js";
import { type CohortProgress, moduleFires, nextFire, progressAt } from "../rules/schedule.js";
import { defaultModuleSchedule, timelineOf } from "../schedules/timeline.js";
import type { ReportContext } from "./cohort-health.js";

/** What the cohort posts next: a week's module, the wrap-up, a reminder or the question of the day. */
export type NextPost =
  | { kind: "module"; week: number; at: Date }
  | { kind: "wrap-up"; at: Date }
  | { kind: "reminder" | "daily-question"; at: Date }
  /** The module schedule is paused: nothing posts until it resumes. */
  | { kind: "paused" }
  /** The roadmap is done, or no fire lies ahead. */
  | { kind: "none" };

export interface CohortOverview {
  cohort: Cohort;
  progress: CohortProgress;
  members: number;
  /**
   * Members who answered something in the cohort's current week (before week 1: in the weeks before
   * it); null once the cohort has finished.
   */
  activeThisWeek: number | null;
  nextPost: NextPost;
}

/** Looks ahead this far for the module's next fire: far past any weekly schedule. */
const LOOK_AHEAD_MS = 2 * 366 * 86_400_000;

/** The cohort's module schedule; a cohort saved before schedules existed follows the default one. */
export function moduleScheduleOf(cohort: Cohort, schedules: readonly Schedule[]): Schedule {
  return (
    schedules.find((s) => s.kind === "module") ?? {
      ...defaultModuleSchedule(cohort.startDate, cohort.timezone),
      id: 0,
      cohortId: cohort.id,
      skips: [],
    }
  );
}

/**
 * The next post, by the scheduler's rules: the module's next fire that is not skipped, and, while the
 * cohort runs, the reminders' and the daily question's next fires (they post only in a running week,
 * and none can come before week 1's module once the cohort has not started).
 */
export function nextPostOf(
  module: Schedule,
  schedules: readonly Schedule[],
  progress: CohortProgress,
  now: Date,
): NextPost {
  if (progress.state === "finished") return { kind: "none" };
  if (module.pausedAt !== null && module.pausedAt <= now) return { kind: "paused" };
  const candidates: Exclude<NextPost, { kind: "paused" | "none" }>[] = [];
  const fire = moduleFires(timelineOf(module), now, new Date(now.getTime() + LOOK_AHEAD_MS)).find(
    (f) => f.kind !== "skipped",
  );
  if (fire) {
    candidates.push(fire.kind === "wrap-up" ? { kind: "wrap-up", at: fire.at } : { ...fire, kind: "module" });
  }
  if (progress.state === "running") {
    for (const schedule of schedules) {
      if (schedule.kind === "module" || schedule.pausedAt !== null) continue;
      const at = nextFire(schedule.cron, schedule.timezone, now);
      if (at) candidates.push({ kind: schedule.kind, at });
    }
  }
  // The module first on a tie: the scheduler posts it before a reminder of the same minute.
  const [next] = candidates.sort((a, b) => a.at.getTime() - b.at.getTime());
  return next ?? { kind: "none" };
}

/**
 * Every cohort of the space at a glance. One read counts members and weekly activity for all
 * cohorts; the schedules are read per cohort (the schedule port reads one cohort), all at once.
 */
export async function cohortOverview(ctx: ReportContext, spaceId: number): Promise<CohortOverview[]> {
  const now = ctx.clock.now();
  const [cohorts, activity] = await Promise.all([
    ctx.store.cohorts.list(spaceId),
    ctx.store.progress.cohortActivity(spaceId),
  ]);
  const activityOf = new Map(activity.map((a) => [a.cohortId, a]));
  const schedulesOf = await Promise.all(cohorts.map((c) => ctx.store.schedules.forCohort(c.id)));
  return cohorts.map((cohort, i) => {
    const schedules = schedulesOf[i] ?? [];
    const module = moduleScheduleOf(cohort, schedules);
    const progress = progressAt(timelineOf(module), now);
    const counts = activityOf.get(cohort.id);
    const week = progress.state === "running" ? progress.week : progress.state === "not-started" ? 0 : null;
    return {
      cohort,
      progress,
      members: counts?.members ?? 0,
      activeThisWeek: week === null ? null : (counts?.weeks.find((w) => w.week === week)?.learners ?? 0),
      nextPost: nextPostOf(module, schedules, progress, now),
    };
  });
}
