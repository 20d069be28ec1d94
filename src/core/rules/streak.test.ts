import { describe, expect, it } from "vitest";
import {
  emptyStreak,
  milestones,
  recordActivity,
  type StreakState,
  type StreakStep,
  type StreakUnit,
  streakAsOf,
  unitOf,
  unitsBetween,
} from "./streak.js";
import { addDays, localDate } from "./time.js";

/** Every step of folding `days` from `start`, in order. */
function fold(
  days: readonly string[],
  unit: StreakUnit = "day",
  start: StreakState = emptyStreak,
): StreakStep[] {
  const steps: StreakStep[] = [];
  let state = start;
  for (const day of days) {
    const step = recordActivity(state, day, unit);
    steps.push(step);
    state = step.state;
  }
  return steps;
}

const finalState = (days: readonly string[], unit: StreakUnit = "day", start: StreakState = emptyStreak) =>
  fold(days, unit, start).at(-1)?.state ?? start;

/** `count` consecutive days from `first`. */
const run = (first: string, count: number) => Array.from({ length: count }, (_, i) => addDays(first, i));

describe("units", () => {
  it("given any day of an ISO week, its week unit is that week's Monday", () => {
    expect(unitOf("2026-03-09", "week")).toBe("2026-03-09");
    expect(unitOf("2026-03-12", "week")).toBe("2026-03-09");
    expect(unitOf("2026-03-15", "week")).toBe("2026-03-09");
    expect(unitOf("2026-03-16", "week")).toBe("2026-03-16");
    expect(unitOf("2026-03-12", "day")).toBe("2026-03-12");
  });

  it("given the days around a new year, the ISO week starts on the Monday in the old year", () => {
    expect(unitOf("2027-01-01", "week")).toBe("2026-12-28");
    expect(unitOf("2027-01-03", "week")).toBe("2026-12-28");
    expect(unitOf("2027-01-04", "week")).toBe("2027-01-04");
    expect(unitsBetween("2026-12-28", "2027-01-04", "week")).toBe(1);
    expect(unitsBetween("2026-12-31", "2026-12-28", "day")).toBe(-3);
  });

  it("given something that is not a calendar date, refuses it", () => {
    expect(() => unitOf("2026-02-30", "day")).toThrow(RangeError);
    expect(() => recordActivity(emptyStreak, "yesterday", "week")).toThrow(RangeError);
  });
});

describe("recording daily activity", () => {
  it("given a first activity, starts a streak of one", () => {
    const [step] = fold(["2026-03-02"]);
    expect(step).toEqual({
      state: { current: 1, longest: 1, lastUnit: "2026-03-02", freezes: 0 },
      extended: true,
      freezesUsed: 0,
      freezeEarned: false,
      brokenLength: 0,
      milestone: null,
    });
  });

  it("given consecutive days, each one extends the streak", () => {
    const steps = fold(run("2026-02-26", 5));
    expect(steps.map((s) => s.state.current)).toEqual([1, 2, 3, 4, 5]);
    expect(steps.every((s) => s.extended)).toBe(true);
    expect(steps.at(-1)?.state).toEqual({ current: 5, longest: 5, lastUnit: "2026-03-02", freezes: 0 });
  });

  it("given the same day twice, the second activity changes nothing", () => {
    const [first, second] = fold(["2026-03-02", "2026-03-02"]);
    expect(second?.extended).toBe(false);
    expect(second?.state).toBe(first?.state);
  });

  it("given a missed day with a freeze, the streak holds and spends the freeze", () => {
    const start: StreakState = { current: 9, longest: 9, lastUnit: "2026-03-02", freezes: 1 };
    const [step] = fold(["2026-03-04"], "day", start);
    expect(step).toMatchObject({ extended: true, freezesUsed: 1, brokenLength: 0 });
    expect(step?.state).toEqual({ current: 10, longest: 10, lastUnit: "2026-03-04", freezes: 0 });
  });

  it("given two missed days with one freeze, the streak breaks and restarts at one, keeping the freeze", () => {
    const start: StreakState = { current: 9, longest: 12, lastUnit: "2026-03-02", freezes: 1 };
    const [step] = fold(["2026-03-05"], "day", start);
    expect(step).toMatchObject({ extended: true, freezesUsed: 0, brokenLength: 9 });
    expect(step?.state).toEqual({ current: 1, longest: 12, lastUnit: "2026-03-05", freezes: 1 });
  });

  it("given two missed days with two freezes, both are spent and the streak holds", () => {
    const start: StreakState = { current: 9, longest: 9, lastUnit: "2026-03-02", freezes: 2 };
    const [step] = fold(["2026-03-05"], "day", start);
    expect(step).toMatchObject({ freezesUsed: 2, brokenLength: 0 });
    expect(step?.state).toMatchObject({ current: 10, freezes: 0 });
  });

  it("given a streak reaching 7 and 14 days, a freeze is earned at each", () => {
    const steps = fold(run("2026-03-01", 14));
    const earnedAt = steps.filter((s) => s.freezeEarned).map((s) => s.state.current);
    expect(earnedAt).toEqual([7, 14]);
    expect(steps[6]?.state.freezes).toBe(1);
    expect(steps[13]?.state.freezes).toBe(2);
  });

  it("given two freezes held, reaching 21 days earns none: freezes cap at 2", () => {
    const steps = fold(run("2026-03-01", 28));
    expect(steps[20]?.freezeEarned).toBe(false);
    expect(steps[27]?.freezeEarned).toBe(false);
    expect(Math.max(...steps.map((s) => s.state.freezes))).toBe(2);
  });

  it("given a freeze spent after the cap, the next multiple of 7 earns one back", () => {
    const before = finalState(run("2026-03-01", 14));
    const steps = fold([...run("2026-03-15", 5), ...run("2026-03-21", 2)], "day", before);
    // 2026-03-20 is missed: one freeze bridges it and the streak reaches 21 on 2026-03-22.
    expect(steps[5]).toMatchObject({ freezesUsed: 1, state: { current: 20, freezes: 1 } });
    expect(steps[6]?.state.current).toBe(21);
    expect(steps[6]).toMatchObject({ freezeEarned: true, state: { freezes: 2 } });
  });

  it("given a 100-day streak, milestones 7, 30 and 100 are announced once each", () => {
    const steps = fold(run("2026-01-01", 100));
    const announced = steps.flatMap((s) => (s.milestone === null ? [] : [s.milestone]));
    expect(announced).toEqual([7, 30, 100]);
    expect(milestones.day).toEqual([7, 30, 100]);
  });

  it("given the same day repeated on a milestone, it is not announced again", () => {
    const days = run("2026-01-01", 7);
    const steps = fold([...days, "2026-01-07", "2026-01-07"]);
    expect(steps.map((s) => s.milestone)).toEqual([null, null, null, null, null, null, 7, null, null]);
  });

  it("given a streak rebuilt after a break, longest keeps the record", () => {
    const state = finalState([...run("2026-03-01", 5), ...run("2026-03-10", 2)]);
    expect(state).toMatchObject({ current: 2, longest: 5 });
  });
});

describe("recording weekly activity", () => {
  it("given one activity in each ISO week across the year boundary, the streak extends", () => {
    const steps = fold(["2026-12-22", "2026-12-28", "2027-01-03", "2027-01-04", "2027-01-11"], "week");
    expect(steps.map((s) => s.extended)).toEqual([true, true, false, true, true]);
    expect(steps.map((s) => s.state.lastUnit)).toEqual([
      "2026-12-21",
      "2026-12-28",
      "2026-12-28",
      "2027-01-04",
      "2027-01-11",
    ]);
    expect(steps.at(-1)?.state.current).toBe(4);
    expect(steps.at(-1)?.milestone).toBe(4);
  });

  it("given Sunday then the next Monday, two weeks count; Monday then Sunday, one", () => {
    expect(finalState(["2027-01-03", "2027-01-04"], "week").current).toBe(2);
    expect(finalState(["2027-01-04", "2027-01-10"], "week").current).toBe(1);
  });

  it("given a missed week without freezes, the weekly streak breaks", () => {
    const [, , step] = fold(["2026-12-21", "2026-12-28", "2027-01-11"], "week");
    expect(step).toMatchObject({ brokenLength: 2, state: { current: 1 } });
  });

  it("given weekly milestones, 4, 12 and 20 weeks are announced", () => {
    const weeks = Array.from({ length: 20 }, (_, i) => addDays("2026-09-09", 7 * i));
    const announced = fold(weeks, "week").flatMap((s) => (s.milestone === null ? [] : [s.milestone]));
    expect(announced).toEqual([4, 12, 20]);
  });
});

describe("daylight saving time", () => {
  /** Activities at 00:30 and 23:30 local on each day; instants carry the offset in force then. */
  const cases = [
    {
      name: "America/New_York in March (EST -05:00 → EDT -04:00 on 2026-03-08)",
      zone: "America/New_York",
      instants: [
        ["2026-03-07T00:30:00-05:00", "2026-03-07"],
        ["2026-03-07T23:30:00-05:00", "2026-03-07"],
        ["2026-03-08T00:30:00-05:00", "2026-03-08"],
        ["2026-03-08T23:30:00-04:00", "2026-03-08"],
        ["2026-03-09T00:30:00-04:00", "2026-03-09"],
        ["2026-03-09T23:30:00-04:00", "2026-03-09"],
      ],
    },
    {
      name: "America/New_York in November (EDT -04:00 → EST -05:00 on 2026-11-01)",
      zone: "America/New_York",
      instants: [
        ["2026-10-31T00:30:00-04:00", "2026-10-31"],
        ["2026-10-31T23:30:00-04:00", "2026-10-31"],
        ["2026-11-01T00:30:00-04:00", "2026-11-01"],
        ["2026-11-01T23:30:00-05:00", "2026-11-01"],
        ["2026-11-02T00:30:00-05:00", "2026-11-02"],
        ["2026-11-02T23:30:00-05:00", "2026-11-02"],
      ],
    },
    {
      name: "Europe/Berlin in March (CET +01:00 → CEST +02:00 on 2026-03-29)",
      zone: "Europe/Berlin",
      instants: [
        ["2026-03-28T00:30:00+01:00", "2026-03-28"],
        ["2026-03-28T23:30:00+01:00", "2026-03-28"],
        ["2026-03-29T00:30:00+01:00", "2026-03-29"],
        ["2026-03-29T23:30:00+02:00", "2026-03-29"],
        ["2026-03-30T00:30:00+02:00", "2026-03-30"],
        ["2026-03-30T23:30:00+02:00", "2026-03-30"],
      ],
    },
    {
      // The EU changes back on the last Sunday of October, not in November.
      name: "Europe/Berlin in autumn (CEST +02:00 → CET +01:00 on 2026-10-25)",
      zone: "Europe/Berlin",
      instants: [
        ["2026-10-24T00:30:00+02:00", "2026-10-24"],
        ["2026-10-24T23:30:00+02:00", "2026-10-24"],
        ["2026-10-25T00:30:00+02:00", "2026-10-25"],
        ["2026-10-25T23:30:00+01:00", "2026-10-25"],
        ["2026-10-26T00:30:00+01:00", "2026-10-26"],
        ["2026-10-26T23:30:00+01:00", "2026-10-26"],
      ],
    },
  ] as const;

  it.each(cases)(
    "given 23:30 and 00:30 local around the change in $name, each lands on its own day and the streak grows by one a day",
    ({ zone, instants }) => {
      const days = instants.map(([at]) => localDate(new Date(at), zone));
      expect(days).toEqual(instants.map(([, day]) => day));
      const steps = fold(days);
      expect(steps.map((s) => s.extended)).toEqual([true, false, true, false, true, false]);
      expect(steps.map((s) => s.state.current)).toEqual([1, 1, 2, 2, 3, 3]);
      expect(steps.every((s) => s.freezesUsed === 0 && s.brokenLength === 0)).toBe(true);
    },
  );

  it("given 23:30 and the 00:30 one hour later across the spring change, the second starts a new day", () => {
    // 23:30 EST on 2026-03-07 and 00:30 EST on 2026-03-08 are one real hour apart but two local days.
    const late = localDate(new Date("2026-03-08T04:30:00Z"), "America/New_York");
    const early = localDate(new Date("2026-03-08T05:30:00Z"), "America/New_York");
    expect([late, early]).toEqual(["2026-03-07", "2026-03-08"]);
    const steps = fold([late, early]);
    expect(steps[1]).toMatchObject({ extended: true, state: { current: 2 } });
  });
});

describe("moving between time zones", () => {
  it("given a learner active in Tokyo who moves to Los Angeles, the earlier local date neither loses nor double counts", () => {
    // Tokyo 2026-03-10 09:00 (+09:00); then Los Angeles 2026-03-09 20:00 (-07:00), 4 hours later.
    const tokyo = localDate(new Date("2026-03-10T09:00:00+09:00"), "Asia/Tokyo");
    const losAngeles = localDate(new Date("2026-03-09T20:00:00-07:00"), "America/Los_Angeles");
    expect([tokyo, losAngeles]).toEqual(["2026-03-10", "2026-03-09"]);
    const before = finalState(run("2026-03-06", 5));
    const steps = fold([losAngeles, "2026-03-10", "2026-03-11"], "day", before);
    expect(steps.map((s) => s.extended)).toEqual([false, false, true]);
    expect(steps.map((s) => s.state.current)).toEqual([5, 5, 6]);
    expect(steps.every((s) => s.brokenLength === 0)).toBe(true);
  });

  it("given a move west, the day's status is still active, not at risk", () => {
    const state: StreakState = { current: 5, longest: 5, lastUnit: "2026-03-10", freezes: 0 };
    expect(streakAsOf(state, "2026-03-09", "day").status).toBe("active");
  });

  it("given a move east that skips a calendar date, a held freeze bridges it like any missed day", () => {
    // Los Angeles 2026-03-09 23:00 (-07:00); then Tokyo 2026-03-11 00:30 (+09:00), 9½ real hours later.
    const losAngeles = localDate(new Date("2026-03-09T23:00:00-07:00"), "America/Los_Angeles");
    const tokyo = localDate(new Date("2026-03-11T00:30:00+09:00"), "Asia/Tokyo");
    expect([losAngeles, tokyo]).toEqual(["2026-03-09", "2026-03-11"]);
    const before: StreakState = { current: 7, longest: 7, lastUnit: losAngeles, freezes: 1 };
    const [step] = fold([tokyo], "day", before);
    expect(step).toMatchObject({ freezesUsed: 1, brokenLength: 0, state: { current: 8, freezes: 0 } });
  });

  it("given a move east that skips a calendar date with no freeze held, the rule counts the skipped date as missed", () => {
    const before: StreakState = { current: 3, longest: 3, lastUnit: "2026-03-09", freezes: 0 };
    const [step] = fold(["2026-03-11"], "day", before);
    expect(step).toMatchObject({ brokenLength: 3, state: { current: 1 } });
  });
});

describe("the streak as of a day", () => {
  const state: StreakState = { current: 12, longest: 20, lastUnit: "2026-03-10", freezes: 1 };

  it("given no activity yet, the status is none", () => {
    expect(streakAsOf(emptyStreak, "2026-03-10", "day")).toEqual({
      current: 0,
      longest: 0,
      freezes: 0,
      status: "none",
      brokeOn: null,
      freezesNeeded: 0,
    });
  });

  it("given activity today, the streak is active", () => {
    expect(streakAsOf(state, "2026-03-10", "day")).toMatchObject({ status: "active", current: 12 });
  });

  it("given activity yesterday but not yet today, the streak is at risk", () => {
    expect(streakAsOf(state, "2026-03-11", "day")).toMatchObject({ status: "at-risk", current: 12 });
  });

  it("given a missed day that the held freeze covers, the streak is frozen and keeps its length", () => {
    expect(streakAsOf(state, "2026-03-12", "day")).toMatchObject({
      status: "frozen",
      current: 12,
      freezesNeeded: 1,
      brokeOn: null,
    });
  });

  it("given more missed days than freezes, the streak is broken from the first day no freeze covers", () => {
    expect(streakAsOf(state, "2026-03-13", "day")).toEqual({
      current: 0,
      longest: 20,
      freezes: 1,
      status: "broken",
      brokeOn: "2026-03-13",
      freezesNeeded: 0,
    });
    expect(streakAsOf(state, "2026-04-30", "day").brokeOn).toBe("2026-03-13");
    expect(streakAsOf({ ...state, freezes: 0 }, "2026-03-12", "day").brokeOn).toBe("2026-03-12");
  });

  it("given weekly units, statuses follow ISO weeks and brokeOn is a Monday", () => {
    const weekly: StreakState = { current: 3, longest: 3, lastUnit: "2026-12-28", freezes: 0 };
    expect(streakAsOf(weekly, "2027-01-03", "week").status).toBe("active");
    expect(streakAsOf(weekly, "2027-01-10", "week").status).toBe("at-risk");
    expect(streakAsOf(weekly, "2027-01-11", "week")).toMatchObject({
      status: "broken",
      brokeOn: "2027-01-11",
    });
    expect(streakAsOf({ ...weekly, freezes: 2 }, "2027-01-20", "week")).toMatchObject({
      status: "frozen",
      freezesNeeded: 2,
    });
  });

  it("given a view, the state is not changed and the next activity agrees with it", () => {
    const copy = structuredClone(state);
    const view = streakAsOf(state, "2026-03-12", "day");
    expect(state).toEqual(copy);
    const [step] = fold(["2026-03-12"], "day", state);
    expect(step?.freezesUsed).toBe(view.freezesNeeded);
    const broken = streakAsOf(state, "2026-03-13", "day");
    const [after] = fold(["2026-03-13"], "day", state);
    expect(after?.brokenLength).toBe(broken.status === "broken" ? state.current : 0);
  });
});
