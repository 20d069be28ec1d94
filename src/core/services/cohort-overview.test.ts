import { describe, expect, it } from "vitest";
import { answerSingle, cohortWith, say } from "../../../test/cohort-world.js";
import { testCore } from "../../../test/helpers.js";
import type { Schedule, ScheduleKind } from "../ports/schedules.js";
import { progressAt } from "../rules/schedule.js";
import { defaultModuleSchedule, timelineOf } from "../schedules/timeline.js";
import { cohortOverview, nextPostOf } from "./cohort-overview.js";

/** Spring's module schedule: Mondays 09:00 UTC from 2 March 2026. */
const module = (changes: Partial<Schedule> = {}): Schedule => ({
  ...defaultModuleSchedule("2026-03-02", "UTC"),
  id: 1,
  cohortId: 1,
  skips: [],
  ...changes,
});
const side = (kind: ScheduleKind, cron: string, pausedAt: Date | null = null): Schedule => ({
  ...module(),
  id: 2,
  kind,
  cron,
  spec: cron,
  pausedAt,
});
const next = (schedule: Schedule, others: Schedule[], now: string) => {
  const at = new Date(now);
  return nextPostOf(schedule, [schedule, ...others], progressAt(timelineOf(schedule), at), at);
};

describe("nextPostOf", () => {
  it("given a running cohort, the earliest of the next module and the unpaused side schedules", () => {
    const daily = side("daily-question", "0 8 * * *");
    expect(next(module(), [daily], "2026-03-04T12:00:00Z")).toEqual({
      kind: "daily-question",
      at: new Date("2026-03-05T08:00:00Z"),
    });
    expect(
      next(module(), [side("daily-question", "0 8 * * *", new Date(0))], "2026-03-04T12:00:00Z"),
    ).toEqual({
      kind: "module",
      week: 2,
      at: new Date("2026-03-09T09:00:00Z"),
    });
    expect(next(module(), [side("reminder", "0 18 * * 3")], "2026-03-04T12:00:00Z")).toEqual({
      kind: "reminder",
      at: new Date("2026-03-04T18:00:00Z"),
    });
  });

  it("given a cohort not started, its first module, whatever the reminders say", () => {
    expect(next(module(), [side("reminder", "0 8 * * *")], "2026-02-25T12:00:00Z")).toEqual({
      kind: "module",
      week: 1,
      at: new Date("2026-03-02T09:00:00Z"),
    });
  });

  it("given a skipped fire, the module after it, still for the week that comes next", () => {
    const skipped = module({ skips: [Date.parse("2026-03-09T09:00:00Z")] });
    expect(next(skipped, [], "2026-03-04T12:00:00Z")).toEqual({
      kind: "module",
      week: 2,
      at: new Date("2026-03-16T09:00:00Z"),
    });
  });

  it("given the last week, the wrap-up; given a finished roadmap, nothing; given a pause, paused", () => {
    const lastWeek = module({ anchorAt: new Date("2026-03-04T00:00:00Z"), anchorWeek: 20 });
    expect(next(lastWeek, [], "2026-03-04T12:00:00Z")).toEqual({
      kind: "wrap-up",
      at: new Date("2026-03-09T09:00:00Z"),
    });
    expect(next(lastWeek, [side("reminder", "0 8 * * *")], "2026-03-10T12:00:00Z")).toEqual({ kind: "none" });
    const paused = module({ pausedAt: new Date("2026-03-03T00:00:00Z") });
    expect(next(paused, [side("reminder", "0 8 * * *")], "2026-03-04T12:00:00Z")).toEqual({ kind: "paused" });
  });
});

describe("cohortOverview", () => {
  it("given cohorts in two spaces, lists the space's own with week, members, active this week and next post", async () => {
    const t = testCore("2026-03-04T12:00:00Z");
    const spring = await cohortWith(t, "spring", ["ana", "bo"]);
    await say(t, "mod", "/schedule daily 08:00");
    await answerSingle(t, "ana", 0);
    // Creating autumn moves its moderator there, so the pause below is autumn's.
    const autumn = await cohortWith(t, "autumn", ["cy"]);
    await cohortWith(t, "elsewhere", ["zed"], "other");
    await answerSingle(t, "cy", 1);
    expect(await say(t, "mod", "/schedule pause")).toMatch(/pause/i);

    const overview = await cohortOverview(t.core, spring.spaceId);
    expect(overview.map((o) => o.cohort.name)).toEqual(["spring", "autumn"]);
    expect(overview[0]).toEqual({
      cohort: spring,
      progress: expect.objectContaining({ state: "running", week: 1, paused: false }),
      members: 2,
      activeThisWeek: 1,
      nextPost: { kind: "daily-question", at: new Date("2026-03-05T08:00:00Z") },
    });
    expect(overview[1]).toMatchObject({
      cohort: { id: autumn.id },
      progress: { state: "running", week: 1, paused: true },
      members: 2,
      activeThisWeek: 1,
      nextPost: { kind: "paused" },
    });
  });
});
