import { describe, expect, it } from "vitest";
import { actor, realCurriculum, tableCounts, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { Identity } from "../ports/identity.js";
import { myProgress } from "./my-progress.js";

const single = realCurriculum().bank.items.find((i) => i.kind === "single" && i.week === 1);

function rightAndWrong(): { id: string; right: string; wrong: string } {
  if (single?.kind !== "single") throw new Error("no single-choice item in week 1");
  const wrong = single.choices.find((c) => c.id !== single.answer)?.id ?? "";
  return { id: single.id, right: single.answer, wrong };
}

async function identityOf(t: ReturnType<typeof testCore>, user: string): Promise<Identity> {
  const identity = await t.core.store.identities.find(actor(user));
  if (!identity) throw new Error(`${user} is unknown`);
  return identity;
}

describe("my progress", () => {
  it("given a learner in no cohort, says so and writes nothing", async () => {
    const t = testCore();
    await handleText(t.core, actor("ana"), "/timezone Europe/Berlin");
    const ana = await identityOf(t, "ana");
    const before = tableCounts(t.database);
    expect(await myProgress(t.core, ana)).toEqual({ inCohort: false, name: "ana" });
    expect(tableCounts(t.database)).toEqual(before);
  });

  it("given a learner on a track who answered right today, gives week, track, level, points, rank, streak and activity", async () => {
    const item = rightAndWrong();
    const t = testCore("2026-03-04T10:00:00Z");
    await handleText(t.core, actor("mod"), "/cohort create spring 2026-03-02 UTC");
    await handleText(t.core, actor("ana"), "/cohort join spring");
    await handleText(t.core, actor("bo"), "/cohort join spring");
    await handleText(t.core, actor("ana"), "/track join dba");
    await handleText(t.core, actor("ana"), `/answer ${item.id} ${item.right}`);
    const ana = await identityOf(t, "ana");
    const before = tableCounts(t.database);

    const view = await myProgress(t.core, ana);
    if (!view.inCohort) throw new Error("ana is in a cohort");
    expect(tableCounts(t.database)).toEqual(before);
    expect(view.cohort).toMatchObject({ name: "spring", week: { state: "running", week: 1, of: 20 } });
    expect(view.points).toBeGreaterThan(0);
    expect(view.rank).toEqual({ rank: 1, of: 1 });
    expect(view.track?.name).toBe("Database Administrator (DBA)");
    expect(view.track?.ladder.filter((step) => step.current)).toHaveLength(1);
    expect(view.track?.level.title).toBe(view.track?.ladder.find((step) => step.current)?.title);
    expect(view.track?.topics.length).toBeGreaterThan(0);
    expect(view.track?.topics.find((topic) => topic.week === 1 && topic.solved > 0)).toBeDefined();
    expect(view.streak).toMatchObject({
      unit: "day",
      current: 1,
      longest: 1,
      status: "active",
      maxFreezes: 2,
    });
    expect(view.activity.summary).toMatchObject({ activeDays: 1, activities: 1 });
    expect(view.activity.summary.busiest).toEqual({ date: "2026-03-04", count: 1 });
    expect(view.activity.perWeek).toHaveLength(12);
    expect(view.activity.perWeek[0]).toEqual({ monday: "2026-03-02", activeDays: 1, activities: 1 });
    expect(view.activity.svg).toContain('role="img"');
    expect(view.activity.svg).toContain('class="heatmap"');
    expect(view.reviews).toEqual({ state: "none" });
  });

  it("given a learner with no track and no points yet, leaves track and rank empty", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await handleText(t.core, actor("mod"), "/cohort create spring 2026-03-09 UTC");
    await handleText(t.core, actor("ana"), "/cohort join spring");
    const view = await myProgress(t.core, await identityOf(t, "ana"));
    if (!view.inCohort) throw new Error("ana is in a cohort");
    expect(view.cohort.week).toEqual({ state: "not-started", startsAt: "Mon 2026-03-09 09:00 UTC" });
    expect(view.track).toBeNull();
    expect(view.rank).toBeNull();
    expect(view.points).toBe(0);
    expect(view.streak.status).toBe("none");
    expect(view.activity.summary).toMatchObject({ activeDays: 0, busiest: null });
  });

  it("given a missed question, shows its review as next, then as due once its day has come", async () => {
    const item = rightAndWrong();
    const t = testCore("2026-03-04T10:00:00Z");
    await handleText(t.core, actor("mod"), "/cohort create spring 2026-03-02 UTC");
    await handleText(t.core, actor("ana"), "/cohort join spring");
    await handleText(t.core, actor("ana"), `/answer ${item.id} ${item.wrong}`);
    const ana = await identityOf(t, "ana");

    const later = await myProgress(t.core, ana);
    expect(later.inCohort && later.reviews).toEqual({
      state: "later",
      questionId: item.id,
      dueAt: "Thu 2026-03-05 10:00 UTC",
    });
    t.clock.set("2026-03-06T10:00:00Z");
    const due = await myProgress(t.core, ana);
    expect(due.inCohort && due.reviews).toEqual({
      state: "due",
      questionId: item.id,
      dueSince: "Thu 2026-03-05 10:00 UTC",
    });
  });
});
