import { findTrack } from "../curriculum/query.js";
import type { Curriculum, Track } from "../curriculum/schema.js";
import type { Field } from "../messages.js";
import { err, ok, type Result } from "../result.js";
import type { CommandContext } from "./command.js";

export function laneNames(track: Track): string {
  const names = { postgres: "PostgreSQL", nosql: "NoSQL (MongoDB & Redis)" } as const;
  return track.lanes.map((lane) => names[lane]).join(" and ");
}

/** A track by what a person typed, or the reply that lists the real ones. */
export function resolveTrack(curriculum: Curriculum, query: string): Result<Track, string> {
  const track = findTrack(curriculum, query);
  if (track) return ok(track);
  return err(`Tracks: ${curriculum.tracks.map((t) => t.id).join(", ")}`);
}

/**
 * Mirrors the person's track as a platform role where there are roles (Discord). The track itself
 * is already saved; a role that cannot be given is said in the reply, never an error.
 */
export async function followTrackRole(
  ctx: Pick<CommandContext, "roles" | "actor" | "logger">,
  track: Pick<Track, "id" | "name"> | null,
): Promise<Field | undefined> {
  if (!ctx.roles) return undefined;
  const outcome = await ctx.roles.follow(ctx.actor, track && { id: track.id, name: track.name });
  if (outcome.ok) return undefined;
  ctx.logger.warn({ problem: outcome.problem, detail: outcome.detail }, "track role not updated");
  const fix =
    outcome.problem === "forbidden"
      ? "The bot needs the Manage Roles permission, and its own role must sit above the track roles"
      : "The server did not answer in time";
  return {
    name: "Server role not updated",
    value: ctx.actor.isModerator
      ? `${fix}. Grant it in Server Settings → Roles, then run the command again.`
      : `${fix}; a moderator can fix that in Server Settings → Roles. Your track is saved either way.`,
  };
}
