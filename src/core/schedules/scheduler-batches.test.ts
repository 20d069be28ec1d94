import { describe, expect, it } from "vitest";
import { actor, RecordingOutbox, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { SchedulePlan } from "../ports/posts.js";
import type { Store } from "../ports/store.js";
import { OutboundQueue } from "./outbound.js";
import { Scheduler, type SchedulerOptions } from "./scheduler.js";
import { defaultModuleSchedule } from "./timeline.js";

const created = new Date("2026-03-01T12:00:00Z");
/** Twenty seconds after every cohort's first module fire (Monday 2026-03-02 09:00 UTC). */
const due = "2026-03-02T09:00:20Z";

/** `count` cohorts starting on Monday 2026-03-02 in UTC, their first module post due at 09:00. */
async function cohorts(t: TestCore, count: number): Promise<number[]> {
  const { store } = t.core;
  const { space, member } = await store.identities.ensure(actor("mod"), created);
  const ids: number[] = [];
  t.database.sqlite.exec("BEGIN");
  for (let i = 0; i < count; i++) {
    const made = await store.cohorts.create({
      spaceId: space.id,
      name: `c${i}`,
      startDate: "2026-03-02",
      timezone: "UTC",
      channelExternalId: `channel-${i}`,
      createdBy: member.id,
      at: created,
      moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC", created),
    });
    if (!made.ok) throw new Error(made.error);
    ids.push(made.value.id);
  }
  t.database.sqlite.exec("COMMIT");
  return ids;
}

/** A scheduler over the test core's database, with its own queue and outbox, and options replaced. */
function scheduler(t: TestCore, options: Partial<SchedulerOptions>) {
  const outbox = new RecordingOutbox();
  const queue = new OutboundQueue({
    ratePerSecond: {},
    defaultRatePerSecond: 100_000,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onError: (error) => {
      throw error;
    },
  });
  const base = (t.scheduler as unknown as { options: SchedulerOptions }).options;
  const made = new Scheduler({ ...base, queue, outboxes: { terminal: outbox }, ...options });
  return { scheduler: made, queue, outbox };
}

/** The store, watched: `afterDue` runs between reading due schedules and claiming them, `onPlan` sees each claim. */
function watched(
  store: Store,
  hooks: { afterDue?: (ids: number[]) => Promise<void>; onPlan?: (plans: SchedulePlan[]) => void },
): Store {
  return {
    ...store,
    schedules: {
      ...store.schedules,
      async due(now, limit) {
        const read = await store.schedules.due(now, limit);
        await hooks.afterDue?.(read.map((d) => d.schedule.id));
        return read;
      },
    },
    posts: {
      ...store.posts,
      plan(plans, at) {
        hooks.onPlan?.(plans);
        return store.posts.plan(plans, at);
      },
    },
  };
}

function statuses(t: TestCore, cohortId: number): string[] {
  return (
    t.database.sqlite
      .prepare("SELECT kind || ':' || week || ':' || status AS s FROM posts WHERE cohort_id = ? ORDER BY id")
      .all(cohortId) as { s: string }[]
  ).map((row) => row.s);
}

describe("planning thousands of due cohorts in batches", () => {
  it("given 2,500 due cohorts, plans and claims them in ten transactions of 250 and yields to the event loop between them", async () => {
    const t = testCore(created.toISOString());
    const ids = await cohorts(t, 2_500);
    t.clock.set(due);
    const events: string[] = [];
    const planned: number[] = [];
    const answered: string[] = [];
    const {
      scheduler: s,
      queue,
      outbox,
    } = scheduler(t, {
      batchSize: 250,
      store: watched(t.core.store, {
        onPlan: (plans) => {
          events.push("claim");
          planned.push(plans.length);
        },
      }),
      yieldToEvents: async () => {
        events.push("yield");
        // What the event loop does meanwhile: a learner's command is answered mid-planning.
        const reply = await handleText(t.core, actor("ana"), "/roadmap");
        answered.push(reply?.title ?? "");
      },
    });

    const report = await s.tick();
    await queue.drain();

    expect(planned).toEqual(Array.from({ length: 10 }, () => 250));
    // A yield between batches; the tenth batch was full, so one more yield before a read that finds nothing.
    expect(events).toEqual(["claim", ...Array.from({ length: 9 }, () => ["yield", "claim"]).flat(), "yield"]);
    expect(answered).toHaveLength(10);
    expect(answered.every((title) => title.length > 0)).toBe(true);
    expect(report).toEqual({ claimed: 2_500, missed: 0, retried: 0 });
    // Each cohort's week-1 module claimed and sent once.
    expect(outbox.sent).toHaveLength(2_500);
    expect(new Set(outbox.sent.map((sent) => sent.key)).size).toBe(2_500);
    expect(new Set(outbox.sent.map((sent) => sent.target.channelExternalId)).size).toBe(2_500);
    for (const id of [ids[0], ids[1_249], ids[2_499]])
      expect(statuses(t, id ?? 0)).toEqual(["module:1:sent"]);

    // Every schedule moved on to the next Monday: a second tick finds nothing to claim.
    expect(await s.tick()).toEqual({ claimed: 0, missed: 0, retried: 0 });
    expect(outbox.sent).toHaveLength(2_500);
  });

  it("given fewer due cohorts than a batch, plans them in one transaction without yielding", async () => {
    const t = testCore(created.toISOString());
    await cohorts(t, 40);
    t.clock.set(due);
    let claims = 0;
    let yields = 0;
    const { scheduler: s, queue } = scheduler(t, {
      batchSize: 250,
      store: watched(t.core.store, { onPlan: () => claims++ }),
      yieldToEvents: async () => {
        yields++;
      },
    });
    expect((await s.tick()).claimed).toBe(40);
    await queue.drain();
    expect({ claims, yields }).toEqual({ claims: 1, yields: 0 });
  });

  it("given the process dying after the second of three batches is claimed, a restart sends every post once", async () => {
    const t = testCore(created.toISOString());
    const ids = await cohorts(t, 300);
    t.clock.set(due);
    let batches = 0;
    const first = scheduler(t, {
      batchSize: 100,
      afterClaim: () => {
        if (++batches === 2) throw new Error("process died");
      },
    });
    await expect(first.scheduler.tick()).rejects.toThrow("process died");
    // The first batch went out before the crash; the process is gone, its queue with it.
    await first.queue.drain();
    expect(first.outbox.sent).toHaveLength(100);

    const restarted = scheduler(t, { batchSize: 100 });
    await restarted.scheduler.tick();
    await restarted.queue.drain();
    // The second batch was claimed and is sent from the claims; the third was still due and is planned now.
    expect(restarted.outbox.sent).toHaveLength(200);
    const keys = [...first.outbox.sent, ...restarted.outbox.sent].map((sent) => sent.key);
    expect(new Set(keys).size).toBe(300);
    for (const id of ids) expect(statuses(t, id)).toEqual(["module:1:sent"]);
  });
});

describe("a moderator's change between reading a batch and claiming it", () => {
  it("given a cohort paused after its schedule was read, the pause stands and nothing is claimed for it", async () => {
    const t = testCore(created.toISOString());
    const [paused = 0, other = 0] = await cohorts(t, 2);
    t.clock.set(due);
    const [schedule] = await t.core.store.schedules.forCohort(paused);
    const pausedAt = new Date(due);
    let changed = false;
    const { scheduler: s, queue } = scheduler(t, {
      store: watched(t.core.store, {
        afterDue: async () => {
          if (changed || !schedule) return;
          changed = true;
          await t.core.store.schedules.update(schedule.id, { pausedAt, nextFireAt: null }, pausedAt);
        },
      }),
    });

    expect((await s.tick()).claimed).toBe(1);
    await queue.drain();
    expect(statuses(t, paused)).toEqual([]);
    expect(statuses(t, other)).toEqual(["module:1:sent"]);
    const [after] = await t.core.store.schedules.forCohort(paused);
    expect(after).toMatchObject({ pausedAt, nextFireAt: null });
  });

  it("given a new timing saved after the schedule was read, the new timing stands", async () => {
    const t = testCore(created.toISOString());
    const [moved = 0] = await cohorts(t, 1);
    t.clock.set(due);
    const now = new Date(due);
    const wednesday = new Date("2026-03-04T18:00:00Z");
    const { scheduler: s, queue } = scheduler(t, {
      store: watched(t.core.store, {
        afterDue: async (ids) => {
          if (ids.length === 0) return;
          await t.core.store.schedules.save(
            moved,
            {
              kind: "module",
              cron: "0 18 * * 3",
              spec: "wed 18:00",
              timezone: "UTC",
              anchorAt: now,
              anchorWeek: 0,
              pausedAt: null,
              nextFireAt: wednesday,
            },
            now,
          );
        },
      }),
    });

    expect((await s.tick()).claimed).toBe(0);
    await queue.drain();
    expect(statuses(t, moved)).toEqual([]);
    const [after] = await t.core.store.schedules.forCohort(moved);
    expect(after).toMatchObject({ cron: "0 18 * * 3", nextFireAt: wednesday });
  });
});
