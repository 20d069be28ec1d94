import type { Message } from "../messages.js";
import type { Platform } from "./identity.js";

export interface ChannelTarget {
  platform: Platform;
  spaceExternalId: string;
  channelExternalId: string;
}

export interface UserTarget {
  platform: Platform;
  spaceExternalId: string;
  userExternalId: string;
}

export type SendProblem = "channel-gone" | "forbidden" | "rate-limited" | "transient";

export type SendOutcome =
  | { ok: true; messageId: string | null }
  | { ok: false; problem: SendProblem; detail: string; retryAfterMs?: number };

/** How the core posts to a platform; each adapter implements one. */
export interface ChatOutbox {
  /** `key` is the same on every retry of one post, for platforms that can deduplicate. */
  send(target: ChannelTarget, message: Message, key: string): Promise<SendOutcome>;
  /** A private message to one person (the moderator, when posting fails). */
  notify(target: UserTarget, message: Message): Promise<SendOutcome>;
}
