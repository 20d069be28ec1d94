import type { CohortProgress } from "../../../core/rules/schedule.js";
import { TOTAL_WEEKS } from "../../../core/rules/schedule.js";
import { formatInZone } from "../../../core/rules/zoned.js";

// Words and figures the moderator's cohort pages share.

export const count = (n: number) => n.toLocaleString("en-US");

/** "1 attempt", "3 attempts". */
export const plural = (n: number, word: string) => `${count(n)} ${n === 1 ? word : `${word}s`}`;

export const points = (n: number) => `${count(n)} ${n === 1 ? "pt" : "pts"}`;

/** "40%", or "—" when there is nothing to divide. */
export const percentOf = (n: number, of: number) => (of === 0 ? "—" : `${Math.round((100 * n) / of)}%`);

export const weekName = (week: number) => (week === 0 ? "Before week 1" : `Week ${week}`);

/** "Week 3 of 20", "Not started", "Finished", with "(paused)" while a running cohort is. */
export function progressWords(progress: CohortProgress): string {
  switch (progress.state) {
    case "not-started":
      return "Not started";
    case "running":
      return `Week ${progress.week} of ${TOTAL_WEEKS}${progress.paused ? " (paused)" : ""}`;
    case "finished":
      return "Finished";
  }
}

/** An instant as the cohort's zone reads it, machine-readable too. */
export function When({ at, zone }: { at: Date; zone: string }) {
  return <time datetime={at.toISOString()}>{formatInZone(at, zone)}</time>;
}
