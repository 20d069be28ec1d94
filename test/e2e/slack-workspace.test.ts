/**
 * The bot in a Slack workspace: who may moderate (admins, owners and the members SLACK_MODERATORS
 * lists), the posts it makes into a cohort's channel by itself, and channels it was not added to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultChannels, directChannelId } from "../fakes/slack/index.js";
import { answerButtons, blocksText, buttonsIn, type SlackBot, startSlackBot } from "./slack-bot.js";

describe("moderator commands on Slack", () => {
  let bot: SlackBot;

  beforeAll(async () => {
    bot = await startSlackBot({
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z", SLACK_MODERATORS: "U0GRACE" },
    });
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given the workspace owner, /quorum cohort create is allowed", async () => {
    const created = await bot.command(bot.fake.user("olive"), "cohort create spring 2026-03-02");
    expect(created.post.body.response_type).toBe("in_channel");
    expect(created.text).toContain("Cohort *spring* created");
  });

  it("given a member who is not an admin, moderator commands are refused privately and change nothing", async () => {
    const ada = bot.fake.user("ada");
    await bot.command(ada, "cohort join spring");
    for (const [line, command] of [
      ["schedule pause", "schedule pause"],
      ["stats", "stats"],
      ["cohort create autumn", "cohort create"],
    ] as const) {
      const refused = await bot.command(ada, line);
      expect(refused.post.body.response_type).toBe("ephemeral");
      expect(refused.text).toBe(
        `❌ /quorum ${command} is for moderators.\nAsk a moderator of this server to run it.`,
      );
    }
    const shown = await bot.command(ada, "schedule show");
    expect(shown.text).toContain("The cohort is in week 1 of 20");
    expect(shown.text).not.toMatch(/paused/i);
  });

  it("given a workspace admin, /quorum schedule pause and resume are allowed", async () => {
    const adrian = bot.fake.user("adrian");
    await bot.command(adrian, "cohort join spring");
    expect((await bot.command(adrian, "schedule pause")).text).toContain("Paused *spring*");
    expect((await bot.command(adrian, "schedule resume")).text).toContain("Resumed *spring*");
  });

  it("given a member listed in SLACK_MODERATORS, /quorum stats is allowed", async () => {
    const grace = bot.fake.user("grace");
    await bot.command(grace, "cohort join spring");
    const stats = await bot.command(grace, "stats");
    expect(stats.post.body.response_type).toBe("ephemeral");
    expect(stats.post.body.blocks?.[0]).toMatchObject({ text: { text: "spring · cohort health" } });
  });
});

describe("posts the bot makes in the cohort channel on Slack", () => {
  let bot: SlackBot;

  /** What the bot posted into the channel by itself, leaving out replies to commands and buttons. */
  const postsIn = (channelId: string) =>
    bot.fake.messagesIn(channelId).filter((message) => message.via === "chat.postMessage");

  beforeAll(async () => {
    // An hour before the question of the day this describe sets up for 11:00.
    bot = await startSlackBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
    const created = await bot.command(bot.fake.user("olive"), "cohort create autumn 2026-03-02");
    expect(created.text).toContain("Cohort *autumn* created");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given /quorum schedule post-now, the module is posted to the channel with blocks and a row of link buttons", async () => {
    const { fake, channelId } = bot;
    const reply = await bot.command(fake.user("olive"), "schedule post-now");
    expect(reply.post.body.response_type).toBe("ephemeral");
    expect(reply.text).toContain(`Posting week 1's module to <#${channelId}> now.`);

    const posted = await fake.waitFor(
      (call) => call.method === "chat.postMessage" && call.args.channel === channelId,
    );
    expect(posted.answer.ok).toBe(true);
    const [post] = postsIn(channelId);
    if (!post) throw new Error("The module is not in the channel");
    expect(post.ephemeralTo).toBeNull();
    expect(post.blocks[0]).toMatchObject({
      type: "header",
      text: { text: expect.stringMatching(/^Week 1 of 20 · /) },
    });
    expect(blocksText(post.blocks)).toContain("*autumn*, a new week starts.");
    const links = buttonsIn(post.blocks);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.action_id).toMatch(/^link:\d+$/);
      expect(link.url).toMatch(/^https:\/\//);
    }
  });

  it("given a link button on the module pressed, the press is acknowledged and nothing is answered", async () => {
    const { fake, channelId } = bot;
    const [post] = postsIn(channelId);
    if (!post) throw new Error("The module is not in the channel");
    const ada = fake.user("ada");
    const pressed = await bot.slack.blockAction({ user: ada, actionId: "link:0", message: post });
    expect(pressed.status).toBe(200);

    // A command after it, answered: by then an answer to the press would have been sent too.
    await bot.command(ada, "help");
    expect(fake.responses(pressed.responseUrlId ?? "")).toEqual([]);
    expect(pressed.laterCalls().filter((call) => call.method.startsWith("chat."))).toEqual([]);
  });

  it("given a question of the day that comes due while the bot is down, it is posted on start and each member's press is answered privately", async () => {
    const { fake, channelId } = bot;
    const daily = await bot.command(fake.user("olive"), "schedule daily 11:00");
    expect(daily.text).toContain("Question of the day for *autumn*");

    // Back half a minute after 11:00: the question missed while the bot was down is posted on start.
    await bot.restart({ QUORUM_CLOCK_START: "2026-03-04T11:00:30Z" });
    const question = await fake.until(
      () => postsIn(channelId).find((post) => blocksText(post.blocks).startsWith("Question of the day")),
      "the question of the day in the channel",
    );
    expect(question.ephemeralTo).toBeNull();
    const { right, wrong } = answerButtons(question.blocks);
    const [firstWrong] = wrong;
    if (!firstWrong) throw new Error("The question has no wrong choice");

    const ada = fake.user("ada");
    const grace = fake.user("grace");
    const adaPress = await bot.slack.blockAction({ user: ada, actionId: right.action_id, message: question });
    const gracePress = await bot.slack.blockAction({
      user: grace,
      actionId: firstWrong.action_id,
      message: question,
    });
    const [adaReply] = await adaPress.responses(1);
    const [graceReply] = await gracePress.responses(1);
    expect(adaReply?.body.response_type).toBe("ephemeral");
    expect(adaReply?.body.replace_original).toBe(false);
    expect(adaReply?.body.text).toMatch(/Right! \+\d+ points/);
    expect(graceReply?.body.response_type).toBe("ephemeral");
    expect(graceReply?.body.text).toMatch(/Not quite: the answer is /);
    // The question itself stays as posted, for the next member to press.
    const now = fake.messagesIn(channelId).find((message) => message.ts === question.ts);
    expect(now?.edited).toBe(false);
    expect(now?.blocks).toEqual(question.blocks);
  });
});

describe("a channel the app was not added to on Slack", () => {
  let bot: SlackBot;
  const lounge = { id: "C0LOUNGE", name: "lounge", botIsMember: false };

  beforeAll(async () => {
    bot = await startSlackBot({
      channels: [...defaultChannels(), lounge],
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" },
    });
    const created = await bot.command(bot.fake.user("olive"), "cohort create winter 2026-03-02");
    expect(created.text).toContain("Cohort *winter* created");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given /quorum leaderboard there, the board answers in it and its picture goes to the asker's DM, without an error", async () => {
    const ada = bot.fake.user("ada");
    await bot.command(ada, "cohort join winter");
    const question = await bot.command(ada, "quiz");
    await bot.command(ada, (answerButtons(question.post.body.blocks ?? []).right.value ?? "").slice(1));

    const board = await bot.command(ada, "leaderboard all", lounge);
    expect(board.post.body.response_type).toBe("in_channel");
    expect(board.text).toMatch(/\*ada\* · \d+ pts ← you/);
    const picture = await bot.fake.until(
      () => bot.fake.uploads.find((upload) => upload.completed && upload.filename === "leaderboard-all.png"),
      "the leaderboard picture, shared",
    );
    expect(picture.channelId).toBe(directChannelId(ada.id));

    await bot.command(ada, "help");
    expect(bot.fake.responses(board.sent.responseUrlId ?? "").map((post) => post.body.text)).toEqual([
      board.post.body.text,
    ]);
  });
});
