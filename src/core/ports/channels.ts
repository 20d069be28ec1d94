import type { ChannelTarget } from "./outbox.js";

/**
 * Why a channel id may not take a cohort's posts: it belongs to another server or workspace, it is
 * a person or a direct message, the platform does not know it (or hides it from the bot), or the
 * platform could not be asked just now.
 */
export type ChannelRefusal = "elsewhere" | "not-a-channel" | "unknown" | "unavailable";

/** A channel the space may post to, by its id (a name given is resolved to the id), or why not. */
export type ChannelCheck =
  | { ok: true; channelExternalId: string }
  | { ok: false; reason: ChannelRefusal; detail: string };

/** Whether a channel id (or name) names a channel of the target's own space; platforms without such ids have none. */
export interface ChannelDirectory {
  /** Never throws: a platform that cannot be reached answers "unavailable". */
  check(target: ChannelTarget): Promise<ChannelCheck>;
}
