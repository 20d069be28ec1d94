/** One goal an issue names, as a bench measured it in this run. */
export interface Goal {
  name: string;
  /** NaN when the bench could not measure it; it then prints "not measured" and counts as short. */
  value: number;
  target: number;
  /** Whether the value meets the target: the bench decides, since a goal may be a floor or a ceiling. */
  ok: boolean;
  /** How value and target print, e.g. (n) => `${n.toFixed(2)}× before`. */
  format: (n: number) => string;
  /** Printed before the target, e.g. "≤" for a ceiling. */
  bound?: "≤" | "≥";
}

const goals: Goal[] = [];

/** Goals are reported at the end of the run, not enforced: a short goal does not fail the run. */
export function recordGoal(goal: Goal): void {
  goals.push(goal);
}

export function goalLine(goal: Goal): string {
  const value = Number.isNaN(goal.value) ? "not measured" : goal.format(goal.value);
  const target = `${goal.bound ? `${goal.bound} ` : ""}${goal.format(goal.target)}`;
  const ok = goal.ok && !Number.isNaN(goal.value);
  return `goal ${goal.name}: ${value} (target ${target}) ${ok ? "ok" : "short"}`;
}

/** The last lines of the run: one per goal, in the order the benches recorded them. */
export function printGoals(): void {
  console.log("\nGoals");
  if (goals.length === 0) console.log("  (no goal recorded in this run)");
  for (const goal of goals) console.log(goalLine(goal));
}
