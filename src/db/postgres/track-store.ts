import { and, eq, isNull } from "drizzle-orm";
import type { Pool, PoolClient } from "pg";
import type { TrackStore } from "../../core/ports/tracks.js";
import { toTrackMembership } from "../rows.js";
import { placeOnBoards } from "./aggregates.js";
import { drizzleOn, type PgDb } from "./client.js";
import { members, trackMemberships } from "./schema.js";
import { transaction } from "./tx.js";

const currentOf = (memberId: number) =>
  and(eq(trackMemberships.memberId, memberId), isNull(trackMemberships.leftAt));

/**
 * Ends the member's current membership, if any, with their member row locked: the lock queues two
 * moves of one learner, and the partial unique index on current memberships backs it.
 */
async function endCurrent(conn: PoolClient, memberId: number, at: Date) {
  const tx = drizzleOn(conn);
  await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for("update");
  const [ended] = await tx
    .update(trackMemberships)
    .set({ leftAt: at })
    .where(currentOf(memberId))
    .returning();
  return ended;
}

export function trackStore(db: PgDb, pool: Pool): TrackStore {
  return {
    async current(memberId) {
      const [row] = await db.select().from(trackMemberships).where(currentOf(memberId));
      return row && toTrackMembership(row);
    },
    async join(memberId, trackId, at) {
      return transaction(pool, async (conn) => {
        const previous = await endCurrent(conn, memberId, at);
        await drizzleOn(conn).insert(trackMemberships).values({ memberId, trackId, joinedAt: at });
        await placeOnBoards(conn, memberId);
        return { previous: previous?.trackId ?? null };
      });
    },
    async leave(memberId, at) {
      return transaction(pool, async (conn) => {
        const row = await endCurrent(conn, memberId, at);
        if (row) await placeOnBoards(conn, memberId);
        return row && toTrackMembership(row);
      });
    },
  };
}
