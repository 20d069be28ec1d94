import { expect, it } from "vitest";
import { cohortNamed, created, monday, reminder, scheduleOf } from "./scheduling-fixtures.js";
import { describeStores } from "./stores.js";

const dailyQuestion = {
  ...reminder,
  kind: "daily-question" as const,
  cron: "0 12 * * *",
  spec: "daily 12:00",
};

describeStores("schedules", (open) => {
  it("given a reminder and a module schedule due, hands each over with its cohort, its space and the cohort's module schedule with its skips", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const saved = await store.schedules.save(cohort.id, reminder, created);
    const module = await scheduleOf(store, cohort.id, "module");
    await store.schedules.addSkip(module.id, new Date("2026-03-16T09:00:00Z"));
    await store.schedules.addSkip(module.id, new Date("2026-03-09T09:00:00Z"));

    const due = await store.schedules.due(monday, 10);

    const withSkips = {
      ...module,
      skips: [Date.parse("2026-03-09T09:00:00Z"), Date.parse("2026-03-16T09:00:00Z")],
    };
    // Oldest fire first: the 08:00 reminder, then the 09:00 module.
    expect(due.map((d) => d.schedule)).toEqual([{ ...saved, skips: [] }, withSkips]);
    expect(due.map((d) => d.moduleSchedule)).toEqual([withSkips, withSkips]);
    expect(due.map((d) => [d.cohort, d.platform, d.spaceExternalId])).toEqual([
      [cohort, "terminal", "local"],
      [cohort, "terminal", "local"],
    ]);
  });

  it("given a reminder of a cohort saved before schedules existed, hands it over without a module schedule", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "old");
    await store.schedules.remove(cohort.id, "module");
    await store.schedules.save(cohort.id, reminder, created);

    const [due, ...rest] = await store.schedules.due(monday, 10);
    expect(rest).toEqual([]);
    expect(due?.schedule.kind).toBe("reminder");
    expect(due?.moduleSchedule).toBeNull();
  });

  it("given more due than the limit, or a paused schedule, or a finished cohort, hands over only what is due and running, up to the limit", async () => {
    const { store } = await open();
    const [paused, finished, third, fourth] = [
      await cohortNamed(store, "a"),
      await cohortNamed(store, "b"),
      await cohortNamed(store, "c"),
      await cohortNamed(store, "d"),
    ];
    if (!paused || !finished || !third || !fourth) throw new Error("no cohorts");
    const pausedModule = await scheduleOf(store, paused.id, "module");
    await store.schedules.update(pausedModule.id, { pausedAt: created, nextFireAt: null }, created);
    // The wrap-up completes a cohort; a next fire set on it afterwards is never due.
    const finishedModule = await scheduleOf(store, finished.id, "module");
    await store.posts.plan(
      [
        {
          scheduleId: finishedModule.id,
          basis: finishedModule,
          nextFireAt: null,
          claims: [{ cohortId: finished.id, week: 21, kind: "wrap-up", dueAt: monday }],
          missed: [],
          completesCohort: true,
        },
      ],
      monday,
    );
    await store.schedules.update(finishedModule.id, { nextFireAt: monday }, monday);

    expect((await store.schedules.due(monday, 10)).map((d) => d.cohort.id)).toEqual([third.id, fourth.id]);
    expect((await store.schedules.due(monday, 1)).map((d) => d.cohort.id)).toEqual([third.id]);
    expect(await store.schedules.due(new Date(monday.getTime() - 1), 10)).toEqual([]);
  });

  it("given schedules of every kind and skips added twice, lists the cohort's own by kind with each skip once in fire order", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const other = await cohortNamed(store, "autumn");
    const savedReminder = await store.schedules.save(cohort.id, reminder, created);
    const savedDaily = await store.schedules.save(cohort.id, dailyQuestion, created);
    await store.schedules.save(other.id, reminder, created);
    const module = await scheduleOf(store, cohort.id, "module");
    const later = new Date("2026-03-23T09:00:00Z");
    const sooner = new Date("2026-03-09T09:00:00Z");
    await store.schedules.addSkip(module.id, later);
    await store.schedules.addSkip(module.id, sooner);
    await store.schedules.addSkip(module.id, later);

    const listed = await store.schedules.forCohort(cohort.id);
    expect(listed.map((s) => s.kind)).toEqual(["daily-question", "module", "reminder"]);
    expect(listed).toEqual([
      savedDaily,
      { ...module, skips: [sooner.getTime(), later.getTime()] },
      savedReminder,
    ]);
    expect(savedReminder).toEqual({ ...reminder, id: savedReminder.id, cohortId: cohort.id, skips: [] });
    expect((await store.schedules.forCohort(other.id)).map((s) => s.kind)).toEqual(["module", "reminder"]);
  });

  it("given a schedule saved again for its kind, replaces it under the same id and drops its skips", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const first = await store.schedules.save(cohort.id, reminder, created);
    await store.schedules.addSkip(first.id, new Date("2026-03-03T08:00:00Z"));
    const changedAt = new Date("2026-03-02T10:00:00Z");
    const again = {
      ...reminder,
      cron: "30 18 * * 5",
      spec: "fri 18:30",
      timezone: "Europe/Berlin",
      anchorAt: changedAt,
      anchorWeek: 1,
      nextFireAt: new Date("2026-03-06T17:30:00Z"),
    };

    const replaced = await store.schedules.save(cohort.id, again, changedAt);

    expect(replaced).toEqual({ ...again, id: first.id, cohortId: cohort.id, skips: [] });
    expect((await store.schedules.forCohort(cohort.id)).filter((s) => s.kind === "reminder")).toEqual([
      replaced,
    ]);
  });

  it("given some fields changed, writes those and keeps the others", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const module = await scheduleOf(store, cohort.id, "module");
    const pausedAt = new Date("2026-03-04T10:00:00Z");
    await store.schedules.update(module.id, { pausedAt, nextFireAt: null }, pausedAt);
    expect(await scheduleOf(store, cohort.id, "module")).toEqual({ ...module, pausedAt, nextFireAt: null });

    const resumedAt = new Date("2026-03-20T10:00:00Z");
    const nextFireAt = new Date("2026-03-23T09:00:00Z");
    await store.schedules.update(
      module.id,
      { anchorAt: resumedAt, anchorWeek: 3, pausedAt: null, nextFireAt },
      resumedAt,
    );
    expect(await scheduleOf(store, cohort.id, "module")).toEqual({
      ...module,
      anchorAt: resumedAt,
      anchorWeek: 3,
      pausedAt: null,
      nextFireAt,
    });
  });

  it("given a kind removed, says whether there was one and leaves the cohort's others", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    await store.schedules.save(cohort.id, reminder, created);
    expect(await store.schedules.remove(cohort.id, "reminder")).toBe(true);
    expect(await store.schedules.remove(cohort.id, "reminder")).toBe(false);
    expect(await store.schedules.remove(cohort.id, "daily-question")).toBe(false);
    expect((await store.schedules.forCohort(cohort.id)).map((s) => s.kind)).toEqual(["module"]);
  });

  it("given running and paused schedules, the next fire is the earliest running one's, and none once all are paused", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    expect(await store.schedules.nextFireAt()).toEqual(monday);
    const early = await store.schedules.save(cohort.id, reminder, created);
    expect(await store.schedules.nextFireAt()).toEqual(reminder.nextFireAt);
    // Paused with its next fire left set, it still does not count.
    await store.schedules.update(early.id, { pausedAt: created }, created);
    expect(await store.schedules.nextFireAt()).toEqual(monday);
    await store.posts.pauseCohort(cohort.id, created);
    expect(await store.schedules.nextFireAt()).toBeUndefined();
  });

  it("given two moderators saving the same kind through two stores at once, one schedule of that kind remains", async () => {
    const opened = await open();
    const other = await opened.another();
    const cohort = await cohortNamed(opened.store, "spring");
    const friday = { ...reminder, cron: "0 8 * * 5", spec: "fri 08:00" };
    const saved = await Promise.all([
      opened.store.schedules.save(cohort.id, reminder, created),
      other.schedules.save(cohort.id, friday, created),
      opened.store.schedules.save(cohort.id, reminder, created),
      other.schedules.save(cohort.id, friday, created),
    ]);
    expect(new Set(saved.map((s) => s.id)).size).toBe(1);
    const reminders = (await opened.store.schedules.forCohort(cohort.id)).filter(
      (s) => s.kind === "reminder",
    );
    expect(reminders).toHaveLength(1);
    expect(saved).toContainEqual(reminders[0]);
  });
});
