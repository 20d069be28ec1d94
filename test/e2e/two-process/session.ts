/**
 * The seeded study session the two-process suites play: a cohort, learners joining it and tracks,
 * then each learner's chain of answers (quiz answers right and wrong, retries, challenge
 * submissions failing then passing), some of them replayed or sent twice. The plan is drawn from a
 * fixed seed, so every run, and the single-process reference run, plays the same session.
 *
 * On Slack (`playSlackSession`) the chains run at once through the balancer, with the replays and
 * doubles sent to both processes at once; or one after the other on a single bot.
 */

import type { QuizItem } from "../../../src/core/curriculum/bank.js";
import { basePoints, FIRST_TRY_BONUS } from "../../../src/core/rules/scoring.js";
import type { FakeSlack, FakeSlackUser, SlackSender } from "../../fakes/slack/index.js";
import { blockAction, slashCommand } from "../../fakes/slack/payloads.js";
import { realCurriculum } from "../../helpers.js";
import { seededRandom } from "../../seeded-random.js";
import { answerableItems, choiceFor } from "../burst.js";
import { ask } from "./slack-pair.js";
import type { ChatLines } from "./terminal-pair.js";

/** Every bot of a run starts its clock here: Wednesday of the cohort's week 1, mid-morning UTC. */
export const CLOCK_START = "2026-03-04T10:00:00Z";
export const COHORT = "spring";
export const COHORT_START = "2026-03-02";
/** The seed the plan is drawn from (the first from here whose learners all end on different totals). */
export const PLAN_SEED = 18;

/** How a request reaches the bots: once through the balancer, replayed to both, or sent twice, once to each. */
export type Send = "one" | "replay" | "both";

export type Step =
  | {
      kind: "answer";
      question: string;
      choice: string;
      right: boolean;
      via: "command" | "button";
      send: Send;
      /** A second answer after a wrong one: quiz questions count once, so it is refused. */
      retry?: true;
    }
  | { kind: "submit"; challenge: string; query: string; passes: boolean; send: "one" | "both" };

export interface PlannedLearner {
  name: string;
  track: string | null;
  steps: Step[];
  /** Points the learner ends with, whatever the order the bots took the answers in. */
  points: number;
}

const LEARNERS: readonly { name: string; track: string | null }[] = [
  { name: "ana", track: "dba" },
  { name: "ben", track: "sql-developer" },
  { name: "cal", track: "dba" },
  { name: "dee", track: "sql-developer" },
  { name: "eli", track: null },
  { name: "fay", track: "dba" },
  { name: "gus", track: null },
  { name: "hal", track: "sql-developer" },
];
const ANSWERS_PER_LEARNER = 5;
/** A SQLite challenge: graded in-process by each bot's sandbox, cheap next to the others. */
export const CHALLENGE = "store-customer-order-counts";

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function challengeQueries(): { right: string; wrong: string; difficulty: keyof typeof basePoints } {
  const challenge = realCurriculum().bank.challenges.find((candidate) => candidate.id === CHALLENGE);
  const wrong = challenge?.wrong[0]?.query;
  if (!challenge || !wrong)
    throw new Error(`The curriculum has no challenge ${CHALLENGE} with a wrong query`);
  return { right: oneLine(challenge.solution), wrong: oneLine(wrong), difficulty: challenge.difficulty };
}

/** The plan drawn from one seed. */
function drawPlan(seed: number): PlannedLearner[] {
  const random = seededRandom(seed);
  const pool = answerableItems();
  // A seeded shuffle, then each learner is dealt items of their own.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as QuizItem, pool[i] as QuizItem];
  }
  const challenge = challengeQueries();
  return LEARNERS.map((learner, index) => {
    const steps: Step[] = [];
    let points = 0;
    for (let j = 0; j < ANSWERS_PER_LEARNER; j++) {
      const item = pool[index * ANSWERS_PER_LEARNER + j];
      if (!item) throw new Error("not enough quiz items");
      const right = random() < 0.7;
      // The second and fourth answers of each learner go to both processes: replayed, or sent twice.
      const send: Send = j === 1 || j === 3 ? ((index + (j - 1) / 2) % 2 === 0 ? "replay" : "both") : "one";
      const via = (index + j) % 2 === 0 ? "command" : "button";
      steps.push({ kind: "answer", question: item.id, choice: choiceFor(item, right), right, via, send });
      if (right) points += basePoints[item.difficulty];
      // A wrong answer is tried again with the right choice: quiz questions count once, so it is refused.
      else {
        const retry = {
          question: item.id,
          choice: choiceFor(item, true),
          right: true,
          via,
          retry: true,
        } as const;
        steps.push({ kind: "answer", ...retry, send: "one" });
      }
    }
    // Two learners fail the challenge once and then solve it; two solve it at once, sent to both processes.
    if (learner.name === "ben" || learner.name === "dee") {
      steps.push({
        kind: "submit",
        challenge: CHALLENGE,
        query: challenge.wrong,
        passes: false,
        send: "one",
      });
      steps.push({ kind: "submit", challenge: CHALLENGE, query: challenge.right, passes: true, send: "one" });
      points += basePoints[challenge.difficulty];
    } else if (learner.name === "eli" || learner.name === "gus") {
      steps.push({
        kind: "submit",
        challenge: CHALLENGE,
        query: challenge.right,
        passes: true,
        send: "both",
      });
      points += basePoints[challenge.difficulty] + FIRST_TRY_BONUS;
    }
    return { ...learner, steps, points };
  });
}

/**
 * The session's plan. Boards order learners with equal points by when they got them, which two
 * processes taking answers at once do not keep; so the plan is the first from PLAN_SEED on whose
 * learners all end on different totals, and the boards can be compared whole.
 */
export function sessionPlan(): PlannedLearner[] {
  for (let seed = PLAN_SEED; seed < PLAN_SEED + 1000; seed++) {
    const plan = drawPlan(seed);
    const totals = new Set(plan.map((learner) => learner.points));
    if (totals.size === plan.length && !totals.has(0)) return plan;
  }
  throw new Error("No plan from the seed gives every learner different points.");
}

/** What a bot's reply to an answer says. */
export type ReplyKind = "right" | "wrong" | "already" | "solved" | "not-yet" | "again" | "counted" | "other";

const replyKinds: [ReplyKind, RegExp][] = [
  ["right", /Right! \+\d+ points/],
  ["wrong", /Not quite: the answer is /],
  ["already", /You already answered /],
  ["solved", /Solved! \+\d+ points/],
  ["not-yet", /Not yet\./],
  ["again", /Correct again\./],
  ["counted", /already counted/],
];

export function replyKind(text: string): ReplyKind {
  return replyKinds.find(([, pattern]) => pattern.test(text))?.[0] ?? "other";
}

/** Replies that say the answer was stored: each must match exactly one stored answer. */
export const storedKinds: ReadonlySet<ReplyKind> = new Set(["right", "wrong", "solved", "not-yet", "again"]);

/** One request the session sent with an answer, and the bots' replies to it. */
export interface SentAnswer {
  learner: string;
  step: Step;
  triggerId: string;
  /** HTTP statuses of each delivery (two for a replay). */
  statuses: number[];
  /** The text of each reply posted to the request's response_url. */
  replies: string[];
}

/** Where a session's requests go. */
export interface SlackRoute {
  fake: FakeSlack;
  channelId: string;
  /** One request: through the balancer, or to the single bot. */
  main: SlackSender;
  /** The two processes, for the requests sent to both; the same sender twice on one process. */
  pair: readonly [SlackSender, SlackSender];
  /** Whether requests to both go at once (two processes) or one after the other (one process). */
  atOnce: boolean;
}

/** `send` with each sender: all at once, or one after the other. */
async function withEach<T>(
  senders: readonly SlackSender[],
  atOnce: boolean,
  send: (sender: SlackSender, index: number) => Promise<T>,
): Promise<T[]> {
  if (atOnce) return Promise.all(senders.map(send));
  const results: T[] = [];
  for (const [index, sender] of senders.entries()) results.push(await send(sender, index));
  return results;
}

/** The learner's answer as a request body: `/quorum answer …` typed, or a choice button pressed. */
function answerRequest(route: SlackRoute, user: FakeSlackUser, step: Step) {
  const { world, origin } = route.fake.backend;
  if (step.kind === "submit") {
    return slashCommand(world, origin, {
      user,
      channel: route.channelId,
      text: `submit ${step.challenge} ${step.query}`,
    });
  }
  const line = `answer ${step.question} ${step.choice}`;
  return step.via === "command"
    ? slashCommand(world, origin, { user, channel: route.channelId, text: line })
    : blockAction(world, origin, {
        user,
        actionId: "quorum:run:0",
        channel: route.channelId,
        value: `/${line}`,
      });
}

/** Sends one request to each of `senders` (a replay when there are two), and waits for a reply to each. */
async function deliver(
  route: SlackRoute,
  senders: readonly SlackSender[],
  learner: string,
  user: FakeSlackUser,
  step: Step,
): Promise<SentAnswer> {
  const built = answerRequest(route, user, step);
  if (!built.trigger || !built.responseUrl) throw new Error(`${built.label} has no trigger or response_url`);
  const responseUrlId = built.responseUrl.id;
  const now = Math.floor(Date.now() / 1000);
  const statuses = await withEach(senders, route.atOnce, (sender, index) =>
    // Re-signed for each delivery (a second older), as a replay through another path would be.
    sender
      .raw(sender.signed(built.body, built.contentType, { timestamp: now - index }))
      .then((a) => a.status),
  );
  const posts = await route.fake.until(() => {
    const posted = route.fake.responses(responseUrlId);
    return posted.length >= senders.length ? posted : undefined;
  }, `${senders.length} replies to ${built.label} from ${learner}`);
  return {
    learner,
    step,
    triggerId: built.trigger.id,
    statuses,
    replies: posts.map((post) => post.body.text ?? ""),
  };
}

/** One step of a learner's chain: one request or two, each with its replies. */
async function playStep(route: SlackRoute, learner: string, step: Step): Promise<SentAnswer[]> {
  const user = route.fake.user(learner);
  if (step.send === "one") return [await deliver(route, [route.main], learner, user, step)];
  if (step.send === "replay") return [await deliver(route, route.pair, learner, user, step)];
  // The same answer twice, in two requests of its own: one to each process.
  return withEach(route.pair, route.atOnce, (sender) => deliver(route, [sender], learner, user, step));
}

/** Cohort, joins and tracks, one request after another (through the balancer: alternating processes). */
export async function seedSlackSession(route: SlackRoute, plan: readonly PlannedLearner[]): Promise<void> {
  const expectReply = async (who: string, text: string, says: RegExp) => {
    const reply = await ask(route.main, route.fake.user(who), text, route.channelId);
    if (!says.test(reply.text)) throw new Error(`${who}: /quorum ${text} was answered: ${reply.text}`);
  };
  await expectReply("olive", `cohort create ${COHORT} ${COHORT_START}`, /created/);
  for (const learner of plan) await expectReply(learner.name, `cohort join ${COHORT}`, /Welcome/);
  for (const learner of plan) {
    if (learner.track) await expectReply(learner.name, `track join ${learner.track}`, /\S/);
  }
}

/**
 * Every learner's chain of answers: the chains at once when the route has two processes (each
 * learner's own steps in order, as a person answers), else one chain after the other.
 */
export async function playSlackAnswers(
  route: SlackRoute,
  plan: readonly PlannedLearner[],
): Promise<SentAnswer[]> {
  const chain = async (learner: PlannedLearner) => {
    const sent: SentAnswer[] = [];
    for (const step of learner.steps) sent.push(...(await playStep(route, learner.name, step)));
    return sent;
  };
  if (route.atOnce) return (await Promise.all(plan.map(chain))).flat();
  const sent: SentAnswer[] = [];
  for (const learner of plan) sent.push(...(await chain(learner)));
  return sent;
}

/** The reads whose replies are compared between processes and runs: boards and streaks, per reader. */
export function boardReads(plan: readonly PlannedLearner[]): { reader: string; text: string }[] {
  const readers = [plan[0], plan[1]].filter((learner): learner is PlannedLearner => learner !== undefined);
  return readers.flatMap((learner) => [
    { reader: learner.name, text: "leaderboard" },
    { reader: learner.name, text: "leaderboard week" },
    { reader: learner.name, text: "leaderboard all" },
    { reader: learner.name, text: "leaderboard track" },
    { reader: learner.name, text: "streak" },
  ]);
}

/** The replies to `boardReads`, read one after another with `sender`, keyed "reader: /quorum text". */
export async function readBoards(
  route: Pick<SlackRoute, "fake" | "channelId">,
  sender: SlackSender,
  plan: readonly PlannedLearner[],
): Promise<Record<string, string>> {
  const replies: Record<string, string> = {};
  for (const read of boardReads(plan)) {
    const reply = await ask(sender, route.fake.user(read.reader), read.text, route.channelId);
    replies[`${read.reader}: /quorum ${read.text}`] = reply.text;
  }
  return replies;
}

/** Where a terminal session's lines go: two chats taking turns, or one. */
export interface TerminalRoute {
  chats: readonly [ChatLines, ChatLines] | readonly [ChatLines];
  /** Whether a line for both chats goes to both at once, or one after the other to the one. */
  atOnce: boolean;
}

/** One line a learner said with an answer, and the replies (two when it went to both chats). */
export interface SaidAnswer {
  learner: string;
  step: Step;
  replies: string[];
}

function terminalLine(learner: string, step: Step): string {
  return step.kind === "submit"
    ? `@${learner} /submit ${step.challenge} ${step.query}`
    : `@${learner} /answer ${step.question} ${step.choice}`;
}

/** The chat the `turn`-th line goes to: the two take turns. */
function chatFor(route: TerminalRoute, turn: number): ChatLines {
  const chat = route.chats[turn % route.chats.length];
  if (!chat) throw new Error("A terminal route needs a chat.");
  return chat;
}

/** Says `line` on each chat (at once) or twice on the one chat, and gives both replies. */
async function sayTwice(route: TerminalRoute, line: string): Promise<string[]> {
  const [first, second = first] = route.chats;
  if (route.atOnce) return Promise.all([first.say(line), second.say(line)]);
  return [await first.say(line), await second.say(line)];
}

/** The moderator makes the cohort on the first chat; learners join and pick tracks on both, at once. */
export async function seedTerminalSession(
  route: TerminalRoute,
  plan: readonly PlannedLearner[],
): Promise<void> {
  const expectReply = async (chat: ChatLines, line: string, says: RegExp) => {
    const reply = await chat.say(line);
    if (!says.test(reply)) throw new Error(`${line} was answered: ${reply}`);
  };
  await expectReply(chatFor(route, 0), `/cohort create ${COHORT} ${COHORT_START} UTC`, /created/);
  const join = async (learner: PlannedLearner, index: number) => {
    await expectReply(chatFor(route, index), `@${learner.name} /cohort join ${COHORT}`, /Welcome/);
    if (learner.track)
      await expectReply(chatFor(route, index + 1), `@${learner.name} /track join ${learner.track}`, /\S/);
  };
  if (route.atOnce) await Promise.all(plan.map(join));
  else for (const [index, learner] of plan.entries()) await join(learner, index);
}

/**
 * Every learner's chain of answers, each step on the chat whose turn it is (the learner's own steps
 * in order); a replayed or doubled answer is said on both chats at once. On one chat, one chain after
 * the other and the doubles said twice.
 */
export async function playTerminalAnswers(
  route: TerminalRoute,
  plan: readonly PlannedLearner[],
): Promise<SaidAnswer[]> {
  const chain = async (learner: PlannedLearner, index: number) => {
    const said: SaidAnswer[] = [];
    for (const [turn, step] of learner.steps.entries()) {
      const line = terminalLine(learner.name, step);
      const replies =
        step.send === "one" ? [await chatFor(route, index + turn).say(line)] : await sayTwice(route, line);
      said.push({ learner: learner.name, step, replies });
    }
    return said;
  };
  if (route.atOnce) return (await Promise.all(plan.map(chain))).flat();
  const said: SaidAnswer[] = [];
  for (const [index, learner] of plan.entries()) said.push(...(await chain(learner, index)));
  return said;
}

/** The replies to `boardReads` said on one chat, keyed "@reader /text", with the files they name named alike. */
export async function readTerminalBoards(
  chat: ChatLines,
  filesDir: string,
  plan: readonly PlannedLearner[],
): Promise<Record<string, string>> {
  const replies: Record<string, string> = {};
  for (const read of boardReads(plan)) {
    const line = `@${read.reader} /${read.text}`;
    // A streak picture is named by the learner's row id, which joining on two chats at once may change.
    replies[line] = (await chat.say(line))
      .replaceAll(filesDir, "<files>")
      .replace(/streak-\d+\.png/g, "streak-<id>.png");
  }
  return replies;
}
