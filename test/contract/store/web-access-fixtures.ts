import type { Actor, Identity } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import type { SessionOpening, SignInLink, WebSession } from "../../../src/core/ports/web-access.js";

// Links, sessions and members for the dashboard sign-in's contract tests.

export const at = new Date("2026-03-04T10:00:00Z");
export const plus = (ms: number) => new Date(at.getTime() + ms);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A stand-in for a token's SHA-256: the store only keeps and compares it. */
export const hashOf = (name: string) => `${name}:`.padEnd(64, "0");

export const linkFor = (identity: Identity, name: string, isModerator = false): SignInLink => ({
  tokenHash: hashOf(name),
  spaceId: identity.space.id,
  memberId: identity.member.id,
  isModerator,
  expiresAt: plus(15 * MINUTE),
});

/** The session a redemption opens under `name`: its own token's hash and form token. */
export const openingOf = (name: string, expiresAt = plus(12 * HOUR)): SessionOpening => ({
  tokenHash: hashOf(name),
  csrfToken: `csrf-${name}`,
  expiresAt,
});

/** Opens a session the only way a store does: a link issued to the member, then redeemed. */
export async function signIn(
  store: Store,
  identity: Identity,
  name: string,
  { isModerator = false, expiresAt = plus(12 * HOUR) } = {},
): Promise<WebSession> {
  await store.web.issueLink(linkFor(identity, `link-${name}`, isModerator), at);
  const redeemed = await store.web.redeemLink(hashOf(`link-${name}`), at, openingOf(name, expiresAt));
  if (!redeemed.ok) throw new Error(`link for ${name} refused: ${redeemed.why}`);
  return redeemed.session;
}

export async function member(store: Store, who: Actor): Promise<Identity> {
  return store.identities.ensure(who, at);
}
