import { type Channel, type Client, DiscordAPIError, type SendableChannels } from "discord.js";
import type { ChannelCheck, ChannelDirectory } from "../../core/ports/channels.js";

/** Discord ids are snowflakes; anything else would be a malformed REST path, not a channel. */
const SNOWFLAKE = /^\d{15,21}$/;

/** A channel check that hands the outbox the channel to send to when it passes. */
export type ChannelPlace = { ok: true; channel: SendableChannels } | Exclude<ChannelCheck, { ok: true }>;

/**
 * Whether a channel may take the posts of a cohort of server `guildId`: a server channel of that
 * very server that the bot can send to. Discord lets a bot post in any server it is in, so the
 * bot itself must refuse another server's channel.
 */
export function channelPlace(channel: Channel | null, guildId: string): ChannelPlace {
  if (!channel) return { ok: false, reason: "unknown", detail: "no such channel" };
  if (channel.isDMBased()) {
    return { ok: false, reason: "not-a-channel", detail: "a direct message, not a server channel" };
  }
  if (channel.guildId !== guildId) {
    return { ok: false, reason: "elsewhere", detail: "the channel is not in the cohort's server" };
  }
  if (!channel.isSendable()) {
    return { ok: false, reason: "not-a-channel", detail: "not a channel the bot can post in" };
  }
  return { ok: true, channel };
}

/** Looks channels up on Discord's REST API to vet `/schedule channel`. */
export function discordChannels(client: Client): ChannelDirectory {
  return {
    async check(target): Promise<ChannelCheck> {
      if (!SNOWFLAKE.test(target.channelExternalId)) {
        return { ok: false, reason: "unknown", detail: "not a Discord channel id" };
      }
      try {
        const place = channelPlace(
          // REST, as the cache files a channel named in an option under the interaction's server; and
          // allowUnknownGuild, or a channel of a server outside this process's shards reads as none.
          await client.channels.fetch(target.channelExternalId, { allowUnknownGuild: true, force: true }),
          target.spaceExternalId,
        );
        return place.ok ? { ok: true, channelExternalId: target.channelExternalId } : place;
      } catch (error) {
        // Unknown or hidden from the bot (404, 403) is an answer; a rate limit or outage is not.
        if (
          error instanceof DiscordAPIError &&
          error.status >= 400 &&
          error.status < 500 &&
          error.status !== 429
        ) {
          return { ok: false, reason: "unknown", detail: `${error.status} ${error.message}` };
        }
        const detail = error instanceof Error ? error.message : String(error);
        return { ok: false, reason: "unavailable", detail: `Discord did not answer: ${detail}` };
      }
    },
  };
}
