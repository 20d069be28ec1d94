import { and, eq, isNull, sql } from "drizzle-orm";
import type { TrackStore } from "../core/ports/tracks.js";
import { placeOnBoards } from "./aggregates.js";
import type { Db } from "./client.js";
import { toTrackMembership } from "./rows.js";
import { trackMemberships } from "./schema.js";

export function trackStore(db: Db): TrackStore {
  const currentOf = (memberId: number) =>
    and(eq(trackMemberships.memberId, memberId), isNull(trackMemberships.leftAt));
  /** Ends the member's current membership, if any; run inside the transaction that moves them. */
  const endCurrent = (memberId: number, at: Date) =>
    db.update(trackMemberships).set({ leftAt: at }).where(currentOf(memberId)).returning().get();

  // /streak and /leaderboard track read it on every call: prepared once.
  const currentQuery = db
    .select()
    .from(trackMemberships)
    .where(and(eq(trackMemberships.memberId, sql.placeholder("memberId")), isNull(trackMemberships.leftAt)))
    .prepare();

  return {
    async current(memberId) {
      const row = currentQuery.get({ memberId });
      return row && toTrackMembership(row);
    },
    async join(memberId, trackId, at) {
      return db.transaction((tx) => {
        const previous = endCurrent(memberId, at);
        tx.insert(trackMemberships).values({ memberId, trackId, joinedAt: at }).run();
        placeOnBoards(db, memberId);
        return { previous: previous?.trackId ?? null };
      });
    },
    async leave(memberId, at) {
      return db.transaction(() => {
        const row = endCurrent(memberId, at);
        if (row) placeOnBoards(db, memberId);
        return row && toTrackMembership(row);
      });
    },
  };
}
