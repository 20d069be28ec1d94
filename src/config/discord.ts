import { z } from "zod";
import type { ConfigError, Parsed } from "./fields.js";
import { optional, token } from "./fields.js";

export const discordEnv = {
  DISCORD_TOKEN: optional(token("a Discord bot token")),
  DISCORD_APPLICATION_ID: optional(
    z.string().regex(/^\d{17,20}$/, "must be a Discord application id (17–20 digits)"),
  ),
  DISCORD_API_URL: optional(z.url({ error: "must be a URL, e.g. https://discord.com/api" })),
  DISCORD_MODERATOR_ROLE: z
    .string()
    .trim()
    .min(1, "must be a role id or name, e.g. 123456789012345678 or Quorum Moderator")
    .max(100, "must be at most 100 characters (Discord's limit for role names)")
    .default("Quorum Moderator"),
  DISCORD_DEFER_AFTER_MS: z.coerce
    .number({ error: "must be a number of milliseconds, e.g. 1000" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be 0 or more")
    .max(2500, "must be at most 2500 (Discord allows 3 seconds to answer)")
    .default(1000),
  DISCORD_SHARDS: optional(
    z
      .string()
      .trim()
      .regex(/^\d+(\s*,\s*\d+)*$/, "must be shard ids separated by commas, e.g. 0,1")
      .transform((list) => list.split(",").map(Number)),
  ),
  DISCORD_SHARD_COUNT: optional(
    z.coerce
      .number({ error: "must be the number of shards across all processes, e.g. 2" })
      .int("must be a whole number of shards")
      .min(1, "must be at least 1"),
  ),
};

type DiscordEnv = Parsed<typeof discordEnv>;

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl: string | undefined;
  /** A role id, or a name looked up once per server; its members may run moderator commands too. */
  moderatorRole: string;
  /** Replies still being worked on after this long are deferred, then edited in. */
  deferAfterMs: number;
  /** The gateway shards this process runs, of `count` across all processes; unset: one shard, 0 of 1. */
  shards: { ids: number[]; count: number } | undefined;
}

/** Variables that make sense only together: the token with the application id, the shards with their count. */
export function discordErrors(e: DiscordEnv): ConfigError[] {
  const errors: ConfigError[] = [];
  if (e.DISCORD_TOKEN !== undefined && e.DISCORD_APPLICATION_ID === undefined)
    errors.push({ variable: "DISCORD_APPLICATION_ID", message: "must be set when DISCORD_TOKEN is set" });
  if (e.DISCORD_APPLICATION_ID !== undefined && e.DISCORD_TOKEN === undefined)
    errors.push({ variable: "DISCORD_TOKEN", message: "must be set when DISCORD_APPLICATION_ID is set" });
  errors.push(...shardErrors(e.DISCORD_SHARDS, e.DISCORD_SHARD_COUNT));
  return errors;
}

/** Discord starts when both its token and its application id are set. */
export function discordConfig(e: DiscordEnv): DiscordConfig | undefined {
  if (!e.DISCORD_TOKEN || !e.DISCORD_APPLICATION_ID) return undefined;
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    apiUrl: e.DISCORD_API_URL,
    moderatorRole: e.DISCORD_MODERATOR_ROLE,
    deferAfterMs: e.DISCORD_DEFER_AFTER_MS,
    shards:
      e.DISCORD_SHARDS && e.DISCORD_SHARD_COUNT
        ? { ids: e.DISCORD_SHARDS, count: e.DISCORD_SHARD_COUNT }
        : undefined,
  };
}

/** Both or neither, each id below the count and named once: discord.js would drop the rest silently. */
function shardErrors(ids: number[] | undefined, count: number | undefined): ConfigError[] {
  if (ids === undefined && count === undefined) return [];
  if (ids === undefined) {
    return [{ variable: "DISCORD_SHARDS", message: "must be set when DISCORD_SHARD_COUNT is set, e.g. 0,1" }];
  }
  if (count === undefined) {
    return [{ variable: "DISCORD_SHARD_COUNT", message: "must be set when DISCORD_SHARDS is set, e.g. 2" }];
  }
  const tooHigh = ids.find((id) => id >= count);
  if (tooHigh !== undefined) {
    const message = `must be ids from 0 to ${count - 1} (below DISCORD_SHARD_COUNT, ${count}); ${tooHigh} is not`;
    return [{ variable: "DISCORD_SHARDS", message }];
  }
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) {
    return [{ variable: "DISCORD_SHARDS", message: `must name each shard once; ${repeated} is repeated` }];
  }
  return [];
}
