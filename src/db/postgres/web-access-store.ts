import type { Pool } from "pg";
import type { LinkRedemption, WebAccessStore, WebSession } from "../../core/ports/web-access.js";
import { execute, rows, transaction } from "./tx.js";

/** Expired links and sessions are swept this often, by whichever call comes along. */
const SWEEP_EVERY_MS = 60_000;
/** A link is kept this long past its expiry, so a late click is told "expired" or "used", not "unknown". */
const LINK_KEPT_MS = 24 * 3_600_000;

interface SessionRow {
  token_hash: string;
  space_id: number;
  member_id: number;
  moderator: boolean;
  csrf_token: string;
  expires_at: Date;
}

function sessionOf(row: SessionRow): WebSession {
  return {
    tokenHash: row.token_hash,
    spaceId: row.space_id,
    memberId: row.member_id,
    isModerator: row.moderator,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** The twin of the SQLite store: single use is the redeeming update's own condition, so two processes cannot both win. */
export function webAccessStore(pool: Pool): WebAccessStore {
  let sweptAt = 0;
  const sweep = async (at: Date) => {
    if (at.getTime() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = at.getTime();
    const linksBefore = new Date(at.getTime() - LINK_KEPT_MS);
    await execute(pool, "DELETE FROM web_links WHERE expires_at <= $1", [linksBefore], "web-sweep-links");
    await execute(pool, "DELETE FROM web_sessions WHERE expires_at <= $1", [at], "web-sweep-sessions");
  };
  return {
    async issueLink(link, at) {
      await sweep(at);
      await execute(
        pool,
        `INSERT INTO web_links (token_hash, space_id, member_id, moderator, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [link.tokenHash, link.spaceId, link.memberId, link.isModerator, link.expiresAt, at],
        "web-issue",
      );
    },
    async redeemLink(tokenHash, at, opening): Promise<LinkRedemption> {
      await sweep(at);
      // One statement: the session opens under the link's row lock, so a sign-out or a demotion that takes
      // that lock runs wholly before the link is used or wholly after its session is in place.
      const [row] = await rows<SessionRow>(
        pool,
        `WITH used AS (
           UPDATE web_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
           RETURNING space_id, member_id, moderator)
         INSERT INTO web_sessions (token_hash, space_id, member_id, moderator, csrf_token, expires_at, created_at)
         SELECT $3, space_id, member_id, moderator, $4, $5, $1 FROM used
         RETURNING token_hash, space_id, member_id, moderator, csrf_token, expires_at`,
        [at, tokenHash, opening.tokenHash, opening.csrfToken, opening.expiresAt],
        "web-redeem",
      );
      if (row) return { ok: true, session: sessionOf(row) };
      const [known] = await rows<{ used_at: Date | null }>(
        pool,
        "SELECT used_at FROM web_links WHERE token_hash = $1",
        [tokenHash],
        "web-why",
      );
      return { ok: false, why: !known ? "unknown" : known.used_at !== null ? "used" : "expired" };
    },
    async session(tokenHash, at): Promise<WebSession | undefined> {
      const [row] = await rows<SessionRow>(
        pool,
        `SELECT token_hash, space_id, member_id, moderator, csrf_token, expires_at
         FROM web_sessions WHERE token_hash = $1 AND expires_at > $2`,
        [tokenHash, at],
        "web-session",
      );
      return row && sessionOf(row);
    },
    async endSession(tokenHash) {
      await execute(pool, "DELETE FROM web_sessions WHERE token_hash = $1", [tokenHash], "web-end");
    },
    async endSessions(memberId) {
      return transaction(pool, async (conn) => {
        await execute(conn, "DELETE FROM web_links WHERE member_id = $1 AND used_at IS NULL", [memberId]);
        return execute(conn, "DELETE FROM web_sessions WHERE member_id = $1", [memberId]);
      });
    },
    async recheckModerator(actor) {
      const values = [actor.isModerator, actor.platform, actor.spaceExternalId, actor.userExternalId];
      const member = `(SELECT m.id FROM members m JOIN spaces s ON s.id = m.space_id
                       WHERE s.platform = $2 AND s.external_id = $3 AND m.external_id = $4)`;
      // Links first, waiting on the row lock of any redemption under way, then sessions in a statement of their
      // own, whose fresh snapshot sees the session that redemption opened (one statement's snapshot would not).
      // No transaction around the two: each is a conditional update, and the next command rechecks again.
      await execute(
        pool,
        `UPDATE web_links SET moderator = $1
         WHERE member_id = ${member} AND used_at IS NULL AND moderator <> $1`,
        values,
        "web-moderator-links",
      );
      await execute(
        pool,
        `UPDATE web_sessions SET moderator = $1 WHERE member_id = ${member} AND moderator <> $1`,
        values,
        "web-moderator-sessions",
      );
    },
  };
}
