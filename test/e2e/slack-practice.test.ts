/**
 * Practice and progress on the fake Slack: quizzes with their buttons, challenges with their form,
 * streaks, leaderboards and the moderator's stats, with the pictures and files uploaded after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultUsers, directChannelId, type FakeSlackUser, formValues } from "../fakes/slack/index.js";
import { realCurriculum } from "../helpers.js";
import {
  answerButtons,
  buttonsIn,
  pointsOf,
  type SlackBot,
  slackMember,
  solutionOf,
  startSlackBot,
  storedReply,
} from "./slack-bot.js";

const challengeId = "store-customer-order-counts";
const learners = ["quinn", "rhea", "wendy", "avery", "chen", "maya", "sana", "ana", "lena"];

describe("practice and progress on Slack", () => {
  let bot: SlackBot;
  let olive: FakeSlackUser;

  /** A member who joined the cohort, one per test so their points and answers are their own. */
  async function learner(name: string): Promise<FakeSlackUser> {
    const user = bot.fake.user(name);
    const joined = await bot.command(user, "cohort join spring");
    expect(joined.text).toContain("Welcome to *spring*");
    return user;
  }

  /** The upload that shows up once everything before `count` uploads has been announced. */
  function uploadAfter(count: number, named: RegExp) {
    return bot.fake.until(
      () => bot.fake.uploads.slice(count).find((upload) => upload.completed && named.test(upload.filename)),
      `a completed upload named ${named}`,
    );
  }

  beforeAll(async () => {
    bot = await startSlackBot({
      users: [...defaultUsers(), ...learners.map((name) => slackMember(name))],
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" },
    });
    olive = bot.fake.user("olive");
    const created = await bot.command(olive, "cohort create spring 2026-03-02");
    expect(created.text).toContain("Cohort *spring* created");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given /quorum quiz, the question is private with one quorum:run button per choice carrying /answer", async () => {
    const question = await bot.command(await learner("quinn"), "quiz");
    expect(question.post.body.response_type).toBe("ephemeral");
    const buttons = buttonsIn(question.post.body.blocks ?? []);
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    for (const [index, button] of buttons.entries()) {
      expect(button.action_id).toBe(`quorum:run:${index}`);
      expect(button.value).toMatch(/^\/answer [\w-]+ (key:[a-h]|true|false)$/);
    }
  });

  it("given the quiz's right button pressed twice, it scores once, each answer private to the learner", async () => {
    const rhea = await learner("rhea");
    const question = await bot.command(rhea, "quiz");
    const { right } = answerButtons(question.post.body.blocks ?? []);
    const message = storedReply(bot, question);
    expect(message.ephemeralTo).toBe(rhea.id);

    const pressed = await bot.slack.blockAction({ user: rhea, actionId: right.action_id, message });
    expect(pressed.status).toBe(200);
    const [scored] = await pressed.responses(1);
    expect(scored?.body.response_type).toBe("ephemeral");
    const points = /Right! \+(\d+) points/.exec(scored?.body.text ?? "")?.[1];
    expect(Number(points)).toBeGreaterThan(0);
    expect(pointsOf(bot, "rhea")).toBe(Number(points));

    const again = await bot.slack.blockAction({ user: rhea, actionId: right.action_id, message });
    const [repeat] = await again.responses(1);
    expect(repeat?.body.response_type).toBe("ephemeral");
    expect(repeat?.body.text).toContain("You already answered");
    expect(pointsOf(bot, "rhea")).toBe(Number(points));
  });

  it("given a wrong button, it says so and gives the answer, and /quorum review brings the question back", async () => {
    const wendy = await learner("wendy");
    const question = await bot.command(wendy, "quiz");
    const [wrong] = answerButtons(question.post.body.blocks ?? []).wrong;
    if (!wrong) throw new Error("The question has no wrong choice");

    const pressed = await bot.slack.blockAction({
      user: wendy,
      actionId: wrong.action_id,
      message: storedReply(bot, question),
    });
    const [marked] = await pressed.responses(1);
    expect(marked?.body.response_type).toBe("ephemeral");
    expect(marked?.body.text).toMatch(/Not quite: the answer is /);
    expect(marked?.body.text).toContain("It comes back tomorrow in /quorum review");

    const review = await bot.command(wendy, "review");
    expect(review.post.body.response_type).toBe("ephemeral");
    expect(review.text).toContain("Your next review is due");
  });

  it("given /quorum answer typed with the right choice, it scores privately", async () => {
    const avery = await learner("avery");
    const question = await bot.command(avery, "quiz");
    const line = answerButtons(question.post.body.blocks ?? []).right.value ?? "";

    const answered = await bot.command(avery, line.replace(/^\//, ""));
    expect(answered.post.body.response_type).toBe("ephemeral");
    expect(answered.text).toMatch(/^✅ Right! \+\d+ points/);
  });

  it("given /quorum challenge list and /quorum challenge <id>, the task is private with a Submit button that asks", async () => {
    const chen = bot.fake.user("chen");
    const list = await bot.command(chen, "challenge list");
    expect(list.post.body.response_type).toBe("in_channel");
    expect(list.text).toContain(challengeId);

    const opened = await bot.command(chen, `challenge ${challengeId}`);
    expect(opened.post.body.response_type).toBe("ephemeral");
    expect(opened.post.body.blocks?.[0]).toMatchObject({
      text: { text: `Orders per customer, including zero · ${challengeId}` },
    });
    expect(buttonsIn(opened.post.body.blocks ?? [])).toEqual([
      expect.objectContaining({ action_id: "quorum:ask:0", value: `/submit ${challengeId}` }),
    ]);
  });

  it("given the challenge's Submit button, a multiline form opens and what is typed in it is graded, privately", async () => {
    const maya = bot.fake.user("maya");
    const opened = await bot.command(maya, `challenge ${challengeId}`);
    const pressed = await bot.slack.blockAction({
      user: maya,
      actionId: "quorum:ask:0",
      message: storedReply(bot, opened),
    });
    expect(pressed.status).toBe(200);

    const form = await pressed.openedView();
    const [opening] = bot.fake
      .callsNamed("views.open")
      .filter((call) => call.args.trigger_id === pressed.triggerId);
    expect(opening?.answer.ok).toBe(true);
    expect(form.view).toMatchObject({ type: "modal", callback_id: "quorum:ask" });
    const [input] = (form.view.blocks ?? []) as { type: string; element: Record<string, unknown> }[];
    expect(input?.type).toBe("input");
    expect(input?.element).toMatchObject({ type: "plain_text_input", multiline: true });

    // Typed into the form as written, over several lines.
    const typedSolution = realCurriculum().bank.challenges.find((c) => c.id === challengeId)?.solution ?? "";
    expect(typedSolution).toContain("\n");
    const submitted = await bot.slack.viewSubmission({
      user: maya,
      view: {
        id: form.id,
        callback_id: "quorum:ask",
        state: formValues(form.view, { text: typedSolution }),
      },
    });
    expect(submitted.status).toBe(200);
    const graded = await bot.fake.waitFor(
      (call) => call.method === "chat.postEphemeral" && call.args.user === maya.id,
    );
    expect(graded.answer.ok).toBe(true);
    expect(graded.args.channel).toBe(bot.channelId);
    expect(String(graded.args.text)).toMatch(/^✅ Solved! \+\d+ points/);
  });

  it("given /quorum submit with a right SQLite query, the challenge is solved with points, privately", async () => {
    const sana = bot.fake.user("sana");
    const graded = await bot.command(sana, `submit ${challengeId} ${solutionOf(challengeId)}`);
    expect(graded.post.body.response_type).toBe("ephemeral");
    expect(graded.text).toMatch(/^✅ Solved! \+\d+ points \(with the first-try bonus\)/);
    expect(pointsOf(bot, "sana")).toBeGreaterThan(0);
  });

  it("given /quorum streak ana from a moderator, ana's streak comes back privately and its heat-map goes to the moderator's DM", async () => {
    const ana = await learner("ana");
    const question = await bot.command(ana, "quiz");
    await bot.command(ana, (answerButtons(question.post.body.blocks ?? []).right.value ?? "").slice(1));

    const uploaded = bot.fake.uploads.length;
    const streak = await bot.command(olive, "streak ana");
    expect(streak.post.body.response_type).toBe("ephemeral");
    expect(streak.post.body.blocks?.[0]).toMatchObject({ text: { text: "ana's streak · 1 day" } });
    expect(streak.text).toContain("A picture follows");
    const picture = await uploadAfter(uploaded, /^streak-.*\.png$/);
    expect(picture.channelId).toBe(directChannelId(olive.id));

    const own = await bot.command(ana, "streak");
    expect(own.post.body.blocks?.[0]).toMatchObject({ text: { text: "Your streak · 1 day" } });
  });

  it("given /quorum leaderboard week, all and track, the boards answer in the channel with their picture uploaded there", async () => {
    const lena = await learner("lena");
    await bot.command(lena, "track join dba");
    const question = await bot.command(lena, "quiz");
    await bot.command(lena, (answerButtons(question.post.body.blocks ?? []).right.value ?? "").slice(1));
    const points = pointsOf(bot, "lena");

    for (const [board, title, file] of [
      ["leaderboard", "spring · Week 1", /^leaderboard-week-1\.png$/],
      ["leaderboard all", "spring · All time", /^leaderboard-all\.png$/],
      ["leaderboard track", "Database Administrator (DBA)", /^leaderboard-dba\.png$/],
    ] as const) {
      const uploaded = bot.fake.uploads.length;
      const reply = await bot.command(lena, board);
      expect(reply.post.body.response_type).toBe("in_channel");
      expect(reply.text).toContain(title);
      expect(reply.text).toMatch(new RegExp(`\\*lena\\* · ${points} pts ← you`));
      const picture = await uploadAfter(uploaded, file);
      expect(picture.channelId).toBe(bot.channelId);
      expect(picture.bytes?.slice(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    }
  });

  it("given a moderator, /quorum stats answers privately, and stats csv uploads the CSV to their DM", async () => {
    const stats = await bot.command(olive, "stats");
    expect(stats.post.body.response_type).toBe("ephemeral");
    expect(stats.post.body.blocks?.[0]).toMatchObject({ text: { text: "spring · cohort health" } });

    const uploaded = bot.fake.uploads.length;
    const exported = await bot.command(olive, "stats csv");
    expect(exported.post.body.response_type).toBe("ephemeral");
    expect(exported.text).toMatch(/📎 spring-progress-.*\.csv follows\./);
    const csv = await uploadAfter(uploaded, /^spring-progress-.*\.csv$/);
    expect(csv.channelId).toBe(directChannelId(olive.id));
    const rows = new TextDecoder().decode(csv.bytes ?? new Uint8Array()).split("\n");
    expect(rows[0]).toContain(",");
    expect(rows.some((row) => row.includes("rhea"))).toBe(true);
    expect(bot.fake.directMessagesTo(olive.id).some((message) => message.files.length > 0)).toBe(true);
  });
});
