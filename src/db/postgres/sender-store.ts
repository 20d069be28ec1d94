import type { Pool } from "pg";
import type { SenderStore } from "../../core/ports/posts.js";
import { execute, transaction } from "./tx.js";

/**
 * Sending rights shared by every process on the database: a platform's right is taken in one upsert
 * that succeeds only for its holder or once the holder's lease has run out, so two takers never both win.
 */
export function senderStore(pool: Pool): SenderStore {
  return {
    async take(platform, { owner, now, until }) {
      const taken = await execute(
        pool,
        `INSERT INTO senders AS s (platform, owner, lease_until, taken_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (platform) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until,
           taken_at = CASE WHEN s.owner = excluded.owner THEN s.taken_at ELSE excluded.taken_at END
         WHERE s.owner = excluded.owner OR s.lease_until <= excluded.taken_at`,
        [platform, owner, until, now],
        "senders-take",
      );
      return taken > 0;
    },
    async release(owner) {
      await transaction(pool, async (conn) => {
        await execute(conn, "DELETE FROM senders WHERE owner = $1", [owner], "senders-release");
        await execute(
          conn,
          "UPDATE posts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND status = 'claimed'",
          [owner],
          "senders-free-posts",
        );
      });
    },
  };
}
