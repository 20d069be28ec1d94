import { and, eq } from "drizzle-orm";
import type { Actor, IdentityStore } from "../../core/ports/identity.js";
import { memberMatches } from "../member-lookup.js";
import { memberRowOf, spaceRowOf, toMember, toSpace } from "../rows.js";
import type { PgDb } from "./client.js";
import { members, spaces } from "./schema.js";

/** The space the actor writes from. */
const spaceOf = (actor: Actor) =>
  and(eq(spaces.platform, actor.platform), eq(spaces.externalId, actor.spaceExternalId));

export function identityStore(db: PgDb): IdentityStore {
  return {
    async findSpace(actor) {
      const [space] = await db.select().from(spaces).where(spaceOf(actor));
      return space && toSpace(space);
    },
    async find(actor) {
      const [found] = await db
        .select({ space: spaces, member: members })
        .from(spaces)
        .innerJoin(members, eq(members.spaceId, spaces.id))
        .where(and(spaceOf(actor), eq(members.externalId, actor.userExternalId)));
      return found && { space: toSpace(found.space), member: toMember(found.member) };
    },
    async byMemberId(memberId) {
      const [found] = await db
        .select({ space: spaces, member: members })
        .from(members)
        .innerJoin(spaces, eq(spaces.id, members.spaceId))
        .where(eq(members.id, memberId));
      return found && { space: toSpace(found.space), member: toMember(found.member) };
    },
    async ensure(actor, at) {
      // Two single-statement upserts: a first message seen by two processes at once makes one of each.
      const [space] = await db
        .insert(spaces)
        .values(spaceRowOf(actor, at))
        .onConflictDoUpdate({ target: [spaces.platform, spaces.externalId], set: { name: actor.spaceName } })
        .returning();
      if (!space) throw new Error("the space was not stored");
      const memberRow = memberRowOf(space.id, actor, at);
      const [member] = await db
        .insert(members)
        .values(memberRow)
        .onConflictDoUpdate({
          target: [members.spaceId, members.externalId],
          set: { displayName: memberRow.displayName },
        })
        .returning();
      if (!member) throw new Error("the member was not stored");
      return { space: toSpace(space), member: toMember(member) };
    },
    async lookup(spaceId, query) {
      const found = await db
        .select()
        .from(members)
        .where(memberMatches(members, spaceId, query))
        .orderBy(members.id)
        .limit(5);
      return found.map(toMember);
    },
    async setTimezone(memberId, timezone) {
      await db.update(members).set({ timezone }).where(eq(members.id, memberId));
    },
  };
}
