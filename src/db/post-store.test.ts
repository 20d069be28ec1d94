import { describe, expect, it } from "vitest";
import { actor, tempDatabase } from "../../test/helpers.js";
import type { SchedulePlan, Store } from "../core/ports.js";
import { defaultModuleSchedule } from "../core/services/timeline.js";
import { createStore } from "./store.js";

const created = new Date("2026-03-01T12:00:00Z");
const monday = new Date("2026-03-02T09:00:00Z");
const at = new Date("2026-03-02T09:00:20Z");

async function setUp(): Promise<{ store: Store; cohortId: number; plan: SchedulePlan }> {
  const store = createStore(tempDatabase().db);
  const { space, member } = await store.identities.ensure(actor("mod"), created);
  const made = await store.cohorts.create({
    spaceId: space.id,
    name: "spring",
    startDate: "2026-03-02",
    timezone: "UTC",
    channelExternalId: "general",
    createdBy: member.id,
    at: created,
    moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC", created),
  });
  if (!made.ok) throw new Error(made.error);
  const [schedule] = await store.schedules.forCohort(made.value.id);
  if (!schedule) throw new Error("no schedule");
  const cohortId = made.value.id;
  return {
    store,
    cohortId,
    plan: {
      scheduleId: schedule.id,
      basis: schedule,
      nextFireAt: new Date("2026-03-09T09:00:00Z"),
      claims: [{ cohortId, week: 1, kind: "module", dueAt: monday }],
      missed: [],
      completesCohort: false,
    },
  };
}

describe("posts", () => {
  it("given a plan, claims its posts once, moves the schedule on, and hands each post over as stored", async () => {
    const { store, cohortId, plan } = await setUp();
    const claimed = await store.posts.plan([plan], at);
    const stored = await store.posts.forCohort(cohortId);
    expect(claimed).toEqual(stored);
    expect(stored).toMatchObject([{ week: 1, kind: "module", status: "claimed", attempts: 0 }]);
    expect((await store.schedules.forCohort(cohortId))[0]?.nextFireAt).toEqual(plan.nextFireAt);

    const target = await store.posts.target(stored[0]?.id ?? 0);
    expect(target).toEqual({
      post: stored[0],
      cohort: await store.cohorts.get(cohortId),
      platform: "terminal",
      spaceExternalId: "local",
    });
    expect(await store.posts.pending(at, 10)).toEqual([target]);
    // The same fire again (another process, a replay): nothing new is claimed.
    expect(await store.posts.claim({ cohortId, week: 1, kind: "module", dueAt: monday }, at)).toBeUndefined();
  });

  it("given a retry, a failure and a send, records each on that post alone", async () => {
    const { store, cohortId, plan } = await setUp();
    await store.posts.plan(
      [{ ...plan, claims: [...plan.claims, { cohortId, week: 1, kind: "reminder", dueAt: monday }] }],
      at,
    );
    const [module, reminder] = await store.posts.forCohort(cohortId);
    const later = new Date("2026-03-02T09:01:00Z");
    await store.posts.markRetry(module?.id ?? 0, 1, later, "503");
    expect((await store.posts.pending(at, 10)).map((t) => t.post.id)).toEqual([reminder?.id]);
    expect(await store.posts.nextAttemptAt()).toEqual(later);
    expect((await store.posts.pending(later, 10)).map((t) => t.post)).toMatchObject([
      { id: module?.id, attempts: 1, nextAttemptAt: later, error: "503" },
      { id: reminder?.id, attempts: 0, nextAttemptAt: null },
    ]);

    await store.posts.markFailed(reminder?.id ?? 0, 1, "gone");
    await store.posts.markSent(module?.id ?? 0, later, "m-1");
    expect(await store.posts.forCohort(cohortId)).toMatchObject([
      { id: module?.id, status: "sent", sentAt: later, nextAttemptAt: null, error: null },
      { id: reminder?.id, status: "failed", attempts: 1, nextAttemptAt: null, error: "gone" },
    ]);
    expect(await store.posts.pending(later, 10)).toEqual([]);
  });

  it("given missed fires and the wrap-up, records the missed as skipped and completes the cohort", async () => {
    const { store, cohortId, plan } = await setUp();
    const wrapUp: SchedulePlan = {
      ...plan,
      nextFireAt: null,
      claims: [{ cohortId, week: 21, kind: "wrap-up", dueAt: monday }],
      missed: [{ cohortId, week: 20, kind: "module", dueAt: new Date("2026-02-23T09:00:00Z") }],
      completesCohort: true,
    };
    expect((await store.posts.plan([wrapUp], at)).map((p) => p.kind)).toEqual(["wrap-up"]);
    expect(await store.posts.forCohort(cohortId)).toMatchObject([
      { kind: "module", status: "skipped", error: "missed while the bot was down" },
      { kind: "wrap-up", status: "claimed" },
    ]);
    expect((await store.cohorts.get(cohortId))?.status).toBe("complete");
    expect(await store.schedules.due(new Date("2027-01-01T00:00:00Z"), 10)).toEqual([]);
  });

  it("given a schedule changed since it was planned from, writes nothing of that plan", async () => {
    const { store, cohortId, plan } = await setUp();
    const paused = new Date("2026-03-02T08:59:00Z");
    await store.schedules.update(plan.scheduleId, { pausedAt: paused, nextFireAt: null }, paused);
    expect(await store.posts.plan([plan], at)).toEqual([]);
    expect(await store.posts.forCohort(cohortId)).toEqual([]);
    expect((await store.schedules.forCohort(cohortId))[0]).toMatchObject({
      pausedAt: paused,
      nextFireAt: null,
    });
  });
});
