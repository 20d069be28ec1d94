/**
 * Slack HTTP mode on two processes behind a load balancer with no sticky sessions (issue 18, items 3
 * and 8): both bots on one PostgreSQL database and one fake Slack, the fake's signed requests sent
 * to a round-robin balancer in front of them, or straight to one process to pin where they land.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultUsers, type FakeSlack, type FakeSlackUser, formValues } from "../../fakes/slack/index.js";
import { blockAction, slashCommand } from "../../fakes/slack/payloads.js";
import { realCurriculum } from "../../helpers.js";
import { postgresDatabase, type TestDatabase } from "../../postgres/database.js";
import { answerButtons, buttonsIn, type SlackBot, slackMember, startSlackBot } from "../slack-bot.js";
import { auditAnswers, expectAggregatesEqualRebuild, withDatabase } from "./database-checks.js";
import {
  CHALLENGE,
  CLOCK_START,
  playSlackAnswers,
  type ReplyKind,
  readBoards,
  replyKind,
  type SentAnswer,
  type SlackRoute,
  type Step,
  seedSlackSession,
  sessionPlan,
  storedKinds,
} from "./session.js";
import { ask, startTwoSlackBots, type TwoSlackBots } from "./slack-pair.js";

const plan = sessionPlan();
/** The burst and the single-process run start processes and play the whole session: on a busy machine, slow. */
const HEAVY_MS = 90_000;
const users = (): FakeSlackUser[] => [...defaultUsers(), ...plan.map((learner) => slackMember(learner.name))];

/** What a request's replies must say, given what the learner sent (replays answer twice, once "already"). */
function expectedKinds(sent: SentAnswer): ReplyKind[] {
  const { step } = sent;
  if (step.kind === "submit") return [step.passes ? "solved" : "not-yet"];
  const first: ReplyKind = step.retry ? "already" : step.right ? "right" : "wrong";
  return step.send === "replay" ? [first, "already"] : [first];
}

/** The message a reply through a response_url became in the channel. */
function postedReply(fake: FakeSlack, channelId: string, text: string) {
  const found = fake
    .messagesIn(channelId)
    .filter((message) => message.via === "response_url" && message.text === text)
    .at(-1);
  if (!found) throw new Error(`No reply "${text}" in ${channelId}.`);
  return found;
}

describe("Slack on two processes behind a round-robin balancer, one PostgreSQL database", () => {
  let database: TestDatabase;
  let two: TwoSlackBots;
  let route: SlackRoute;
  let sent: SentAnswer[] = [];

  beforeAll(async () => {
    database = await postgresDatabase();
    two = await startTwoSlackBots({
      databaseUrl: database.url,
      users: users(),
      env: { QUORUM_CLOCK_START: CLOCK_START },
    });
    const [bot1, bot2] = two.bots;
    route = {
      fake: two.fake,
      channelId: two.channelId,
      main: two.slack,
      pair: [bot1.slack, bot2.slack],
      atOnce: true,
    };
  }, 60_000);

  afterAll(async () => {
    try {
      await two?.stop();
    } finally {
      await database?.drop();
    }
  });

  it(
    "given a seeded session and a burst of answers over both processes, with replays and doubles sent to both at once, every acknowledged answer is stored once and each question scored at most once",
    async () => {
      await seedSlackSession(route, plan);
      sent = await playSlackAnswers(route, plan);

      // The balancer spread the traffic over both processes, and each process logged no failure.
      expect(two.balancer.routed.bot1).toBeGreaterThan(10);
      expect(two.balancer.routed.bot2).toBeGreaterThan(10);
      expect(two.balancer.failed).toBe(0);
      for (const bot of two.bots) expect(bot.log()).not.toMatch(/"level":(50|60)/);

      for (const answer of sent) expect(answer.statuses.every((status) => status === 200)).toBe(true);
      // Each learner's answer was answered as it should be; of a double, one is stored and the other refused
      // (a quiz) or stored without points (a challenge).
      for (const answer of sent.filter((a) => a.step.send !== "both")) {
        expect(
          answer.replies.map(replyKind).sort(),
          `${answer.learner}: ${answer.replies.join(" | ")}`,
        ).toEqual(expectedKinds(answer).sort());
      }
      // A double is two requests for one step: its two replies are judged together.
      const doubles = new Map<Step, SentAnswer[]>();
      for (const answer of sent.filter((a) => a.step.send === "both")) {
        doubles.set(answer.step, [...(doubles.get(answer.step) ?? []), answer]);
      }
      expect(doubles.size).toBe(
        plan.flatMap((learner) => learner.steps).filter((s) => s.send === "both").length,
      );
      for (const [step, pair] of doubles) {
        const kinds = pair.flatMap((a) => a.replies.map(replyKind)).sort();
        expect(kinds, pair[0]?.learner).toEqual(
          step.kind === "submit" ? ["again", "solved"] : [step.right ? "right" : "wrong", "already"].sort(),
        );
      }

      // Stored once: exactly the acknowledged answers are in the answers table, each under its request's key.
      const acknowledged = sent
        .filter((answer) => answer.replies.some((reply) => storedKinds.has(replyKind(reply))))
        .map((answer) => `slack:${answer.triggerId}`)
        .sort();
      const audit = await auditAnswers(database.url);
      expect(audit.answers.map((row) => row.eventKey).sort()).toEqual(acknowledged);
      expect(new Set(acknowledged).size).toBe(acknowledged.length);
      expect(audit.answersWithoutOneLedgerEntry).toBe(0);
      expect(audit.ledgerWithoutAnswer).toBe(0);
      expect(audit.ledgerDisagreeing).toBe(0);
      // Scored at most once, and each learner's points are the plan's, whichever process took what.
      expect(audit.scoredMoreThanOnce).toBe(0);
      expect(audit.pointsByLearner).toEqual(
        Object.fromEntries(plan.map((learner) => [learner.name, learner.points])),
      );
    },
    HEAVY_MS,
  );

  it("given the burst answered, the aggregates both processes kept equal a rebuild from the ledger", async () => {
    expect(sent.length).toBeGreaterThan(0);
    await expectAggregatesEqualRebuild(database.url);
  });

  it(
    "given the burst answered, the boards and streaks read through either process say the same, and the same as one process on SQLite playing the session in order",
    async () => {
      expect(sent.length).toBeGreaterThan(0);
      const [bot1, bot2] = two.bots;
      const throughFirst = await readBoards(route, bot1.slack, plan);
      const throughSecond = await readBoards(route, bot2.slack, plan);
      expect(throughSecond).toEqual(throughFirst);
      for (const learner of plan) {
        expect(throughFirst["ana: /quorum leaderboard all"]).toContain(
          `${learner.name}* · ${learner.points} pts`,
        );
      }

      // The same session on one process and SQLite, one request after another: replays and doubles
      // there reach the one process in turn and are answered "already" as they would be anywhere.
      let single: SlackBot | undefined;
      try {
        single = await startSlackBot({ users: users(), env: { QUORUM_CLOCK_START: CLOCK_START } });
        const alone: SlackRoute = {
          fake: single.fake,
          channelId: single.channelId,
          main: single.slack,
          pair: [single.slack, single.slack],
          atOnce: false,
        };
        await seedSlackSession(alone, plan);
        await playSlackAnswers(alone, plan);
        expect(await readBoards(alone, single.slack, plan)).toEqual(throughFirst);
      } finally {
        await single?.stop();
      }
    },
    HEAVY_MS,
  );

  it("given the very same signed answer (same trigger_id and signature) delivered to both processes at once, it is stored and scored once", async () => {
    const ada = two.fake.user("ada");
    const quiz = await two.slack.slashCommand({ user: ada, channel: two.channelId, text: "quiz" });
    const [question] = await quiz.responses(1);
    const { right } = answerButtons(question?.body.blocks ?? []);
    const { world, origin } = two.fake.backend;
    const built = blockAction(world, origin, {
      user: ada,
      actionId: right.action_id,
      message: postedReply(two.fake, two.channelId, question?.body.text ?? ""),
    });
    const [bot1, bot2] = two.bots;
    const request = bot1.slack.signed(built.body, built.contentType);
    const answers = await Promise.all([bot1.slack.raw(request), bot2.slack.raw(request)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);

    // The replay guard is the database's: one process takes the request, the other skips it unanswered.
    const responseUrlId = built.responseUrl?.id ?? "";
    const posts = await two.fake.until(() => {
      const posted = two.fake.responses(responseUrlId);
      return posted.length >= 1 ? posted : undefined;
    }, "the reply");
    await two.fake.until(
      () => (two.bots.some((bot) => bot.log().includes("slack replay skipped")) ? true : undefined),
      "one process skipping the copy",
    );
    expect(posts.map((post) => replyKind(post.body.text ?? ""))).toEqual(["right"]);
    expect(two.fake.responses(responseUrlId)).toHaveLength(1);
    const stored = await withDatabase(database.url, async (client) =>
      client.query<{ scored: boolean }>("SELECT scored FROM answers WHERE event_key = $1", [
        `slack:${built.trigger?.id}`,
      ]),
    );
    expect(stored.rows).toEqual([{ scored: true }]);
  });

  it("given the very same signed /quorum schedule post-now delivered to both processes at once, the module is posted once", async () => {
    const olive = two.fake.user("olive");
    const { world, origin } = two.fake.backend;
    const modulePosts = () =>
      two.fake
        .messagesIn(two.channelId)
        .filter((message) => message.via === "chat.postMessage" && /Week \d+ of 20/.test(message.text ?? ""));
    const before = modulePosts().length;
    const skips = () => two.bots.map((bot) => bot.log().split("slack replay skipped").length);
    const skippedBefore = skips();
    const built = slashCommand(world, origin, {
      user: olive,
      channel: two.channelId,
      text: "schedule post-now",
    });
    const [bot1, bot2] = two.bots;
    const request = bot1.slack.signed(built.body, built.contentType);
    const answers = await Promise.all([bot1.slack.raw(request), bot2.slack.raw(request)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);

    await two.fake.until(() => (modulePosts().length > before ? true : undefined), "the module posted");
    await two.fake.until(
      () => (skips().some((n, i) => n > (skippedBefore[i] ?? 0)) ? true : undefined),
      "one process skipping the copy",
    );
    const posted = await withDatabase(database.url, async (client) =>
      client.query<{ n: number }>("SELECT count(*)::int AS n FROM posts WHERE kind = 'manual'"),
    );
    expect(posted.rows).toEqual([{ n: 1 }]);
    expect(modulePosts()).toHaveLength(before + 1);
  });

  it("given a challenge's Submit pressed on process 1, the form it opened is submitted to process 2 and graded there", async () => {
    const [bot1, bot2] = two.bots;
    const grace = two.fake.user("grace");
    const opened = await bot1.slack.slashCommand({
      user: grace,
      channel: two.channelId,
      text: `challenge ${CHALLENGE}`,
    });
    const [task] = await opened.responses(1);
    const submit = buttonsIn(task?.body.blocks ?? []).find((button) =>
      button.action_id.startsWith("quorum:ask:"),
    );
    expect(submit?.value).toBe(`/submit ${CHALLENGE}`);

    const pressed = await bot1.slack.blockAction({
      user: grace,
      actionId: submit?.action_id ?? "",
      message: postedReply(two.fake, two.channelId, task?.body.text ?? ""),
    });
    const form = await pressed.openedView();
    // Typed into the form as written, over several lines.
    const solution = realCurriculum().bank.challenges.find((c) => c.id === CHALLENGE)?.solution ?? "";
    const submitted = await bot2.slack.viewSubmission({
      user: grace,
      view: { id: form.id, callback_id: "quorum:ask", state: formValues(form.view, { text: solution }) },
    });
    expect(submitted.status).toBe(200);
    const graded = await two.fake.waitFor(
      (call) => call.method === "chat.postEphemeral" && call.args.user === grace.id,
    );
    expect(String(graded.args.text)).toMatch(/Solved! \+\d+ points/);
    expect(graded.args.channel).toBe(two.channelId);
    const stored = await withDatabase(database.url, async (client) =>
      client.query("SELECT event_key FROM answers WHERE event_key = $1", [`slack:${submitted.triggerId}`]),
    );
    expect(stored.rowCount).toBe(1);
  });

  it("given a quiz posted by process 1, its answer button pressed on process 2 scores, and a Home tab published by one is served by the other", async () => {
    const [bot1, bot2] = two.bots;
    const adrian = two.fake.user("adrian");
    const quiz = await bot1.slack.slashCommand({ user: adrian, channel: two.channelId, text: "quiz" });
    const [question] = await quiz.responses(1);
    const { right } = answerButtons(question?.body.blocks ?? []);
    const pressed = await bot2.slack.blockAction({
      user: adrian,
      actionId: right.action_id,
      message: postedReply(two.fake, two.channelId, question?.body.text ?? ""),
    });
    const [answered] = await pressed.responses(1);
    expect(answered?.body.text).toMatch(/Right! \+\d+ points/);

    await bot1.slack.appHomeOpened(adrian);
    const home = await two.fake.until(() => two.fake.homeView(adrian.id), "adrian's Home tab");
    const shortcut = buttonsIn((home.blocks as unknown[]) ?? []).find(
      (button) => button.value === "/roadmap",
    );
    expect(shortcut).toBeDefined();
    const publishes = () =>
      two.fake.callsNamed("views.publish").filter((call) => call.args.user_id === adrian.id).length;
    const before = publishes();
    const onHome = await bot2.slack.blockAction({
      user: adrian,
      actionId: shortcut?.action_id ?? "",
      onHome: true,
    });
    expect(onHome.status).toBe(200);
    await two.fake.until(() => (publishes() > before ? true : undefined), "adrian's Home tab refreshed");
  });

  it(
    "given process 2 killed, the balancer sends everything to process 1; restarted on the same database, it takes its turns again",
    async () => {
      const [bot1, bot2] = two.bots;
      const grace = two.fake.user("grace");
      const firstPid = bot2.pid();
      bot2.signal("SIGKILL");
      expect((await bot2.exited()).signal).toBe("SIGKILL");
      const routedTo = () => ({ ...two.balancer.routed });

      const whileDown = routedTo();
      for (let i = 0; i < 4; i++)
        expect((await ask(two.slack, grace, "help", two.channelId)).text).toContain("/quorum");
      expect(routedTo()).toEqual({ bot1: (whileDown.bot1 ?? 0) + 4, bot2: whileDown.bot2 });

      await bot2.start();
      expect(bot2.pid()).not.toBe(firstPid);
      expect(bot2.logs()).toHaveLength(2);
      const afterRestart = routedTo();
      for (let i = 0; i < 4; i++)
        expect((await ask(two.slack, grace, "help", two.channelId)).text).toContain("/quorum");
      expect(routedTo()).toEqual({ bot1: (afterRestart.bot1 ?? 0) + 2, bot2: (afterRestart.bot2 ?? 0) + 2 });
      expect(bot1.alive() && bot2.alive()).toBe(true);
    },
    HEAVY_MS,
  );
});
