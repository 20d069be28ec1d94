import { randomBytes } from "node:crypto";

/** Discord counts snowflake time from the first second of 2015. */
const discordEpochMs = 1_420_070_400_000n;
let increment = 0n;

/**
 * A new id shaped like Discord's (a timestamp shifted left 22 bits plus a counter), so it is 18–19
 * digits long and sorts by creation like the real ones; the bot validates ids by that shape.
 */
export function snowflake(): string {
  increment = (increment + 1n) % 4096n;
  return (((BigInt(Date.now()) - discordEpochMs) << 22n) | increment).toString();
}

/**
 * An interaction token shaped like Discord's: base64 of "interaction:<id>:<secret>", about 200
 * characters, so logs are tested against tokens as long as real ones.
 */
export function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(96).toString("base64url")}`).toString("base64url");
}

/** The shard a server's events go to, by Discord's rule: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A snowflake for a server that lands on shard `shard` of `count`: its timestamp moved back to fit. */
export function guildIdOnShard(shard: number, count: number): string {
  increment = (increment + 1n) % 4096n;
  const now = BigInt(Date.now()) - discordEpochMs;
  const timestamp = now - ((((now - BigInt(shard)) % BigInt(count)) + BigInt(count)) % BigInt(count));
  return ((timestamp << 22n) | increment).toString();
}
