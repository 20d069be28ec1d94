import { and, count, eq, isNull, or, sql } from "drizzle-orm";
import type { CohortStore } from "../core/ports/cohorts.js";
import type { Actor, Identity, IdentityStore } from "../core/ports/identity.js";
import type { Store } from "../core/ports/store.js";
import type { TrackStore } from "../core/ports/tracks.js";
import { err, ok } from "../core/result.js";
import { cappedName } from "../core/text.js";
import { placeOnBoards } from "./aggregates.js";
import { answerStore } from "./answer-store.js";
import type { Db } from "./client.js";
import { deliveryStore } from "./delivery-store.js";
import { postStore } from "./post-store.js";
import { progressStore } from "./progress-store.js";
import { requestStore } from "./request-store.js";
import { reviewStore } from "./review-store.js";
import { toCohort, toMember, toSpace } from "./rows.js";
import { scheduleStore } from "./schedule-store.js";
import { cohorts, members, schedules, spaces, trackMemberships } from "./schema.js";
import { senderStore } from "./sender-store.js";

// better-sqlite3 is synchronous; the async signatures keep the store swappable for PostgreSQL.
function identityStore(db: Db): IdentityStore {
  // Every command looks its caller up: prepared once, not built and compiled per call.
  const spaceQuery = db
    .select()
    .from(spaces)
    .where(
      and(
        eq(spaces.platform, sql.placeholder("platform")),
        eq(spaces.externalId, sql.placeholder("externalId")),
      ),
    )
    .prepare();
  const memberQuery = db
    .select()
    .from(members)
    .where(
      and(
        eq(members.spaceId, sql.placeholder("spaceId")),
        eq(members.externalId, sql.placeholder("externalId")),
      ),
    )
    .prepare();
  const findSpace = (actor: Actor) =>
    spaceQuery.get({ platform: actor.platform, externalId: actor.spaceExternalId });
  const findMember = (spaceId: number, externalId: string) => memberQuery.get({ spaceId, externalId });

  return {
    async findSpace(actor) {
      const space = findSpace(actor);
      return space && toSpace(space);
    },
    async find(actor): Promise<Identity | undefined> {
      const space = findSpace(actor);
      const member = space && findMember(space.id, actor.userExternalId);
      return space && member ? { space: toSpace(space), member: toMember(member) } : undefined;
    },
    async ensure(actor, at): Promise<Identity> {
      const displayName = cappedName(actor.displayName);
      return db.transaction((tx) => {
        const space = tx
          .insert(spaces)
          .values({
            platform: actor.platform,
            externalId: actor.spaceExternalId,
            name: actor.spaceName,
            createdAt: at,
          })
          .onConflictDoUpdate({
            target: [spaces.platform, spaces.externalId],
            set: { name: actor.spaceName },
          })
          .returning()
          .get();
        const member = tx
          .insert(members)
          .values({
            spaceId: space.id,
            externalId: actor.userExternalId,
            displayName,
            createdAt: at,
          })
          .onConflictDoUpdate({
            target: [members.spaceId, members.externalId],
            set: { displayName },
          })
          .returning()
          .get();
        return { space: toSpace(space), member: toMember(member) };
      });
    },
    async lookup(spaceId, query) {
      return db
        .select()
        .from(members)
        .where(
          and(
            eq(members.spaceId, spaceId),
            or(eq(members.externalId, query), sql`lower(${members.displayName}) = ${query.toLowerCase()}`),
          ),
        )
        .orderBy(members.id)
        .limit(5)
        .all()
        .map(toMember);
    },
    async setTimezone(memberId, timezone) {
      db.update(members).set({ timezone }).where(eq(members.id, memberId)).run();
    },
  };
}

function cohortStore(db: Db): CohortStore {
  const cohortById = db
    .select()
    .from(cohorts)
    .where(eq(cohorts.id, sql.placeholder("id")))
    .prepare();
  return {
    async create(input) {
      return db.transaction((tx) => {
        const nameKey = input.name.toLowerCase();
        const taken = tx
          .select({ id: cohorts.id })
          .from(cohorts)
          .where(and(eq(cohorts.spaceId, input.spaceId), eq(cohorts.nameKey, nameKey)))
          .get();
        if (taken) return err("name-taken" as const);
        const row = tx
          .insert(cohorts)
          .values({
            spaceId: input.spaceId,
            name: input.name,
            nameKey,
            startDate: input.startDate,
            timezone: input.timezone,
            channelExternalId: input.channelExternalId,
            createdBy: input.createdBy,
            createdAt: input.at,
          })
          .returning()
          .get();
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

function trackStore(db: Db): TrackStore {
  const currentRow = (memberId: number) =>
    db
      .select()
      .from(trackMemberships)
      .where(and(eq(trackMemberships.memberId, memberId), isNull(trackMemberships.leftAt)))
      .get();

  return {
    async current(memberId) {
      const row = currentRow(memberId);
      return row && { memberId: row.memberId, trackId: row.trackId, joinedAt: row.joinedAt };
    },
    async join(memberId, trackId, at) {
      return db.transaction((tx) => {
        const previous = tx
          .update(trackMemberships)
          .set({ leftAt: at })
          .where(and(eq(trackMemberships.memberId, memberId), isNull(trackMemberships.leftAt)))
          .returning({ trackId: trackMemberships.trackId })
          .get();
        tx.insert(trackMemberships).values({ memberId, trackId, joinedAt: at }).run();
        placeOnBoards(db, memberId);
        return { previous: previous?.trackId ?? null };
      });
    },
    async leave(memberId, at) {
      return db.transaction((tx) => {
        const row = tx
          .update(trackMemberships)
          .set({ leftAt: at })
          .where(and(eq(trackMemberships.memberId, memberId), isNull(trackMemberships.leftAt)))
          .returning()
          .get();
        if (row) placeOnBoards(db, memberId);
        return row && { memberId: row.memberId, trackId: row.trackId, joinedAt: row.joinedAt };
      });
    },
  };
}

export function createStore(db: Db): Store {
  return {
    identities: identityStore(db),
    progress: progressStore(db),
    cohorts: cohortStore(db),
    tracks: trackStore(db),
    schedules: scheduleStore(db),
    posts: postStore(db),
    senders: senderStore(db),
    requests: requestStore(db),
    answers: answerStore(db),
    reviews: reviewStore(db),
    deliveries: deliveryStore(db),
  };
}
