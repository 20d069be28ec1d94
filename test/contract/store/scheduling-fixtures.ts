import type { Cohort } from "../../../src/core/ports/cohorts.js";
import type { SchedulePlan } from "../../../src/core/ports/posts.js";
import type { NewSchedule, Schedule, ScheduleKind } from "../../../src/core/ports/schedules.js";
import type { Store } from "../../../src/core/ports/store.js";
import { defaultModuleSchedule } from "../../../src/core/schedules/timeline.js";
import { actor } from "../../helpers.js";

// Cohorts, schedules and plans for the schedule, post and delivery contracts, made through the ports.

export const created = new Date("2026-03-01T12:00:00Z");
/** The first module fire of a cohort starting on Monday 2026-03-02 in UTC. */
export const monday = new Date("2026-03-02T09:00:00Z");
export const week2 = new Date("2026-03-09T09:00:00Z");

/** A cohort made by the moderator "mod", starting Monday 2026-03-02 in UTC, with its default module schedule. */
export async function cohortNamed(store: Store, name: string): Promise<Cohort> {
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
  return made.value;
}

export const reminder: NewSchedule = {
  kind: "reminder",
  cron: "0 8 * * *",
  spec: "daily 08:00",
  timezone: "UTC",
  anchorAt: created,
  anchorWeek: 0,
  pausedAt: null,
  nextFireAt: new Date("2026-03-02T08:00:00Z"),
};

export async function scheduleOf(store: Store, cohortId: number, kind: ScheduleKind): Promise<Schedule> {
  const found = (await store.schedules.forCohort(cohortId)).find((s) => s.kind === kind);
  if (!found) throw new Error(`no ${kind} schedule`);
  return found;
}

/** The plan of a module schedule's first fire as the planner makes it: week 1's module, next fire a week on. */
export async function firstModulePlan(store: Store, cohortId: number): Promise<SchedulePlan> {
  const schedule = await scheduleOf(store, cohortId, "module");
  return {
    scheduleId: schedule.id,
    basis: schedule,
    nextFireAt: week2,
    claims: [{ cohortId, week: 1, kind: "module", dueAt: monday }],
    missed: [],
    completesCohort: false,
  };
}
