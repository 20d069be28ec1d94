/**
 * A cohort's channel must be a channel of the cohort's own workspace: chat.postMessage takes a user
 * id as "their DM with the app", so a moderator must not be able to send a cohort's posts to a person.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultChannels } from "../fakes/slack/index.js";
import { storeChannel, storedChannel } from "./cohort-channel.js";
import { blocksText, type SlackBot, startSlackBot } from "./slack-bot.js";

const notAChannel = "a person or a direct message, not a channel";

describe("a cohort's channel on Slack belongs to the cohort's workspace", () => {
  let bot: SlackBot;
  // A Slack Connect channel another organisation shares in: its team is theirs.
  const theirs = { id: "C0THEIRS", name: "theirs", teamId: "T0OTHER" };

  const olive = () => bot.fake.user("olive");
  const ada = () => bot.fake.user("ada");
  /** What the bot sent the moderator's DM that says why the channel was refused. */
  const noticesAboutChannel = () =>
    bot.fake
      .directMessagesTo(olive().id)
      .filter((message) => blocksText(message.blocks).includes(notAChannel));
  /** Every chat.postMessage the bot made towards Ada, by her user id or her DM's id. */
  const postsToAda = () =>
    bot.fake
      .callsNamed("chat.postMessage")
      .filter((call) => call.args.channel === ada().id || call.args.channel === `D${ada().id.slice(1)}`);

  beforeAll(async () => {
    bot = await startSlackBot({
      channels: [...defaultChannels(), theirs],
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" },
    });
    // Week 1 starts on Monday 9 March, after this file's first tests.
    const created = await bot.command(olive(), "cohort create summer 2026-03-09");
    expect(created.text).toContain("Cohort *summer* created");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given /quorum schedule channel with a person's user id, it is refused privately with what to do, and the cohort keeps its channel", async () => {
    const reply = await bot.command(olive(), `schedule channel ${ada().id}`);
    expect(reply.post.body.response_type).toBe("ephemeral");
    expect(reply.text).toContain(`"${ada().id}" is not a channel: posts go to a channel, not to a person`);
    expect(reply.text).toContain("Run /quorum schedule channel inside the channel the cohort should use");
    expect(storedChannel(bot.databasePath, "summer")).toBe(bot.channelId);
  });

  it("given /quorum schedule channel with a DM's id, or run inside a DM with the app, it is refused and the cohort keeps its channel", async () => {
    const named = await bot.command(olive(), "schedule channel D0ADA");
    expect(named.text).toContain('"D0ADA" is not a channel');
    const inDm = await bot.command(olive(), "schedule channel", "D0OLIVE");
    expect(inDm.text).toContain('"D0OLIVE" is not a channel');
    expect(storedChannel(bot.databasePath, "summer")).toBe(bot.channelId);
  });

  it("given /quorum schedule channel with another workspace's shared channel, it is refused", async () => {
    const reply = await bot.command(olive(), `schedule channel <#${theirs.id}|${theirs.name}>`);
    expect(reply.text).toContain(`"${theirs.id}" is a channel of another server or workspace, not this one.`);
    expect(storedChannel(bot.databasePath, "summer")).toBe(bot.channelId);
  });

  it("given /quorum schedule channel with a channel of the workspace, posts go there from now on", async () => {
    const reply = await bot.command(olive(), "schedule channel C0STUDY");
    expect(reply.text).toContain("Posts for *summer* go to #C0STUDY from now on.");
    expect(storedChannel(bot.databasePath, "summer")).toBe("C0STUDY");
  });

  it("given /quorum schedule channel with a channel's name, the channel's id is stored; a name of no channel is refused", async () => {
    const named = await bot.command(olive(), "schedule channel #general");
    expect(named.text).toContain("Posts for *summer* go to #general from now on.");
    expect(storedChannel(bot.databasePath, "summer")).toBe("C0GENERAL");
    const missing = await bot.command(olive(), "schedule channel #no-such-room");
    expect(missing.text).toContain('I can\'t find a channel "no-such-room" here that I may see.');
    expect(storedChannel(bot.databasePath, "summer")).toBe("C0GENERAL");
    await bot.command(olive(), "schedule channel C0STUDY");
  });

  it("given /quorum cohort create run inside a DM with the app, the cohort has no channel until one is set", async () => {
    // Adrian (an admin), so Olive's own cohort stays summer for the tests after this one.
    const created = await bot.command(bot.fake.user("adrian"), "cohort create autumn 2026-09-07", "D0ADRIAN");
    expect(created.text).toContain("Cohort *autumn* created");
    expect(created.text).toContain("/quorum schedule channel");
    expect(storedChannel(bot.databasePath, "autumn")).toBeNull();
  });

  it("given a stored user id, the scheduled module is not posted to the person: the cohort is paused and its moderator told why", async () => {
    storeChannel(bot.databasePath, "summer", ada().id);
    // Half a minute after week 1's module was due: it is sent on start.
    await bot.restart({ QUORUM_CLOCK_START: "2026-03-09T09:00:30Z" });

    const [notice] = await vi.waitFor(
      () => {
        const found = noticesAboutChannel();
        if (found.length === 0) throw new Error(`No notice yet. The log:\n${bot.log()}`);
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(blocksText(notice?.blocks ?? [])).toContain("I paused summer's schedule");
    expect(bot.fake.directMessagesTo(ada().id)).toEqual([]);
    expect(postsToAda()).toEqual([]);
  });

  it("given a stored user id, /quorum schedule post-now posts nothing to the person and the moderator is told why", async () => {
    const before = noticesAboutChannel().length;
    await bot.command(olive(), "schedule post-now");

    await vi.waitFor(
      () => {
        if (noticesAboutChannel().length <= before) throw new Error(`No notice yet. The log:\n${bot.log()}`);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(bot.fake.directMessagesTo(ada().id)).toEqual([]);
    expect(postsToAda()).toEqual([]);
  });
});
