/**
 * A cohort's channel must be a channel of the cohort's own server: Discord lets a bot post in any
 * server it is in, so a moderator of one server must not be able to send posts into another.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeGuild, fakeUser, moderatorPermissions } from "../fakes/discord/index.js";
import { storeChannel, storedChannel } from "./cohort-channel.js";
import { createCohort, type DiscordBot, postsIn, startDiscordBot, textOf } from "./discord-bot.js";

const moderator = fakeUser("morgan");
const asModerator = { user: moderator, permissions: moderatorPermissions };
const notInServer = "the channel is not in the cohort's server";

describe("a cohort's channel on Discord belongs to the cohort's server", () => {
  let discord: DiscordBot;
  const home = fakeGuild({ name: "Home server" });
  const other = fakeGuild({ name: "Other server" });
  const [homeGeneral, homeAnnouncements] = home.channels;
  const [otherGeneral] = other.channels;

  /** What the bot sent to the moderator's DM that mentions why the channel was refused. */
  const noticesAboutServer = () =>
    discord.fake.directMessagesTo(moderator.id).filter((message) => textOf(message).includes(notInServer));

  /** Every message the bot put into the other server's channels, replies or posts. */
  const anythingInOtherServer = () =>
    other.channels.flatMap((channel) => discord.fake.messagesIn(channel.id));

  beforeAll(async () => {
    discord = await startDiscordBot({
      guilds: [home, other],
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" },
    });
    // Week 1 starts on Monday 9 March, after this file's first tests.
    const created = await createCohort(discord, asModerator, { name: "summer", start: "2026-03-09" });
    expect(textOf(created)).toContain("Cohort **summer** created");
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it("given /schedule channel naming a channel of another server, it is refused privately with what to do, and the cohort keeps its channel", async () => {
    if (!otherGeneral || !homeGeneral) throw new Error("The fake servers need channels");
    const reply = await discord.fake
      .slash({
        ...asModerator,
        name: "schedule",
        subcommand: "channel",
        options: { channel: otherGeneral.id },
      })
      .final();
    expect(reply.ephemeral).toBe(true);
    expect(textOf(reply)).toContain(
      `"${otherGeneral.id}" is a channel of another server or workspace, not this one.`,
    );
    expect(textOf(reply)).toContain("Run /schedule channel inside the channel the cohort should use");
    expect(storedChannel(discord.databasePath, "summer")).toBe(homeGeneral.id);
  });

  it("given /schedule channel naming another channel of its own server, posts go there from now on", async () => {
    if (!homeAnnouncements) throw new Error("The home server needs a second channel");
    const reply = await discord.fake
      .slash({
        ...asModerator,
        name: "schedule",
        subcommand: "channel",
        options: { channel: homeAnnouncements.id },
      })
      .final();
    expect(textOf(reply)).toContain(`Posts for **summer** go to <#${homeAnnouncements.id}> from now on.`);
    expect(storedChannel(discord.databasePath, "summer")).toBe(homeAnnouncements.id);
  });

  it("given a stored channel of another server, the scheduled module is not posted there: the cohort is paused and its moderator told why", async () => {
    if (!otherGeneral) throw new Error("The other server needs a channel");
    storeChannel(discord.databasePath, "summer", otherGeneral.id);
    // Half a minute after week 1's module was due: it is sent on start.
    await discord.restart({ QUORUM_CLOCK_START: "2026-03-09T09:00:30Z" });

    const [notice] = await vi.waitFor(
      () => {
        const found = noticesAboutServer();
        if (found.length === 0) throw new Error(`No notice yet. The log:\n${discord.log()}`);
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(textOf(notice ?? { body: {} })).toContain("I paused summer's schedule");
    expect(anythingInOtherServer()).toEqual([]);
    expect(
      discord.fake.requests.filter((request) => request.path === `/channels/${otherGeneral.id}/messages`),
    ).toEqual([]);

    const shown = await discord.fake.slash({ ...asModerator, name: "schedule", subcommand: "show" }).final();
    expect(textOf(shown)).toMatch(/paused/i);
  });

  it("given a stored channel of another server, /schedule post-now posts nothing there and the moderator is told why", async () => {
    if (!otherGeneral) throw new Error("The other server needs a channel");
    const before = noticesAboutServer().length;
    await discord.fake.slash({ ...asModerator, name: "schedule", subcommand: "post-now" }).final();

    await vi.waitFor(
      () => {
        if (noticesAboutServer().length <= before)
          throw new Error(`No notice yet. The log:\n${discord.log()}`);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(anythingInOtherServer()).toEqual([]);
    expect(postsIn(discord.fake, otherGeneral.id)).toEqual([]);
  });
});
