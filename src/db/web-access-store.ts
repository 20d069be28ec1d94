import type { LinkRedemption, WebAccessStore, WebSession } from "../core/ports/web-access.js";
import type { Db } from "./client.js";
import { preparedOnce } from "./rows.js";

/** Expired links and sessions are swept this often, by whichever call comes along. */
const SWEEP_EVERY_MS = 60_000;
/** A link is kept this long past its expiry, so a late click is told "expired" or "used", not "unknown". */
const LINK_KEPT_MS = 24 * 3_600_000;

interface SessionRow {
  tokenHash: string;
  spaceId: number;
  memberId: number;
  moderator: number;
  csrfToken: string;
  expiresAt: number;
}

export function webAccessStore(db: Db): WebAccessStore {
  const statements = preparedOnce(() => ({
    issue: db.$client.prepare<[string, number, number, number, number, number]>(
      `INSERT INTO web_links (token_hash, space_id, member_id, moderator, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    // Single use is this statement's condition, not a read before it.
    redeem: db.$client.prepare<[number, string, number]>(
      `UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING space_id AS spaceId, member_id AS memberId, moderator`,
    ),
    why: db.$client.prepare<[string]>("SELECT used_at AS usedAt FROM web_links WHERE token_hash = ?"),
    open: db.$client.prepare<[string, number, number, number, string, number, number]>(
      `INSERT INTO web_sessions (token_hash, space_id, member_id, moderator, csrf_token, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    session: db.$client.prepare<[string, number]>(
      `SELECT token_hash AS tokenHash, space_id AS spaceId, member_id AS memberId, moderator,
              csrf_token AS csrfToken, expires_at AS expiresAt
       FROM web_sessions WHERE token_hash = ? AND expires_at > ?`,
    ),
    end: db.$client.prepare<[string]>("DELETE FROM web_sessions WHERE token_hash = ?"),
    endAll: db.$client.prepare<[number]>("DELETE FROM web_sessions WHERE member_id = ?"),
    dropLinks: db.$client.prepare<[number]>("DELETE FROM web_links WHERE member_id = ? AND used_at IS NULL"),
    moderator: db.$client.prepare<[number, string, string, string, number]>(
      `UPDATE web_sessions SET moderator = ?
       WHERE member_id = (SELECT m.id FROM members m JOIN spaces s ON s.id = m.space_id
                          WHERE s.platform = ? AND s.external_id = ? AND m.external_id = ?)
         AND moderator <> ?`,
    ),
    // A link issued before the demotion must not open a moderator's session after it.
    linkModerator: db.$client.prepare<[number, string, string, string, number]>(
      `UPDATE web_links SET moderator = ?
       WHERE member_id = (SELECT m.id FROM members m JOIN spaces s ON s.id = m.space_id
                          WHERE s.platform = ? AND s.external_id = ? AND m.external_id = ?)
         AND used_at IS NULL AND moderator <> ?`,
    ),
    sweepLinks: db.$client.prepare<[number]>("DELETE FROM web_links WHERE expires_at <= ?"),
    sweepSessions: db.$client.prepare<[number]>("DELETE FROM web_sessions WHERE expires_at <= ?"),
  }));
  let sweptAt = 0;
  const sweep = (at: Date) => {
    if (at.getTime() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = at.getTime();
    statements().sweepLinks.run(at.getTime() - LINK_KEPT_MS);
    statements().sweepSessions.run(at.getTime());
  };
  return {
    async issueLink(link, at) {
      sweep(at);
      statements().issue.run(
        link.tokenHash,
        link.spaceId,
        link.memberId,
        link.isModerator ? 1 : 0,
        link.expiresAt.getTime(),
        at.getTime(),
      );
    },
    async redeemLink(tokenHash, at, opening): Promise<LinkRedemption> {
      sweep(at);
      // One transaction: a sign-out or a demotion runs wholly before the link is used or after its session is open.
      const session = db.$client.transaction((): WebSession | undefined => {
        const row = statements().redeem.get(at.getTime(), tokenHash, at.getTime()) as
          | { spaceId: number; memberId: number; moderator: number }
          | undefined;
        if (!row) return undefined;
        statements().open.run(
          opening.tokenHash,
          row.spaceId,
          row.memberId,
          row.moderator,
          opening.csrfToken,
          opening.expiresAt.getTime(),
          at.getTime(),
        );
        return {
          tokenHash: opening.tokenHash,
          spaceId: row.spaceId,
          memberId: row.memberId,
          isModerator: row.moderator === 1,
          csrfToken: opening.csrfToken,
          expiresAt: opening.expiresAt,
        };
      })();
      if (session) return { ok: true, session };
      const known = statements().why.get(tokenHash) as { usedAt: number | null } | undefined;
      return { ok: false, why: !known ? "unknown" : known.usedAt !== null ? "used" : "expired" };
    },
    async session(tokenHash, at): Promise<WebSession | undefined> {
      const row = statements().session.get(tokenHash, at.getTime()) as SessionRow | undefined;
      return (
        row && {
          tokenHash: row.tokenHash,
          spaceId: row.spaceId,
          memberId: row.memberId,
          isModerator: row.moderator === 1,
          csrfToken: row.csrfToken,
          expiresAt: new Date(row.expiresAt),
        }
      );
    },
    async endSession(tokenHash) {
      statements().end.run(tokenHash);
    },
    async endSessions(memberId) {
      // Both in one transaction: a link issued before sign-out must not open a session after it.
      return db.$client.transaction(() => {
        statements().dropLinks.run(memberId);
        return statements().endAll.run(memberId).changes;
      })();
    },
    async recheckModerator(actor) {
      const flag = actor.isModerator ? 1 : 0;
      const who = [actor.platform, actor.spaceExternalId, actor.userExternalId] as const;
      db.$client.transaction(() => {
        statements().moderator.run(flag, ...who, flag);
        statements().linkModerator.run(flag, ...who, flag);
      })();
    },
  };
}
