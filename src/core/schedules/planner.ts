import type { Logger } from "../ports/logger.js";
import type { PostClaim, SchedulePlan } from "../ports/posts.js";
import type { DueSchedule } from "../ports/schedules.js";
import { moduleFires, nextFire, nextFires, progressAt, TOTAL_WEEKS, WRAP_UP } from "../rules/schedule.js";
import { defaultModuleSchedule, timelineOf } from "./timeline.js";

/** Reminders missed over a long downtime are recorded up to this many per schedule per tick. */
const MAX_FIRES_PER_TICK = 200;

/** A fire that came too late to send: recorded as skipped, and worth a log line. */
export interface LateFire {
  claim: PostClaim;
  lateMs: number;
}

export interface PlannedSchedule {
  plan: SchedulePlan;
  late: LateFire[];
}

/**
 * What one due schedule's fires up to `now` come to: the posts to claim, the ones missed
 * beyond the catch-up window, and the next fire. Pure: the store read everything it needs
 * (the cohort's module schedule with it), so a batch of schedules is planned without a query.
 */
export function planSchedule(due: DueSchedule, now: Date, catchUpMs: number): PlannedSchedule {
  const { schedule, cohort } = due;
  const after = new Date((schedule.nextFireAt ?? schedule.anchorAt).getTime() - 1);
  const plan: SchedulePlan = {
    scheduleId: schedule.id,
    basis: {
      cron: schedule.cron,
      timezone: schedule.timezone,
      anchorAt: schedule.anchorAt,
      anchorWeek: schedule.anchorWeek,
      nextFireAt: schedule.nextFireAt,
    },
    nextFireAt: null,
    claims: [],
    missed: [],
    completesCohort: false,
  };
  const late: LateFire[] = [];
  const place = (claim: PostClaim) => {
    const lateMs = now.getTime() - claim.dueAt.getTime();
    if (lateMs <= catchUpMs) {
      plan.claims.push(claim);
      return;
    }
    plan.missed.push(claim);
    late.push({ claim, lateMs });
  };

  if (schedule.kind === "module") {
    for (const fire of moduleFires(timelineOf(schedule), after, now)) {
      if (fire.kind === "skipped") continue;
      // The week that just ended gets its board, posted before the next module.
      const ended = fire.kind === "wrap-up" ? TOTAL_WEEKS : fire.week - 1;
      if (ended >= 1) place({ cohortId: cohort.id, week: ended, kind: "leaderboard", dueAt: fire.at });
      if (fire.kind === "wrap-up") {
        place({ cohortId: cohort.id, week: WRAP_UP, kind: "wrap-up", dueAt: fire.at });
        plan.completesCohort = true;
      } else {
        place({ cohortId: cohort.id, week: fire.week, kind: "module", dueAt: fire.at });
      }
    }
  } else {
    const kind = schedule.kind === "daily-question" ? "daily-question" : "reminder";
    // A cohort saved before schedules existed follows the default module schedule.
    const timeline = timelineOf(
      due.moduleSchedule ?? { ...defaultModuleSchedule(cohort.startDate, cohort.timezone), skips: [] },
    );
    const fires = nextFires(schedule.cron, schedule.timezone, after, MAX_FIRES_PER_TICK).filter(
      (f) => f <= now,
    );
    for (const at of fires) {
      const progress = progressAt(timeline, at);
      if (progress.state === "running" && !progress.paused) {
        place({ cohortId: cohort.id, week: progress.week, kind, dueAt: at });
      }
    }
  }
  if (!plan.completesCohort) plan.nextFireAt = nextFire(schedule.cron, schedule.timezone, now) ?? null;
  return { plan, late };
}

/** Plans a batch of due schedules without a query; fires too late to send are logged. */
export function planBatch(due: DueSchedule[], now: Date, catchUpMs: number, logger: Logger): SchedulePlan[] {
  return due.map((item) => {
    const { plan, late } = planSchedule(item, now, catchUpMs);
    for (const { claim, lateMs } of late) {
      logger.warn(
        {
          cohort: item.cohort.name,
          kind: claim.kind,
          week: claim.week,
          dueAt: claim.dueAt.toISOString(),
          lateMs,
        },
        "post missed beyond the catch-up window; recorded as skipped",
      );
    }
    return plan;
  });
}
