import { and, asc, count, desc, eq, isNull, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type { Pool, PoolClient } from "pg";
import type { CohortStore } from "../../core/ports/cohorts.js";
import type { IdentityStore } from "../../core/ports/identity.js";
import type { TrackStore } from "../../core/ports/tracks.js";
import { err, ok } from "../../core/result.js";
import { cappedName } from "../../core/text.js";
import { toCohort, toMember, toSpace } from "../rows.js";
import { placeOnBoards } from "./aggregates.js";
import type { PgDb } from "./client.js";
import * as schema from "./schema.js";
import { transaction } from "./tx.js";

const { cohorts, members, schedules, spaces, trackMemberships } = schema;

/** Drizzle over one transaction's connection. */
const on = (conn: PoolClient) => drizzle(conn, { schema });

export function identityStore(db: PgDb): IdentityStore {
  const findSpace = async (platform: string, externalId: string) =>
    (
      await db
        .select()
        .from(spaces)
        .where(and(eq(spaces.platform, platform as "terminal"), eq(spaces.externalId, externalId)))
    )[0];

  return {
    async findSpace(actor) {
      const space = await findSpace(actor.platform, actor.spaceExternalId);
      return space && toSpace(space);
    },
    async find(actor) {
      const [found] = await db
        .select({ space: spaces, member: members })
        .from(spaces)
        .innerJoin(members, eq(members.spaceId, spaces.id))
        .where(
          and(
            eq(spaces.platform, actor.platform),
            eq(spaces.externalId, actor.spaceExternalId),
            eq(members.externalId, actor.userExternalId),
          ),
        );
      return found && { space: toSpace(found.space), member: toMember(found.member) };
    },
    async ensure(actor, at) {
      const displayName = cappedName(actor.displayName);
      // Two single-statement upserts: a first message seen by two processes at once makes one of each.
      const [space] = await db
        .insert(spaces)
        .values({
          platform: actor.platform,
          externalId: actor.spaceExternalId,
          name: actor.spaceName,
          createdAt: at,
        })
        .onConflictDoUpdate({ target: [spaces.platform, spaces.externalId], set: { name: actor.spaceName } })
        .returning();
      if (!space) throw new Error("the space was not stored");
      const [member] = await db
        .insert(members)
        .values({ spaceId: space.id, externalId: actor.userExternalId, displayName, createdAt: at })
        .onConflictDoUpdate({ target: [members.spaceId, members.externalId], set: { displayName } })
        .returning();
      if (!member) throw new Error("the member was not stored");
      return { space: toSpace(space), member: toMember(member) };
    },
    async lookup(spaceId, query) {
      const found = await db
        .select()
        .from(members)
        .where(
          and(
            eq(members.spaceId, spaceId),
            or(eq(members.externalId, query), sql`lower(${members.displayName}) = ${query.toLowerCase()}`),
          ),
        )
        .orderBy(members.id)
        .limit(5);
      return found.map(toMember);
    },
    async setTimezone(memberId, timezone) {
      await db.update(members).set({ timezone }).where(eq(members.id, memberId));
    },
  };
}

export function cohortStore(db: PgDb, pool: Pool): CohortStore {
  return {
    async create(input) {
      return transaction(pool, async (conn) => {
        const tx = on(conn);
        // The creator's row first: their other creations queue here instead of deadlocking on it later.
        await tx
          .select({ id: members.id })
          .from(members)
          .where(eq(members.id, input.createdBy))
          .for("update");
        // The unique (space, name) index decides a race between two moderators: one insert, one nothing.
        const [row] = await tx
          .insert(cohorts)
          .values({
            spaceId: input.spaceId,
            name: input.name,
            nameKey: input.name.toLowerCase(),
            startDate: input.startDate,
            timezone: input.timezone,
            channelExternalId: input.channelExternalId,
            createdBy: input.createdBy,
            createdAt: input.at,
          })
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
        await on(conn).update(members).set({ cohortId }).where(eq(members.id, memberId));
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

export function trackStore(db: PgDb, pool: Pool): TrackStore {
  const current = isNull(trackMemberships.leftAt);
  return {
    async current(memberId) {
      const [row] = await db
        .select()
        .from(trackMemberships)
        .where(and(eq(trackMemberships.memberId, memberId), current));
      return row && { memberId: row.memberId, trackId: row.trackId, joinedAt: row.joinedAt };
    },
    async join(memberId, trackId, at) {
      return transaction(pool, async (conn) => {
        const tx = on(conn);
        // The member's row lock queues two joins of one learner; the partial unique index backs it.
        await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for("update");
        const [previous] = await tx
          .update(trackMemberships)
          .set({ leftAt: at })
          .where(and(eq(trackMemberships.memberId, memberId), current))
          .returning({ trackId: trackMemberships.trackId });
        await tx.insert(trackMemberships).values({ memberId, trackId, joinedAt: at });
        await placeOnBoards(conn, memberId);
        return { previous: previous?.trackId ?? null };
      });
    },
    async leave(memberId, at) {
      return transaction(pool, async (conn) => {
        const tx = on(conn);
        await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for("update");
        const [row] = await tx
          .update(trackMemberships)
          .set({ leftAt: at })
          .where(and(eq(trackMemberships.memberId, memberId), current))
          .returning();
        if (row) await placeOnBoards(conn, memberId);
        return row && { memberId: row.memberId, trackId: row.trackId, joinedAt: row.joinedAt };
      });
    },
  };
}
