import { expect, it } from "vitest";
import type { Post, SchedulePlan } from "../../../src/core/ports/posts.js";
import type { Schedule } from "../../../src/core/ports/schedules.js";
import type { Store } from "../../../src/core/ports/store.js";
import { planSchedule } from "../../../src/core/schedules/planner.js";
import {
  cohortNamed,
  created,
  firstModulePlan,
  monday,
  reminder,
  scheduleOf,
  week2,
} from "./scheduling-fixtures.js";
import { describeStores } from "./stores.js";

const at = new Date("2026-03-02T09:00:20Z");
const later = new Date("2026-03-02T09:01:00Z");
/** Fires up to this late are still sent, as CATCH_UP_HOURS says. */
const catchUpMs = 30 * 86_400_000;
/** The lease of the process "one" from `now`. */
const sender = (now: Date) => ({ owner: "one", now, until: new Date(now.getTime() + 30_000) });

describeStores("posts", (open) => {
  it("given a plan, claims its posts once, moves the schedule on, and hands each post over as stored", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const plan = await firstModulePlan(store, cohort.id);
    const claimed = await store.posts.plan([plan], at);
    const stored = await store.posts.forCohort(cohort.id);
    expect(claimed).toEqual(stored);
    expect(stored).toMatchObject([{ week: 1, kind: "module", status: "claimed", attempts: 0 }]);
    expect((await scheduleOf(store, cohort.id, "module")).nextFireAt).toEqual(plan.nextFireAt);

    // Handed over only to the process holding the platform's sending right.
    expect(await store.posts.lease(sender(at), 10)).toEqual([]);
    expect(await store.senders.take("terminal", sender(at))).toBe(true);
    const target = { post: stored[0], cohort, platform: "terminal", spaceExternalId: "local" };
    expect(await store.posts.lease(sender(at), 10)).toEqual([target]);
    expect(await store.posts.hold(stored[0]?.id ?? 0, sender(at))).toEqual(target);
    expect(await store.posts.hold(-1, sender(at))).toBeUndefined();
    // The same fire again (another process, a replay): nothing new is claimed.
    expect(
      await store.posts.claim({ cohortId: cohort.id, week: 1, kind: "module", dueAt: monday }, at),
    ).toBeUndefined();
    expect(await store.posts.plan([plan], at)).toEqual([]);
  });

  it("given a retry, a failure and a send, records each on that post alone", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const plan = await firstModulePlan(store, cohort.id);
    await store.posts.plan(
      [
        {
          ...plan,
          claims: [...plan.claims, { cohortId: cohort.id, week: 1, kind: "reminder", dueAt: monday }],
        },
      ],
      at,
    );
    const [module, sideReminder] = await store.posts.forCohort(cohort.id);
    const id = { module: module?.id ?? 0, sideReminder: sideReminder?.id ?? 0 };
    expect(await store.posts.nextAttemptAt()).toBeUndefined();
    await store.senders.take("terminal", sender(at));
    expect(await store.posts.lease(sender(at), 10)).toHaveLength(2);
    expect(await store.posts.markRetry(id.module, "one", 1, later, "503")).toBe(true);
    expect((await store.posts.lease(sender(at), 10)).map((t) => t.post.id)).toEqual([id.sideReminder]);
    expect(await store.posts.nextAttemptAt()).toEqual(later);
    await store.senders.take("terminal", sender(later));
    expect((await store.posts.lease(sender(later), 10)).map((t) => t.post)).toMatchObject([
      { id: id.module, attempts: 1, nextAttemptAt: later, error: "503" },
      { id: id.sideReminder, attempts: 0, nextAttemptAt: null },
    ]);
    expect((await store.posts.lease(sender(later), 1)).map((t) => t.post.id)).toEqual([id.module]);

    expect(await store.posts.markFailed(id.sideReminder, "one", 1, "gone")).toBe(true);
    expect(await store.posts.markSent(id.module, "one", later, "m-1")).toBe(true);
    expect(await store.posts.forCohort(cohort.id)).toMatchObject([
      { id: id.module, status: "sent", sentAt: later, nextAttemptAt: null, error: null },
      { id: id.sideReminder, status: "failed", attempts: 1, nextAttemptAt: null, error: "gone" },
    ]);
    expect(await store.posts.lease(sender(later), 10)).toEqual([]);
    expect(await store.posts.nextAttemptAt()).toBeUndefined();
    // Marked once, a post is marked for good.
    expect(await store.posts.markRetry(id.module, "one", 2, later, "late")).toBe(false);
  });

  it("given missed fires and the wrap-up, records the missed as skipped and completes the cohort", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const plan = await firstModulePlan(store, cohort.id);
    const wrapUp: SchedulePlan = {
      ...plan,
      nextFireAt: null,
      claims: [{ cohortId: cohort.id, week: 21, kind: "wrap-up", dueAt: monday }],
      missed: [{ cohortId: cohort.id, week: 20, kind: "module", dueAt: new Date("2026-02-23T09:00:00Z") }],
      completesCohort: true,
    };
    expect((await store.posts.plan([wrapUp], at)).map((p) => p.kind)).toEqual(["wrap-up"]);
    expect(await store.posts.forCohort(cohort.id)).toMatchObject([
      { kind: "module", status: "skipped", error: "missed while the bot was down" },
      { kind: "wrap-up", status: "claimed" },
    ]);
    expect((await store.cohorts.get(cohort.id))?.status).toBe("complete");
    expect(await store.schedules.due(new Date("2027-01-01T00:00:00Z"), 10)).toEqual([]);
  });

  it("given a schedule changed since it was planned from, writes nothing of that plan", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const plan = await firstModulePlan(store, cohort.id);
    const paused = new Date("2026-03-02T08:59:00Z");
    await store.schedules.update(plan.scheduleId, { pausedAt: paused, nextFireAt: null }, paused);
    expect(await store.posts.plan([plan], at)).toEqual([]);
    expect(await store.posts.forCohort(cohort.id)).toEqual([]);
    expect(await scheduleOf(store, cohort.id, "module")).toMatchObject({
      pausedAt: paused,
      nextFireAt: null,
    });
  });

  it("given a batch whose wrap-up completes a cohort before its reminder's plan, that plan claims nothing; listed before the wrap-up, it claims", async () => {
    for (const reminderFirst of [false, true]) {
      const { store } = await open();
      const cohort = await cohortNamed(store, "spring");
      const side = await store.schedules.save(cohort.id, reminder, created);
      const module = await scheduleOf(store, cohort.id, "module");
      const wrapUp: SchedulePlan = {
        scheduleId: module.id,
        basis: module,
        nextFireAt: null,
        claims: [{ cohortId: cohort.id, week: 21, kind: "wrap-up", dueAt: monday }],
        missed: [],
        completesCohort: true,
      };
      const reminders: SchedulePlan = {
        scheduleId: side.id,
        basis: side,
        nextFireAt: new Date("2026-03-03T08:00:00Z"),
        claims: [{ cohortId: cohort.id, week: 20, kind: "reminder", dueAt: reminder.nextFireAt ?? monday }],
        missed: [],
        completesCohort: false,
      };
      const claimed = await store.posts.plan(reminderFirst ? [reminders, wrapUp] : [wrapUp, reminders], at);
      expect(claimed.map((p) => p.kind)).toEqual(reminderFirst ? ["reminder", "wrap-up"] : ["wrap-up"]);
      // Either way the cohort is complete and none of its schedules fires again.
      expect((await store.schedules.forCohort(cohort.id)).map((s) => s.nextFireAt)).toEqual([null, null]);
    }
  });

  it("given a moderator's post-now, claims that post once and lists the cohort's posts by due time", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const manual = { cohortId: cohort.id, week: 3, kind: "manual" as const, dueAt: later };
    const posted = await store.posts.claim(manual, later);
    expect(posted).toEqual({
      ...manual,
      id: posted?.id,
      status: "claimed",
      attempts: 0,
      nextAttemptAt: null,
      sentAt: null,
      error: null,
    });
    expect(await store.posts.claim(manual, later)).toBeUndefined();
    // Claimed after the manual post, the week's module still lists first: it is due earlier.
    const [module] = await store.posts.plan([await firstModulePlan(store, cohort.id)], at);
    expect(await store.posts.forCohort(cohort.id)).toEqual([module, posted]);
    const elsewhere = await cohortNamed(store, "autumn");
    expect(await store.posts.forCohort(elsewhere.id)).toEqual([]);
  });

  it("given a cohort whose channel is gone, pausing it stops every running schedule and leaves a paused one as it was", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const untouched = await cohortNamed(store, "autumn");
    const side = await store.schedules.save(cohort.id, reminder, created);
    const earlier = new Date("2026-03-01T13:00:00Z");
    await store.schedules.update(side.id, { pausedAt: earlier, nextFireAt: null }, earlier);
    await store.posts.pauseCohort(cohort.id, at);
    expect(
      (await store.schedules.forCohort(cohort.id)).map((s) => [s.kind, s.pausedAt, s.nextFireAt]),
    ).toEqual([
      ["module", at, null],
      ["reminder", earlier, null],
    ]);
    expect(await scheduleOf(store, untouched.id, "module")).toMatchObject({
      pausedAt: null,
      nextFireAt: monday,
    });
  });

  it("given the same fire claimed through two stores at once, one post is made", async () => {
    const opened = await open();
    const other = await opened.another();
    const cohort = await cohortNamed(opened.store, "spring");
    const fire = { cohortId: cohort.id, week: 1, kind: "manual" as const, dueAt: monday };
    const claims = await Promise.all(
      [opened.store, other, opened.store, other].map((s) => s.posts.claim(fire, at)),
    );
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    expect(await opened.store.posts.forCohort(cohort.id)).toEqual(claims.filter((c) => c !== undefined));
  });

  it("given one due schedule planned through two stores at once, each fire is claimed once and the schedule moves on once", async () => {
    const opened = await open();
    const other = await opened.another();
    const cohort = await cohortNamed(opened.store, "spring");
    const now = new Date("2026-03-16T09:00:10Z");
    const plans = await Promise.all(
      [opened.store, other].map(async (s) => {
        const [due] = await s.schedules.due(now, 10);
        if (!due) throw new Error("nothing due");
        return planSchedule(due, now, catchUpMs).plan;
      }),
    );
    const [mine, theirs] = plans;
    if (!mine || !theirs) throw new Error("no plans");
    expect(mine).toEqual(theirs);
    const claimed = await Promise.all([
      opened.store.posts.plan([mine], now),
      other.posts.plan([theirs], now),
    ]);
    // Weeks 1 to 3 with the boards of weeks 1 and 2 between them, claimed by one store or the other.
    const all: Post[] = claimed.flat();
    expect(all.map((p) => `${p.kind} ${p.week}`).sort()).toEqual(
      ["leaderboard 1", "leaderboard 2", "module 1", "module 2", "module 3"].sort(),
    );
    expect(await opened.store.posts.forCohort(cohort.id)).toHaveLength(5);
    expect((await scheduleOf(opened.store, cohort.id, "module")).nextFireAt).toEqual(
      new Date("2026-03-23T09:00:00Z"),
    );
  });

  /** Changes a moderator may save meanwhile, each to one part of what the plan was read from. */
  const changes: { change: string; make: (store: Store, schedule: Schedule) => Promise<unknown> }[] = [
    { change: "the next fire", make: (s, { id }) => s.schedules.update(id, { nextFireAt: week2 }, at) },
    { change: "the week count", make: (s, { id }) => s.schedules.update(id, { anchorWeek: 2 }, at) },
    { change: "the anchor", make: (s, { id }) => s.schedules.update(id, { anchorAt: at }, at) },
    {
      change: "a pause keeping the next fire",
      make: (s, { id }) => s.schedules.update(id, { pausedAt: at }, at),
    },
    {
      change: "a new time on the same next fire",
      make: (s, schedule) => s.schedules.save(schedule.cohortId, { ...schedule, cron: "0 9 * * 1,4" }, at),
    },
    {
      change: "a new zone on the same next fire",
      make: (s, schedule) =>
        s.schedules.save(schedule.cohortId, { ...schedule, timezone: "Europe/London" }, at),
    },
  ];
  it.each(changes)(
    "given $change saved through another store after the planner read the schedule, the plan claims nothing and the change stands",
    async ({ make }) => {
      const opened = await open();
      const other = await opened.another();
      const cohort = await cohortNamed(opened.store, "spring");
      const [due] = await opened.store.schedules.due(at, 10);
      if (!due) throw new Error("nothing due");
      const { plan } = planSchedule(due, at, catchUpMs);
      await make(other, due.schedule);
      const changed = await scheduleOf(opened.store, cohort.id, "module");
      expect(await opened.store.posts.plan([plan], at)).toEqual([]);
      expect(await opened.store.posts.forCohort(cohort.id)).toEqual([]);
      expect(await scheduleOf(opened.store, cohort.id, "module")).toEqual(changed);
    },
  );
});
