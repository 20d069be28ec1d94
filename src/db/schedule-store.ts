import type Database from "better-sqlite3";
import { and, eq, isNull, min, sql } from "drizzle-orm";
import type { Platform } from "../core/ports/identity.js";
import type { Schedule, ScheduleKind, ScheduleStore } from "../core/ports/schedules.js";
import type { Db } from "./client.js";
import { COHORT_COLUMNS, type CohortTuple, cohortAt, groupSkips, preparedOnce, toSchedule } from "./rows.js";
import { scheduleSkips, schedules } from "./schema.js";

export function scheduleStore(db: Db): ScheduleStore {
  const statements = preparedOnce(() => prepareDue(db.$client));

  // Every answer reads its cohort's timeline: prepared once, not built and compiled per call.
  const cohortSchedules = db
    .select()
    .from(schedules)
    .where(eq(schedules.cohortId, sql.placeholder("cohortId")))
    .orderBy(schedules.kind)
    .prepare();
  const cohortSkips = db
    .select({ scheduleId: scheduleSkips.scheduleId, fireAt: scheduleSkips.fireAt })
    .from(scheduleSkips)
    .innerJoin(schedules, eq(schedules.id, scheduleSkips.scheduleId))
    .where(eq(schedules.cohortId, sql.placeholder("cohortId")))
    .orderBy(scheduleSkips.fireAt)
    .prepare();

  return {
    async forCohort(cohortId) {
      const rows = cohortSchedules.all({ cohortId });
      const skips = groupSkips(
        cohortSkips.all({ cohortId }).map((skip) => [skip.scheduleId, skip.fireAt.getTime()]),
      );
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
      const q = statements();
      const rows = q.due.all(now.getTime(), limit);
      // A reminder or daily question needs its cohort's module schedule to know the week.
      const moduleIds: number[] = [];
      for (const row of rows) {
        const moduleId = row[MODULE_ID];
        if (moduleId !== null && moduleId !== row[0]) moduleIds.push(moduleId);
      }
      const moduleRows = moduleIds.length > 0 ? q.byIds.all(JSON.stringify(moduleIds)) : [];
      const skipIds = rows.map((row) => row[0]).concat(moduleRows.map((row) => row[0]));
      const skips = groupSkips(skipIds.length > 0 ? q.skips.all(JSON.stringify(skipIds)) : []);
      const modules = new Map<number, Schedule>();
      for (const row of moduleRows) modules.set(row[0], scheduleOf(row, skips.get(row[0]) ?? []));
      return rows.map((row) => {
        const schedule = scheduleOf(row, skips.get(row[0]) ?? []);
        const moduleId = row[MODULE_ID];
        return {
          schedule,
          cohort: cohortAt(row, SCHEDULE_WIDTH),
          platform: row[PLATFORM],
          spaceExternalId: row[SPACE_EXTERNAL_ID],
          moduleSchedule:
            moduleId === null ? null : moduleId === row[0] ? schedule : (modules.get(moduleId) ?? null),
        };
      });
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

// The planner reads thousands of due schedules a minute at peak: plain statements, prepared once
// per store, with rows as arrays (better-sqlite3 builds an object per row much more slowly),
// because Drizzle's builder costs more per call than running the statement.

/** A schedule's columns under the alias `s`, in the order `scheduleOf` reads them. */
const SCHEDULE_COLUMNS = `s.id, s.cohort_id, s.kind, s.cron, s.spec, s.timezone,
  s.anchor_at, s.anchor_week, s.paused_at, s.next_fire_at`;
const SCHEDULE_WIDTH = 10;
type ScheduleTuple = [
  id: number,
  cohortId: number,
  kind: ScheduleKind,
  cron: string,
  spec: string,
  timezone: string,
  anchorAt: number,
  anchorWeek: number,
  pausedAt: number | null,
  nextFireAt: number | null,
];

/** The same Schedule as rows.ts's toSchedule makes from a Drizzle row. */
const scheduleOf = (row: ScheduleTuple | DueTuple, skips: number[]): Schedule => ({
  id: row[0],
  cohortId: row[1],
  kind: row[2],
  cron: row[3],
  spec: row[4],
  timezone: row[5],
  anchorAt: new Date(row[6]),
  anchorWeek: row[7],
  pausedAt: row[8] === null ? null : new Date(row[8]),
  nextFireAt: row[9] === null ? null : new Date(row[9]),
  skips,
});

/** A due schedule, its cohort, the id of the cohort's module schedule, and where the cohort lives. */
type DueTuple = [
  ...ScheduleTuple,
  ...CohortTuple,
  moduleId: number | null,
  platform: Platform,
  spaceExternalId: string,
];
// Positions after the schedule's and the cohort's columns.
const MODULE_ID = 19;
const PLATFORM = 20;
const SPACE_EXTERNAL_ID = 21;

function prepareDue(sqlite: Database.Database) {
  return {
    /** Unpaused schedules of unfinished cohorts due by then, oldest first. */
    due: sqlite
      .prepare<[number, number], DueTuple>(
        `SELECT ${SCHEDULE_COLUMNS}, ${COHORT_COLUMNS},
           (SELECT m.id FROM schedules m WHERE m.cohort_id = s.cohort_id AND m.kind = 'module'),
           sp.platform, sp.external_id
         FROM schedules s
         JOIN cohorts c ON c.id = s.cohort_id
         JOIN spaces sp ON sp.id = c.space_id
         WHERE s.paused_at IS NULL AND s.next_fire_at IS NOT NULL AND s.next_fire_at <= ?
           AND c.status <> 'complete'
         ORDER BY s.next_fire_at, s.id
         LIMIT ?`,
      )
      .raw(true),
    /** Schedules by id, given as a JSON array. */
    byIds: sqlite
      .prepare<[string], ScheduleTuple>(
        `SELECT ${SCHEDULE_COLUMNS} FROM schedules s WHERE s.id IN (SELECT value FROM json_each(?))`,
      )
      .raw(true),
    /** The skipped fires of a batch of schedules, given as a JSON array of ids. */
    skips: sqlite
      .prepare<[string], [scheduleId: number, fireAt: number]>(
        `SELECT schedule_id, fire_at FROM schedule_skips
         WHERE schedule_id IN (SELECT value FROM json_each(?))
         ORDER BY schedule_id, fire_at`,
      )
      .raw(true),
  };
}
