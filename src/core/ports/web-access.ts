import type { Actor } from "./identity.js";

/** Who a sign-in link or a session speaks for: a member of one space, with the rights the platform gave them. */
export interface WebGrant {
  spaceId: number;
  memberId: number;
  isModerator: boolean;
}

export interface SignInLink extends WebGrant {
  /** SHA-256 of the token in the link; the token itself is never stored. */
  tokenHash: string;
  expiresAt: Date;
}

export interface WebSession extends WebGrant {
  /** SHA-256 of the cookie's token. */
  tokenHash: string;
  /** Every form of the session's pages carries it; a post without it is refused. */
  csrfToken: string;
  expiresAt: Date;
}

/** The session a link opens when it is redeemed, less the grant, which comes from the link's row. */
export type SessionOpening = Pick<WebSession, "tokenHash" | "csrfToken" | "expiresAt">;

export type LinkRedemption =
  | { ok: true; session: WebSession }
  | { ok: false; why: "unknown" | "used" | "expired" };

/** The dashboard's links and sessions, shared by every process. */
export interface WebAccessStore {
  issueLink(link: SignInLink, at: Date): Promise<void>;
  /**
   * Marks the link used, once and before it expires, and opens the session with the link's grant, both in
   * one step: a sign-out or a demotion lands wholly before or wholly after it. Says why when it cannot.
   */
  redeemLink(tokenHash: string, at: Date, opening: SessionOpening): Promise<LinkRedemption>;
  /** The session, while it has not expired or been ended. */
  session(tokenHash: string, at: Date): Promise<WebSession | undefined>;
  endSession(tokenHash: string): Promise<void>;
  /** Ends every session and unused link of the member; how many sessions ended. */
  endSessions(memberId: number): Promise<number>;
  /**
   * Moderator rights as the platform says at this command, for the open sessions and unused links of
   * the member the actor is (in that space only), a session opened by a redemption it raced included;
   * changes nothing when they agree.
   */
  recheckModerator(
    actor: Pick<Actor, "platform" | "spaceExternalId" | "userExternalId" | "isModerator">,
  ): Promise<void>;
}
