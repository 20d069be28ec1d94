import { and, asc, eq, inArray, isNotNull, isNull, lte, min, ne } from "drizzle-orm";
import type { ScheduleStore } from "../core/ports.js";
import type { Db } from "./client.js";
import { toCohort, toSchedule } from "./rows.js";
import { cohorts, scheduleSkips, schedules, spaces } from "./schema.js";

export function scheduleStore(db: Db): ScheduleStore {
  const skipsOf = (ids: number[]) => {
    const bySchedule = new Map<number, number[]>();
    if (ids.length === 0) return bySchedule;
    const rows = db.select().from(scheduleSkips).where(inArray(scheduleSkips.scheduleId, ids)).all();
    for (const row of rows) {
      const list = bySchedule.get(row.scheduleId) ?? [];
      list.push(row.fireAt.getTime());
      bySchedule.set(row.scheduleId, list);
    }
    return bySchedule;
  };

  return {
    async forCohort(cohortId) {
      const rows = db
        .select()
        .from(schedules)
        .where(eq(schedules.cohortId, cohortId))
        .orderBy(schedules.kind)
        .all();
      const skips = skipsOf(rows.map((r) => r.id));
      return rows.map((row) => toSchedule(row, skips.get(row.id) ?? []));
    },
    async save(cohortId, schedule, at) {
      return db.transaction((tx) => {
        const row = tx
          .insert(schedules)
          .values({ ...schedule, cohortId, createdAt: at, updatedAt: at })
          .onConflictDoUpdate({
            target: [schedules.cohortId, schedules.kind],
            set: { ...schedule, updatedAt: at },
          })
          .returning()
          .get();
        tx.delete(scheduleSkips).where(eq(scheduleSkips.scheduleId, row.id)).run();
        return toSchedule(row, []);
      });
    },
    async update(id, changes, at) {
      db.update(schedules)
        .set({ ...changes, updatedAt: at })
        .where(eq(schedules.id, id))
        .run();
    },
    async remove(cohortId, kind) {
      const removed = db
        .delete(schedules)
        .where(and(eq(schedules.cohortId, cohortId), eq(schedules.kind, kind)))
        .returning({ id: schedules.id })
        .all();
      return removed.length > 0;
    },
    async addSkip(id, fireAt) {
      db.insert(scheduleSkips).values({ scheduleId: id, fireAt }).onConflictDoNothing().run();
    },
    async due(now, limit) {
      const rows = db
        .select({ schedule: schedules, cohort: cohorts, space: spaces })
        .from(schedules)
        .innerJoin(cohorts, eq(cohorts.id, schedules.cohortId))
        .innerJoin(spaces, eq(spaces.id, cohorts.spaceId))
        .where(
          and(
            isNull(schedules.pausedAt),
            isNotNull(schedules.nextFireAt),
            lte(schedules.nextFireAt, now),
            ne(cohorts.status, "complete"),
          ),
        )
        .orderBy(asc(schedules.nextFireAt), asc(schedules.id))
        .limit(limit)
        .all();
      const skips = skipsOf(rows.map((r) => r.schedule.id));
      return rows.map((row) => ({
        schedule: toSchedule(row.schedule, skips.get(row.schedule.id) ?? []),
        cohort: toCohort(row.cohort),
        platform: row.space.platform,
        spaceExternalId: row.space.externalId,
      }));
    },
    async nextFireAt() {
      const row = db
        .select({ at: min(schedules.nextFireAt) })
        .from(schedules)
        .where(isNull(schedules.pausedAt))
        .get();
      return row?.at ?? undefined;
    },
  };
}
