import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emptyStreak,
  MAX_FREEZES,
  recordActivity,
  type StreakStep,
  type StreakUnit,
  streakFold,
  unitOf,
} from "./streak.js";
import { addDays } from "./time.js";

/**
 * Day sequences as a learner produces them: mostly the same or the next day (so streaks pass 21 and the
 * freeze cap matters), sometimes a missed day or two, a long gap, or a day or two back (a move west).
 */
const daySequence = fc
  .tuple(
    fc.integer({ min: 0, max: 3_000 }),
    fc.array(
      fc.oneof(
        { weight: 12, arbitrary: fc.integer({ min: 0, max: 1 }) },
        { weight: 2, arbitrary: fc.integer({ min: 2, max: 3 }) },
        { weight: 1, arbitrary: fc.integer({ min: 4, max: 40 }) },
        { weight: 1, arbitrary: fc.integer({ min: -2, max: -1 }) },
      ),
      // size "max": the default small size keeps arrays too short for a streak to reach 21.
      { maxLength: 200, size: "max" },
    ),
  )
  .map(([startOffset, steps]) => {
    let day = addDays("2020-01-01", startOffset);
    return [day, ...steps.map((step) => (day = addDays(day, step)))];
  });

const unit = fc.constantFrom<StreakUnit>("day", "week");

/** Every step of folding `days` from an empty streak, each with the day it recorded. */
function foldAll(days: readonly string[], streakUnit: StreakUnit): (StreakStep & { day: string })[] {
  let state = emptyStreak;
  return days.map((day) => {
    const step = recordActivity(state, day, streakUnit);
    state = step.state;
    return { ...step, day };
  });
}

describe("streak invariants over random activity", () => {
  it("given any sequence, freezes stay within 0..2, current ≤ longest and current ≤ distinct active units", () => {
    fc.assert(
      fc.property(daySequence, unit, (days, streakUnit) => {
        const seen = new Set<string>();
        for (const step of foldAll(days, streakUnit)) {
          seen.add(unitOf(step.day, streakUnit));
          const { current, longest, freezes } = step.state;
          expect(freezes).toBeGreaterThanOrEqual(0);
          expect(freezes).toBeLessThanOrEqual(MAX_FREEZES);
          expect(current).toBeGreaterThanOrEqual(1);
          expect(current).toBeLessThanOrEqual(longest);
          expect(current).toBeLessThanOrEqual(seen.size);
        }
      }),
    );
  });

  it("given any sequence, longest never decreases and the last unit never moves back", () => {
    fc.assert(
      fc.property(daySequence, unit, (days, streakUnit) => {
        let previous = emptyStreak;
        for (const step of foldAll(days, streakUnit)) {
          expect(step.state.longest).toBeGreaterThanOrEqual(previous.longest);
          if (previous.lastUnit !== null) {
            expect((step.state.lastUnit ?? "") >= previous.lastUnit).toBe(true);
          }
          previous = step.state;
        }
      }),
    );
  });

  it("given any sequence, each step's report agrees with the change of state", () => {
    fc.assert(
      fc.property(daySequence, unit, (days, streakUnit) => {
        let previous = emptyStreak;
        for (const step of foldAll(days, streakUnit)) {
          if (!step.extended) expect(step.state).toBe(previous);
          expect(step.freezesUsed).toBeLessThanOrEqual(previous.freezes);
          const expectedFreezes = previous.freezes - step.freezesUsed + (step.freezeEarned ? 1 : 0);
          expect(step.state.freezes).toBe(expectedFreezes);
          if (step.brokenLength > 0) expect(step.state.current).toBe(1);
          previous = step.state;
        }
      }),
    );
  });

  it("given the same sequence folded twice, the results are equal", () => {
    fc.assert(
      fc.property(daySequence, unit, (days, streakUnit) => {
        expect(foldAll(days, streakUnit)).toEqual(foldAll(days, streakUnit));
      }),
    );
  });
});

describe("streakFold", () => {
  it("given any days in any order, ends where recordActivity folded over the same days ends", () => {
    const start = "2025-12-22";
    fc.assert(
      fc.property(
        fc.constantFrom<StreakUnit>("day", "week"),
        // Mostly forward by a day or two, sometimes a gap of weeks, sometimes back (a move west).
        fc.array(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -3, max: 40 })), {
          maxLength: 80,
        }),
        (unit, steps) => {
          const fold = streakFold(unit);
          let expected = emptyStreak;
          let offset = 0;
          for (const step of steps) {
            offset += step;
            const day = addDays(start, offset);
            fold.add(day);
            expected = recordActivity(expected, day, unit).state;
            expect(fold.state).toEqual(expected);
          }
          fold.reset();
          expect(fold.state).toEqual(emptyStreak);
        },
      ),
      { numRuns: 300 },
    );
  });
});
