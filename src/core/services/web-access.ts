import type { Clock } from "../ports/clock.js";
import type { Identity } from "../ports/identity.js";
import type { Store } from "../ports/store.js";
import type { WebSession } from "../ports/web-access.js";
import { err, ok, type Result } from "../result.js";

/** A sign-in link works once, within this. */
export const LINK_TTL_MS = 15 * 60_000;
/** A session lasts this long from sign-in, or until sign-out. */
export const SESSION_TTL_MS = 12 * 3_600_000;

type Deps = { store: Pick<Store, "web">; clock: Clock };

/** 32 random bytes, URL-safe: what a link or a cookie carries. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** What the store keeps of a token: its SHA-256, so a copy of the database opens no session. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A one-time link for the member, with the rights the platform gives them now. */
export async function issueSignInLink(
  deps: Deps,
  identity: Identity,
  isModerator: boolean,
  baseUrl: string,
): Promise<{ url: string; expiresAt: Date }> {
  const token = newToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
  await deps.store.web.issueLink(
    {
      tokenHash: await hashToken(token),
      spaceId: identity.space.id,
      memberId: identity.member.id,
      isModerator,
      expiresAt,
    },
    now,
  );
  return { url: `${baseUrl}/signin/${token}`, expiresAt };
}

export interface OpenedSession {
  /** Goes into the cookie; only its hash is stored. */
  token: string;
  session: WebSession;
}

/** Uses the link's token, once, and opens a session bound to its member and space in the same step. */
export async function redeemSignIn(
  deps: Deps,
  token: string,
): Promise<Result<OpenedSession, "unknown" | "used" | "expired">> {
  // A token is 43 URL-safe characters; anything else was never issued and costs no query.
  if (!/^[\w-]{43}$/.test(token)) return err("unknown");
  const now = deps.clock.now();
  const sessionToken = newToken();
  const redeemed = await deps.store.web.redeemLink(await hashToken(token), now, {
    tokenHash: await hashToken(sessionToken),
    csrfToken: newToken(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  if (!redeemed.ok) return err(redeemed.why);
  return ok({ token: sessionToken, session: redeemed.session });
}

/** The session a cookie's token belongs to, while it lasts. */
export async function sessionOf(deps: Deps, token: string | undefined): Promise<WebSession | undefined> {
  if (!token || !/^[\w-]{43}$/.test(token)) return undefined;
  return deps.store.web.session(await hashToken(token), deps.clock.now());
}

/** Ends one browser's session (its sign-out button). */
export async function endSession(deps: Deps, token: string): Promise<void> {
  await deps.store.web.endSession(await hashToken(token));
}

/** Compares two tokens in time that does not depend on where they first differ. */
export function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
