import type { CohortContext } from "../commands/caller-cohort.js";
import type { Schedule } from "../ports/schedules.js";
import { moduleFires, nextFires, WRAP_UP } from "../rules/schedule.js";
import { parseWhen } from "../rules/when.js";
import { describeProgress, timelineOf } from "../schedules/timeline.js";

/** How many upcoming fires a schedule shows, in chat and on the dashboard. */
export const UPCOMING_COUNT = 5;
const YEARS_AHEAD = 2 * 366 * 86_400_000;

export interface UpcomingFire {
  at: Date;
  /** What the fire posts: "week 3", "skipped: week 3 goes on", "wrap-up: the roadmap is done"; empty for side schedules. */
  what: string;
}

export interface ScheduleView {
  kind: Schedule["kind"];
  /** The schedule in words ("Mondays at 09:00"), or its cron when the words are gone. */
  description: string;
  /** What the moderator typed, to fill the form with. */
  spec: string;
  timezone: string;
  state: "running" | "paused" | "finished";
  pausedAt: Date | null;
  upcoming: UpcomingFire[];
}

export interface CohortScheduleView {
  /** "is in week 3 of 20 …", as /schedule show says it. */
  progressText: string;
  channelExternalId: string | null;
  module: ScheduleView;
  /** Reminders and the question of the day, those that are set. */
  others: ScheduleView[];
}

export const describedSchedule = (spec: string, cron: string): string => {
  const parsed = parseWhen(spec);
  return parsed.ok ? parsed.value.description : `cron ${cron}`;
};

/** A cohort's schedules with their next fires: what /schedule show prints and the dashboard's schedule page shows. */
export function scheduleView(found: CohortContext, now: Date): CohortScheduleView {
  const { cohort, module, schedules, progress } = found;
  const base = (schedule: Schedule) => ({
    kind: schedule.kind,
    description: describedSchedule(schedule.spec, schedule.cron),
    spec: schedule.spec,
    timezone: schedule.timezone,
    pausedAt: schedule.pausedAt,
  });
  let moduleView: ScheduleView;
  if (progress.state === "finished") {
    moduleView = { ...base(module), state: "finished", upcoming: [] };
  } else if (module.pausedAt) {
    moduleView = { ...base(module), state: "paused", upcoming: [] };
  } else {
    const fires = moduleFires(timelineOf(module), now, new Date(now.getTime() + YEARS_AHEAD)).slice(
      0,
      UPCOMING_COUNT,
    );
    moduleView = {
      ...base(module),
      state: "running",
      upcoming: fires.map((fire) => ({
        at: fire.at,
        what:
          fire.kind === "skipped"
            ? `skipped: week ${fire.week} goes on`
            : fire.week === WRAP_UP
              ? "wrap-up: the roadmap is done"
              : `week ${fire.week}`,
      })),
    };
  }
  const others = schedules
    .filter((s) => s.kind !== "module")
    .map(
      (s): ScheduleView => ({
        ...base(s),
        state: s.pausedAt ? "paused" : "running",
        upcoming: s.pausedAt
          ? []
          : nextFires(s.cron, s.timezone, now, UPCOMING_COUNT).map((at) => ({ at, what: "" })),
      }),
    );
  return {
    progressText: describeProgress(progress, cohort.timezone),
    channelExternalId: cohort.channelExternalId,
    module: moduleView,
    others,
  };
}
