import { describe, expect, it } from "vitest";
import { actor, tempDatabase } from "../../test/helpers.js";
import type { NewSchedule, Store } from "../core/ports.js";
import { defaultModuleSchedule } from "../core/services/timeline.js";
import { createStore } from "./store.js";

const created = new Date("2026-03-01T12:00:00Z");
const monday = new Date("2026-03-02T09:00:00Z");

async function cohort(store: Store, name: string): Promise<number> {
  const { space, member } = await store.identities.ensure(actor("mod"), created);
  const made = await store.cohorts.create({
    spaceId: space.id,
    name,
    startDate: "2026-03-02",
    timezone: "UTC",
    channelExternalId: `${name}-channel`,
    createdBy: member.id,
    at: created,
    moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC", created),
  });
  if (!made.ok) throw new Error(made.error);
  return made.value.id;
}

const reminder: NewSchedule = {
  kind: "reminder",
  cron: "0 8 * * *",
  spec: "daily 08:00",
  timezone: "UTC",
  anchorAt: created,
  anchorWeek: 0,
  pausedAt: null,
  nextFireAt: new Date("2026-03-02T08:00:00Z"),
};

describe("due schedules", () => {
  it("given a reminder and a module schedule due, hands each over with its cohort, its space and the cohort's module schedule with its skips", async () => {
    const store = createStore(tempDatabase().db);
    const id = await cohort(store, "spring");
    const saved = await store.schedules.save(id, reminder, created);
    const [module] = (await store.schedules.forCohort(id)).filter((s) => s.kind === "module");
    if (!module) throw new Error("no module schedule");
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
      [await store.cohorts.get(id), "terminal", "local"],
      [await store.cohorts.get(id), "terminal", "local"],
    ]);
  });

  it("given a reminder of a cohort saved before schedules existed, hands it over without a module schedule", async () => {
    const store = createStore(tempDatabase().db);
    const id = await cohort(store, "old");
    await store.schedules.remove(id, "module");
    await store.schedules.save(id, reminder, created);

    const [due, ...rest] = await store.schedules.due(monday, 10);
    expect(rest).toEqual([]);
    expect(due?.schedule.kind).toBe("reminder");
    expect(due?.moduleSchedule).toBeNull();
  });

  it("given more due than the limit, or a paused schedule, or a finished cohort, hands over only what is due and running, up to the limit", async () => {
    const { db, sqlite } = tempDatabase();
    const store = createStore(db);
    const ids = [
      await cohort(store, "a"),
      await cohort(store, "b"),
      await cohort(store, "c"),
      await cohort(store, "d"),
    ];
    const [paused] = await store.schedules.forCohort(ids[0] ?? 0);
    if (paused) await store.schedules.update(paused.id, { pausedAt: created, nextFireAt: null }, created);
    sqlite.prepare("UPDATE cohorts SET status = 'complete' WHERE id = ?").run(ids[1]);

    expect((await store.schedules.due(monday, 10)).map((d) => d.cohort.id)).toEqual([ids[2], ids[3]]);
    expect((await store.schedules.due(monday, 1)).map((d) => d.cohort.id)).toEqual([ids[2]]);
    expect(await store.schedules.due(new Date(monday.getTime() - 1), 10)).toEqual([]);
  });
});
