import { and, eq, sql } from "drizzle-orm";
import type { Actor, Identity, IdentityStore } from "../core/ports/identity.js";
import type { Db } from "./client.js";
import { memberMatches } from "./member-lookup.js";
import { memberRowOf, spaceRowOf, toMember, toSpace } from "./rows.js";
import { members, spaces } from "./schema.js";

// better-sqlite3 is synchronous; the async signatures keep the store swappable for PostgreSQL.
export function identityStore(db: Db): IdentityStore {
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
    async byMemberId(memberId): Promise<Identity | undefined> {
      const found = db
        .select({ space: spaces, member: members })
        .from(members)
        .innerJoin(spaces, eq(spaces.id, members.spaceId))
        .where(eq(members.id, memberId))
        .get();
      return found && { space: toSpace(found.space), member: toMember(found.member) };
    },
    async ensure(actor, at): Promise<Identity> {
      return db.transaction((tx) => {
        const space = tx
          .insert(spaces)
          .values(spaceRowOf(actor, at))
          .onConflictDoUpdate({
            target: [spaces.platform, spaces.externalId],
            set: { name: actor.spaceName },
          })
          .returning()
          .get();
        const memberRow = memberRowOf(space.id, actor, at);
        const member = tx
          .insert(members)
          .values(memberRow)
          .onConflictDoUpdate({
            target: [members.spaceId, members.externalId],
            set: { displayName: memberRow.displayName },
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
        .where(memberMatches(members, spaceId, query))
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
