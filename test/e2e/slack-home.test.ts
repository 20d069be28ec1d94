/**
 * The App Home tab on the fake Slack: what a learner sees when they open it, and its buttons, whose
 * answers come in the learner's DM with the app while the tab refreshes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlackUser } from "../fakes/slack/index.js";
import {
  answerButtons,
  blocksText,
  buttonsIn,
  homePublishes,
  type SlackBot,
  startSlackBot,
} from "./slack-bot.js";

describe("the App Home tab on Slack", () => {
  let bot: SlackBot;

  /** Waits for the bot to publish someone's Home tab for the `count`th time, and gives what it says. */
  async function homeAfter(user: FakeSlackUser, count: number): Promise<string> {
    await bot.fake.until(
      () => (homePublishes(bot, user) >= count ? true : undefined),
      `Home tab #${count} of ${user.name}`,
    );
    return blocksText((bot.fake.homeView(user.id)?.blocks ?? []) as unknown[]);
  }

  beforeAll(async () => {
    bot = await startSlackBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given someone Quorum has never seen, the Home tab shows the way in", async () => {
    const adrian = bot.fake.user("adrian");
    const opened = await bot.slack.appHomeOpened(adrian);
    expect(opened.status).toBe(200);

    const home = await homeAfter(adrian, 1);
    expect(home).toContain("*Get started*");
    expect(home).toContain("/quorum cohort join");
    const buttons = buttonsIn((bot.fake.homeView(adrian.id)?.blocks ?? []) as unknown[]);
    expect(buttons.map((button) => button.value)).toEqual(["/cohort info", "/roadmap"]);
  });

  it("given a learner who joined a track and answered, the Home tab shows their cohort, week, track, streak, points and rank", async () => {
    const ada = bot.fake.user("ada");
    expect((await bot.command(bot.fake.user("olive"), "cohort create spring 2026-03-02")).text).toContain(
      "created",
    );
    await bot.command(ada, "cohort join spring");
    await bot.command(ada, "track join dba");
    const question = await bot.command(ada, "quiz");
    const answered = await bot.command(
      ada,
      answerButtons(question.post.body.blocks ?? []).right.value?.slice(1) ?? "",
    );
    const points = /Right! \+(\d+) points/.exec(answered.text)?.[1];
    expect(points).toBeDefined();

    await bot.slack.appHomeOpened(ada);
    const home = await homeAfter(ada, 1);
    expect(bot.fake.homeView(ada.id)?.blocks).toContainEqual({
      type: "header",
      text: { type: "plain_text", text: "ada · spring" },
    });
    expect(home).toContain("*Cohort*\nspring");
    expect(home).toContain("*Week*\n1 of 20: SQL Fundamentals");
    expect(home).toContain("*Track*\nDatabase Administrator (DBA)");
    expect(home).toContain("*Streak*\n1 day, done for today");
    expect(home).toContain(`*Points*\n${points}`);
    expect(home).toMatch(/\*Rank\*\n1 of \d+/);
    const buttons = buttonsIn((bot.fake.homeView(ada.id)?.blocks ?? []) as unknown[]);
    expect(buttons.map((button) => button.value)).toEqual(["/quiz", "/week", "/leaderboard", "/review"]);
  });

  it("given buttons pressed on the Home tab, the answers come in the DM and the tab refreshes with the new points", async () => {
    const grace = bot.fake.user("grace");
    await bot.command(grace, "cohort join spring");
    await bot.slack.appHomeOpened(grace);
    expect(await homeAfter(grace, 1)).toContain("*Points*\n0");

    // "Next question" on the tab: the question arrives in the DM, where its buttons work as anywhere.
    const asked = await bot.slack.blockAction({ user: grace, actionId: "quorum:run:0", onHome: true });
    expect(asked.status).toBe(200);
    expect(asked.responseUrl).toBeNull();
    const question = await bot.fake.until(
      () => bot.fake.directMessagesTo(grace.id).find((message) => buttonsIn(message.blocks).length > 0),
      "a quiz question in grace's DM",
    );
    expect(question.via).toBe("chat.postMessage");
    expect(blocksText(question.blocks)).toMatch(/^Quiz · week 1/);
    await homeAfter(grace, 2);

    const { right } = answerButtons(question.blocks);
    const pressed = await bot.slack.blockAction({
      user: grace,
      actionId: right.action_id,
      message: question,
    });
    const [scored] = await pressed.responses(1);
    expect(scored?.body.text).toMatch(/Right! \+\d+ points/);
    const points = /Right! \+(\d+) points/.exec(scored?.body.text ?? "")?.[1];

    // "Review" on the tab: the answer in the DM, and the tab now counts the points just earned.
    const reviewed = await bot.slack.blockAction({ user: grace, actionId: "quorum:run:3", onHome: true });
    expect(reviewed.status).toBe(200);
    const home = await homeAfter(grace, 3);
    expect(home).toContain(`*Points*\n${points}`);
    expect(home).toMatch(/\*Rank\*\n\d+ of \d+/);
    const review = await bot.fake.until(
      () =>
        bot.fake.directMessagesTo(grace.id).find((message) => message.text.startsWith("Nothing to review")),
      "the review answer in grace's DM",
    );
    expect(review.ephemeralTo).toBeNull();
  });
});
