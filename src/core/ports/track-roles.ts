import type { Actor } from "./identity.js";

export type TrackRoleOutcome = { ok: true } | { ok: false; problem: "forbidden" | "failed"; detail: string };

/** Platform roles that mirror role tracks (Discord server roles); platforms without roles have none. */
export interface TrackRoles {
  /** Gives the person the track's role (made if missing) and takes other track roles away; null takes all. */
  follow(actor: Actor, track: { id: string; name: string } | null): Promise<TrackRoleOutcome>;
}
