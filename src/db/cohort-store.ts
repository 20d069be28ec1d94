import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { CohortStore } from "../core/ports/cohorts.js";
import { err, ok } from "../core/result.js";
import { placeOnBoards } from "./aggregates.js";
import type { Db } from "./client.js";
import { cohortRowOf, toCohort, toMember } from "./rows.js";
import { cohorts, members, schedules, trackMemberships } from "./schema.js";

export function cohortStore(db: Db): CohortStore {
  const cohortById = db
    .select()
    .from(cohorts)
    .where(eq(cohorts.id, sql.placeholder("id")))
    .prepare();
  return {
    async create(input) {
      return db.transaction((tx) => {
        const values = cohortRowOf(input);
        const taken = tx
          .select({ id: cohorts.id })
          .from(cohorts)
          .where(and(eq(cohorts.spaceId, input.spaceId), eq(cohorts.nameKey, values.nameKey)))
          .get();
        if (taken) return err("name-taken" as const);
        const row = tx.insert(cohorts).values(values).returning().get();
        tx.update(members).set({ cohortId: row.id }).where(eq(members.id, input.createdBy)).run();
        placeOnBoards(db, input.createdBy);
        tx.insert(schedules)
          .values({ ...input.moduleSchedule, cohortId: row.id, createdAt: input.at, updatedAt: input.at })
          .run();
        return ok(toCohort(row));
      });
    },
    async get(id) {
      const row = cohortById.get({ id });
      return row && toCohort(row);
    },
    async findByName(spaceId, name) {
      const row = db
        .select()
        .from(cohorts)
        .where(and(eq(cohorts.spaceId, spaceId), eq(cohorts.nameKey, name.toLowerCase())))
        .get();
      return row && toCohort(row);
    },
    async list(spaceId) {
      return db
        .select()
        .from(cohorts)
        .where(eq(cohorts.spaceId, spaceId))
        .orderBy(cohorts.createdAt, cohorts.id)
        .all()
        .map(toCohort);
    },
    async join(memberId, cohortId) {
      db.transaction((tx) => {
        tx.update(members).set({ cohortId }).where(eq(members.id, memberId)).run();
        placeOnBoards(db, memberId);
      });
    },
    async setStreakUnit(cohortId, streakUnit) {
      db.update(cohorts).set({ streakUnit }).where(eq(cohorts.id, cohortId)).run();
    },
    async summary(cohortId) {
      const total = db.select({ n: count() }).from(members).where(eq(members.cohortId, cohortId)).get();
      const tracks = db
        .select({ trackId: trackMemberships.trackId, members: count() })
        .from(trackMemberships)
        .innerJoin(members, eq(members.id, trackMemberships.memberId))
        .where(and(eq(members.cohortId, cohortId), isNull(trackMemberships.leftAt)))
        .groupBy(trackMemberships.trackId)
        .orderBy(sql`count(*) DESC`, trackMemberships.trackId)
        .all();
      return { memberCount: total?.n ?? 0, tracks };
    },
    async setChannel(cohortId, channelExternalId) {
      db.update(cohorts).set({ channelExternalId }).where(eq(cohorts.id, cohortId)).run();
    },
    async moderatorOf(cohortId) {
      const row = db
        .select({ member: members })
        .from(cohorts)
        .innerJoin(members, eq(members.id, cohorts.createdBy))
        .where(eq(cohorts.id, cohortId))
        .get();
      return row && toMember(row.member);
    },
  };
}
