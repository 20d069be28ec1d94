import { describe, expect, it } from "vitest";
import { actor, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";

// Two schedulers on one database, as two processes on PostgreSQL: both plan, one sends each platform.

const LEASE_MS = 30_000;

/** Two processes on one database, "a" started first; both clocks read `now`. */
function twoProcesses(now: string): [TestCore, TestCore] {
  const a = testCore(now, { sending: { owner: "a", leaseMs: LEASE_MS } });
  const b = testCore(now, { database: a.database, sending: { owner: "b", leaseMs: LEASE_MS } });
  return [a, b];
}

function setClocks(processes: TestCore[], at: string | Date): void {
  for (const p of processes) p.clock.set(at);
}

async function createCohort(t: TestCore): Promise<number> {
  const reply = await handleText(t.core, actor("mod"), "/cohort create spring 2026-03-02 UTC");
  expect(reply?.title ?? reply?.text).toMatch(/created/);
  const space = await t.core.store.identities.findSpace(actor("mod"));
  const cohort = space && (await t.core.store.cohorts.findByName(space.id, "spring"));
  if (!cohort) throw new Error("no cohort");
  return cohort.id;
}

const sentKeys = (processes: TestCore[]) => processes.flatMap((p) => p.outbox.sent.map((s) => s.key));

describe("scheduling with two processes on one database", () => {
  it("given both ticking at every fire for three weeks, each post goes out once and all through the process holding the right", async () => {
    const processes = twoProcesses("2026-03-01T12:00:00Z");
    const [a, b] = processes;
    const cohortId = await createCohort(b);
    for (const at of ["2026-03-02T09:00:05Z", "2026-03-09T09:00:05Z", "2026-03-16T09:00:05Z"]) {
      setClocks(processes, at);
      // Both wake at the same fire; either may plan it.
      await Promise.all([b.settle(), a.settle()]);
      await Promise.all([a.settle(), b.settle()]);
    }
    const posts = await a.core.store.posts.forCohort(cohortId);
    expect(posts.map((p) => `${p.kind} ${p.week} ${p.status}`)).toEqual([
      "module 1 sent",
      "leaderboard 1 sent",
      "module 2 sent",
      "leaderboard 2 sent",
      "module 3 sent",
    ]);
    const keys = sentKeys(processes);
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(5);
    // One sender: the other never sent a thing.
    expect([a.outbox.sent.length, b.outbox.sent.length].sort()).toEqual([0, 5]);
  });

  it("given the sender stops renewing, the other sends once the lease has run out, and the stale one sends nothing on waking", async () => {
    const processes = twoProcesses("2026-03-01T12:00:00Z");
    const [a, b] = processes;
    await createCohort(a);
    setClocks(processes, "2026-03-02T08:59:50Z");
    await a.settle();
    // "a" holds the right; "b" plans the first fire and leaves its post to the sender.
    setClocks(processes, "2026-03-02T09:00:05Z");
    await b.settle();
    expect(sentKeys(processes)).toEqual([]);
    // "a" has been stopped since: after its lease, "b" takes over.
    setClocks(processes, "2026-03-02T09:00:15Z");
    await b.settle();
    expect(sentKeys(processes)).toEqual([]);
    setClocks(processes, "2026-03-02T09:00:25Z");
    await b.settle();
    expect(b.outbox.titles()).toEqual([expect.stringMatching(/^Week 1 of 20/)]);
    await a.settle();
    expect(a.outbox.sent).toEqual([]);
  });

  it("given the sender shut down, the other sends at its next tick without waiting for the lease", async () => {
    const processes = twoProcesses("2026-03-01T12:00:00Z");
    const [a, b] = processes;
    await createCohort(a);
    await a.settle();
    await a.scheduler.release();
    setClocks(processes, "2026-03-02T09:00:05Z");
    await b.settle();
    expect(b.outbox.titles()).toEqual([expect.stringMatching(/^Week 1 of 20/)]);
    expect(a.outbox.sent).toEqual([]);
  });
});
