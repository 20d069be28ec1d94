import { describe, expect, it } from "vitest";
import { cohortProgress } from "./progression.js";

describe("cohort progression", () => {
  it("given a start date in the future, the cohort has not started", () => {
    expect(cohortProgress("2026-03-09", "UTC", new Date("2026-03-05T12:00:00Z"))).toEqual({
      state: "not-started",
      startsInDays: 4,
    });
  });

  it("given the start date itself, the cohort is in week 1, day 1", () => {
    expect(cohortProgress("2026-03-09", "UTC", new Date("2026-03-09T00:00:00Z"))).toMatchObject({
      state: "running",
      week: 1,
      dayOfWeek: 1,
    });
  });

  it("given day 8, the cohort is in week 2, which started a week after the start", () => {
    expect(cohortProgress("2026-03-09", "UTC", new Date("2026-03-16T08:00:00Z"))).toEqual({
      state: "running",
      week: 2,
      dayOfWeek: 1,
      weekStarts: "2026-03-16",
    });
  });

  it("given an instant that is already Monday in Berlin but Sunday in UTC, Berlin's cohort has moved on", () => {
    const sundayNightUtc = new Date("2026-03-15T23:30:00Z");
    expect(cohortProgress("2026-03-09", "Europe/Berlin", sundayNightUtc)).toMatchObject({ week: 2 });
    expect(cohortProgress("2026-03-09", "UTC", sundayNightUtc)).toMatchObject({ week: 1 });
  });

  it("given weeks spanning the spring DST change, weeks stay seven calendar days", () => {
    // Europe/Berlin moves its clocks on 2026-03-29.
    expect(cohortProgress("2026-03-23", "Europe/Berlin", new Date("2026-03-29T22:30:00Z"))).toMatchObject({
      week: 2,
      dayOfWeek: 1,
    });
  });

  it("given the last day of week 20 and the day after, the cohort finishes", () => {
    expect(cohortProgress("2026-01-05", "UTC", new Date("2026-05-24T12:00:00Z"))).toMatchObject({
      state: "running",
      week: 20,
      dayOfWeek: 7,
    });
    expect(cohortProgress("2026-01-05", "UTC", new Date("2026-05-25T12:00:00Z"))).toEqual({
      state: "finished",
      finishedOn: "2026-05-24",
    });
  });
});
