import type { Cohort } from "./cohorts.js";
import type { Platform } from "./identity.js";

export type ScheduleKind = "module" | "reminder" | "daily-question";

export interface Schedule {
  id: number;
  cohortId: number;
  kind: ScheduleKind;
  cron: string;
  /** What the moderator typed, shown back: "mon 09:00". */
  spec: string;
  timezone: string;
  anchorAt: Date;
  anchorWeek: number;
  pausedAt: Date | null;
  /** The next fire not yet planned; null when paused or finished. */
  nextFireAt: Date | null;
  /** Skipped fires, epoch milliseconds. */
  skips: number[];
}

export type NewSchedule = Omit<Schedule, "id" | "cohortId" | "skips">;

export interface DueSchedule {
  schedule: Schedule;
  cohort: Cohort;
  platform: Platform;
  spaceExternalId: string;
  /** The cohort's module schedule (the schedule itself when it is one): the week a reminder belongs to. Null for a cohort saved before schedules existed. */
  moduleSchedule: Schedule | null;
}

export interface ScheduleStore {
  forCohort(cohortId: number): Promise<Schedule[]>;
  /** Creates or replaces the cohort's schedule of that kind; skips of a replaced one are dropped. */
  save(cohortId: number, schedule: NewSchedule, at: Date): Promise<Schedule>;
  update(
    id: number,
    changes: Partial<Pick<Schedule, "anchorAt" | "anchorWeek" | "pausedAt" | "nextFireAt">>,
    at: Date,
  ): Promise<void>;
  remove(cohortId: number, kind: ScheduleKind): Promise<boolean>;
  addSkip(id: number, fireAt: Date): Promise<void>;
  /** Unpaused schedules of unfinished cohorts whose next fire is at or before `now`, oldest first. */
  due(now: Date, limit: number): Promise<DueSchedule[]>;
  /** The earliest next fire of any unpaused schedule. */
  nextFireAt(): Promise<Date | undefined>;
}
