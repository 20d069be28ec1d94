import { addDays, daysBetween, localDate } from "./time.js";

export const TOTAL_WEEKS = 20;

export type CohortProgress =
  | { state: "not-started"; startsInDays: number }
  | { state: "running"; week: number; dayOfWeek: number; weekStarts: string }
  | { state: "finished"; finishedOn: string };

/**
 * Where a cohort is on the roadmap on a given instant: week n runs for seven
 * calendar days in the cohort's zone, starting on the start date.
 */
export function cohortProgress(startDate: string, timeZone: string, now: Date): CohortProgress {
  const today = localDate(now, timeZone);
  const elapsed = daysBetween(startDate, today);
  if (elapsed < 0) return { state: "not-started", startsInDays: -elapsed };
  const week = Math.floor(elapsed / 7) + 1;
  if (week > TOTAL_WEEKS) {
    return { state: "finished", finishedOn: addDays(startDate, TOTAL_WEEKS * 7 - 1) };
  }
  return {
    state: "running",
    week,
    dayOfWeek: (elapsed % 7) + 1,
    weekStarts: addDays(startDate, (week - 1) * 7),
  };
}
