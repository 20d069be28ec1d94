import { type Client, DiscordAPIError, type Guild, type Role } from "discord.js";
import type { TrackRoleOutcome, TrackRoles } from "../../core/ports/track-roles.js";

/** Track roles are named so the bot can tell them from the server's own roles. */
const TRACK_ROLE_PREFIX = "Track · ";

const FORBIDDEN = new Set([50001, 50013]);

function outcomeOf(error: unknown): TrackRoleOutcome {
  if (error instanceof DiscordAPIError && (FORBIDDEN.has(Number(error.code)) || error.status === 403)) {
    return { ok: false, problem: "forbidden", detail: error.message };
  }
  return { ok: false, problem: "failed", detail: error instanceof Error ? error.message : String(error) };
}

async function roleFor(guild: Guild, name: string): Promise<Role> {
  const roles = await guild.roles.fetch();
  const existing = roles.find((role) => role.name === name);
  if (existing) return existing;
  return guild.roles.create({
    name,
    mentionable: false,
    hoist: false,
    permissions: [],
    reason: "Quorum: a role for learners on this track",
  });
}

/** Server roles that mirror role tracks: one "Track · <name>" role per track, made when first needed. */
export function discordTrackRoles(client: Client): TrackRoles {
  return {
    async follow(actor, track): Promise<TrackRoleOutcome> {
      try {
        const guild = await client.guilds.fetch(actor.spaceExternalId);
        const member = await guild.members.fetch(actor.userExternalId);
        const wanted = track ? await roleFor(guild, `${TRACK_ROLE_PREFIX}${track.name}`) : undefined;
        const stale = member.roles.cache.filter(
          (role) => role.name.startsWith(TRACK_ROLE_PREFIX) && role.id !== wanted?.id,
        );
        for (const role of stale.values()) await member.roles.remove(role, "Quorum: left the track");
        if (wanted && !member.roles.cache.has(wanted.id)) {
          await member.roles.add(wanted, "Quorum: joined the track");
        }
        return { ok: true };
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}
