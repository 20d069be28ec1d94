import type { SenderStore } from "../core/ports/posts.js";
import type { Db } from "./client.js";
import { preparedOnce } from "./rows.js";

/** Sending rights on SQLite: one process uses the file, so its owner takes and renews them unopposed. */
export function senderStore(db: Db): SenderStore {
  const statements = preparedOnce(() => ({
    take: db.$client.prepare<[{ platform: string; owner: string; now: number; until: number }]>(
      `INSERT INTO senders (platform, owner, lease_until, taken_at) VALUES (@platform, @owner, @until, @now)
       ON CONFLICT (platform) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until,
         taken_at = CASE WHEN senders.owner = excluded.owner THEN senders.taken_at ELSE excluded.taken_at END
       WHERE senders.owner = excluded.owner OR senders.lease_until <= excluded.taken_at`,
    ),
    dropRights: db.$client.prepare<[string]>("DELETE FROM senders WHERE owner = ?"),
    freePosts: db.$client.prepare<[string]>(
      "UPDATE posts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status = 'claimed'",
    ),
  }));
  const release = preparedOnce(() =>
    db.$client.transaction((owner: string) => {
      statements().dropRights.run(owner);
      statements().freePosts.run(owner);
    }),
  );
  return {
    async take(platform, { owner, now, until }) {
      return (
        statements().take.run({ platform, owner, now: now.getTime(), until: until.getTime() }).changes > 0
      );
    },
    async release(owner) {
      release()(owner);
    },
  };
}
