import { and, eq, isNull } from "drizzle-orm";
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

  return {
    async current(memberId) {
      const row = db.select().from(trackMemberships).where(currentOf(memberId)).get();
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
