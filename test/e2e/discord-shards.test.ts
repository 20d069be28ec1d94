/**
 * Discord sends a server's events to one gateway shard, `(guild_id >> 22) % shard_count`, so a
 * process running some shards hears only their servers; yet any process may post to any server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeGuild, fakeUser, guildIdOnShard, moderatorPermissions } from "../fakes/discord/index.js";
import { cohortPaused } from "./cohort-channel.js";
import { type DiscordBot, postsIn, startDiscordBot, textOf } from "./discord-bot.js";

const moderator = { user: fakeUser("morgan"), permissions: moderatorPermissions };

describe("a Discord bot split into gateway shards", () => {
  let discord: DiscordBot;
  const home = fakeGuild({ id: guildIdOnShard(0, 2), name: "Home server" });
  const away = fakeGuild({ id: guildIdOnShard(1, 2), name: "Away server" });
  const [awayGeneral] = away.channels;

  beforeAll(async () => {
    discord = await startDiscordBot({
      guilds: [home, away],
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z", DISCORD_SHARDS: "0,1", DISCORD_SHARD_COUNT: "2" },
    });
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it("given shards 0 and 1 of 2 in one process, each identifies and the bot answers people in a server of each", async () => {
    expect(discord.fake.logins.map((login) => login.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const create = (guildId: string, name: string) =>
      discord.fake
        .slash({
          ...moderator,
          guildId,
          name: "cohort",
          subcommand: "create",
          options: { name, start: "2026-03-09" },
        })
        .final();

    const [inHome, inAway] = await Promise.all([create(home.id, "spring"), create(away.id, "summer")]);

    expect(textOf(inHome)).toContain("Cohort **spring** created");
    expect(textOf(inAway)).toContain("Cohort **summer** created");
  });

  it("given only shard 0 of 2, posts the scheduled module of a cohort in a shard-1 server there, and does not pause it", async () => {
    if (!awayGeneral) throw new Error("The away server needs a channel");
    // Half a minute after week 1's module was due: it is sent on start, by a process without that server.
    await discord.restart({
      QUORUM_CLOCK_START: "2026-03-09T09:00:30Z",
      DISCORD_SHARDS: "0",
      DISCORD_SHARD_COUNT: "2",
    });
    expect(discord.fake.logins.at(-1)?.shard).toEqual([0, 2]);
    expect(discord.log()).toMatch(/"guilds":1,"shards":\[0\],"shardCount":2,"msg":"discord connected"/);

    const [post] = await vi.waitFor(
      () => {
        const posts = postsIn(discord.fake, awayGeneral.id);
        if (posts.length === 0) throw new Error(`No post yet. The log:\n${discord.log()}`);
        return posts;
      },
      { timeout: 10_000, interval: 50 },
    );

    expect(textOf(post ?? { body: {} })).toMatch(/week 1/i);
    expect(cohortPaused(discord.databasePath, "summer")).toBe(false);
    expect(discord.fake.directMessagesTo(moderator.user.id)).toEqual([]);
    expect(discord.log()).not.toContain("post given up");
  });

  it("given only shard 0 of 2, /schedule channel naming a channel of a shard-1 server is refused as another server's, not as unknown", async () => {
    if (!awayGeneral) throw new Error("The away server needs a channel");
    const reply = await discord.fake
      .slash({
        ...moderator,
        guildId: home.id,
        name: "schedule",
        subcommand: "channel",
        options: { channel: awayGeneral.id },
      })
      .final();

    expect(textOf(reply)).toContain(
      `"${awayGeneral.id}" is a channel of another server or workspace, not this one.`,
    );
  });
});
