import type { StreakState, StreakUnit } from "../core/rules/streak.js";

/** The streak rule folded over days, one fold per unit (core/rules/streak.ts's streakFold). */
export type Folds = Record<
  StreakUnit,
  { add(day: string): void; reset(): void; readonly state: StreakState }
>;

/**
 * The rebuild's streaks: the streak rule folded over each learner's active days, which come grouped
 * by learner in the order they were recorded; `save` gets every learner's streak in both units.
 */
export function foldLearnerStreaks(
  days: Iterable<readonly [memberId: number, day: string]>,
  folds: Folds,
  save: (memberId: number, unit: StreakUnit, state: StreakState) => void,
): void {
  let member: number | undefined;
  const flush = () => {
    if (member === undefined) return;
    for (const unit of ["day", "week"] as const) save(member, unit, folds[unit].state);
  };
  for (const [memberId, day] of days) {
    if (memberId !== member) {
      flush();
      member = memberId;
      folds.day.reset();
      folds.week.reset();
    }
    folds.day.add(day);
    folds.week.add(day);
  }
  flush();
}
