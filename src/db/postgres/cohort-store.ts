import { and, asc, count, desc, eq, isNull } from "drizzle-orm";
import type { Pool } from "pg";
import type { CohortStore } from "../../core/ports/cohorts.js";
import { err, ok } from "../../core/result.js";
import { cohortRowOf, toCohort, toMember } from "../rows.js";
import { placeOnBoards } from "./aggregates.js";
import { drizzleOn, type PgDb } from "./client.js";
import { cohorts, members, schedules, trackMemberships } from "./schema.js";
import { transaction } from "./tx.js";

export function cohortStore(db: PgDb, pool: Pool): CohortStore {
  return {
    async create(input) {
      return transaction(pool, async (conn) => {
        const tx = drizzleOn(conn);
        // The creator's row first: their other creations queue here instead of deadlocking on it later.
        await tx
          .select({ id: members.id })
          .from(members)
          .where(eq(members.id, input.createdBy))
          .for("update");
        // The unique (space, name) index decides a race between two moderators: one insert, one nothing.
        const [row] = await tx
          .insert(cohorts)
          .values(cohortRowOf(input))
          .onConflictDoNothing({ target: [cohorts.spaceId, cohorts.nameKey] })
          .returning();
        if (!row) return err("name-taken" as const);
        await tx.update(members).set({ cohortId: row.id }).where(eq(members.id, input.createdBy));
        await placeOnBoards(conn, input.createdBy);
        await tx
          .insert(schedules)
          .values({ ...input.moduleSchedule, cohortId: row.id, createdAt: input.at, updatedAt: input.at });
        return ok(toCohort(row));
      });
    },
    async get(id) {
      const [row] = await db.select().from(cohorts).where(eq(cohorts.id, id));
      return row && toCohort(row);
    },
    async findByName(spaceId, name) {
      const [row] = await db
        .select()
        .from(cohorts)
        .where(and(eq(cohorts.spaceId, spaceId), eq(cohorts.nameKey, name.toLowerCase())));
      return row && toCohort(row);
    },
    async list(spaceId) {
      const found = await db
        .select()
        .from(cohorts)
        .where(eq(cohorts.spaceId, spaceId))
        .orderBy(cohorts.createdAt, cohorts.id);
      return found.map(toCohort);
    },
    async join(memberId, cohortId) {
      await transaction(pool, async (conn) => {
        await drizzleOn(conn).update(members).set({ cohortId }).where(eq(members.id, memberId));
        await placeOnBoards(conn, memberId);
      });
    },
    async setStreakUnit(cohortId, streakUnit) {
      await db.update(cohorts).set({ streakUnit }).where(eq(cohorts.id, cohortId));
    },
    async summary(cohortId) {
      const [total] = await db.select({ n: count() }).from(members).where(eq(members.cohortId, cohortId));
      const tracks = await db
        .select({ trackId: trackMemberships.trackId, members: count() })
        .from(trackMemberships)
        .innerJoin(members, eq(members.id, trackMemberships.memberId))
        .where(and(eq(members.cohortId, cohortId), isNull(trackMemberships.leftAt)))
        .groupBy(trackMemberships.trackId)
        .orderBy(desc(count()), asc(trackMemberships.trackId));
      return {
        memberCount: Number(total?.n ?? 0),
        tracks: tracks.map((t) => ({ ...t, members: Number(t.members) })),
      };
    },
    async setChannel(cohortId, channelExternalId) {
      await db.update(cohorts).set({ channelExternalId }).where(eq(cohorts.id, cohortId));
    },
    async moderatorOf(cohortId) {
      const [row] = await db
        .select({ member: members })
        .from(cohorts)
        .innerJoin(members, eq(members.id, cohorts.createdBy))
        .where(eq(cohorts.id, cohortId));
      return row && toMember(row.member);
    },
  };
}
