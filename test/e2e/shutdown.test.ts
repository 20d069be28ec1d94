/**
 * Graceful shutdown: SIGTERM in the middle of a burst of answers, in the terminal chat and on Slack
 * in HTTP mode. The bot exits 0 within the 10 s deadline, and every answer it acknowledged is stored,
 * once; work that arrives after the signal is turned away whole ("Quorum is restarting", or refused
 * at the connection), never half stored. The database is read after the exit.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultUsers, type FakeSlack, type SentInteraction } from "../fakes/slack/index.js";
import { tempDir } from "../helpers.js";
import type { Run } from "./bot.js";
import {
  type Answer,
  answerKey,
  answerLine,
  auditStore,
  planAnswers,
  type StoreAudit,
  startTerminalBurst,
  storedCounts,
} from "./burst.js";
import { type SlackBot, slackMember, startSlackBot } from "./slack-bot.js";

/** The bot's promise: everything done and closed within 10 s of SIGTERM. */
const DEADLINE_MS = 10_000;
/** For the test's own side: noticing the exit, on a machine shared with other suites. */
const SLACK_MS = 1_000;

/** Sends SIGTERM and measures how long the process takes to be gone. */
async function terminate(child: { kill(signal: NodeJS.Signals): boolean }, exited: Promise<Run>) {
  const signalled = performance.now();
  child.kill("SIGTERM");
  const run = await exited;
  return { run, exitMs: performance.now() - signalled };
}

/** Ledger, aggregates and file agree with the answers: nothing is half written. */
function expectWholeStore(audit: StoreAudit): void {
  expect(audit.integrity).toBe("ok");
  expect(audit.answersWithoutOneLedgerEntry, "answers without exactly one ledger entry").toBe(0);
  expect(audit.ledgerWithoutAnswer, "ledger entries without an answer").toBe(0);
  expect(audit.ledgerDisagreeing, "ledger entries unlike their answer").toBe(0);
  expect(audit.rebuilt, "aggregates against a rebuild from the ledger").toEqual(audit.kept);
}

describe("SIGTERM in the terminal chat, during a burst of answers", () => {
  it("given SIGTERM mid-burst, finishes the line it is on, exits 0 within 10 s, and has stored exactly the answers it replied to", async () => {
    const databasePath = join(tempDir(), "quorum.db");
    const burst = startTerminalBurst({ databasePath, learners: 4, answersPerLearner: 15 });
    await burst.waitForAcknowledged(20);
    const { run, exitMs } = await terminate(burst.child, burst.exited);
    expect(run.stderr).not.toMatch(/Quorum stopped|shutdown (did not finish|failed)/);
    expect(run.code).toBe(0);
    expect(exitMs).toBeLessThan(DEADLINE_MS + SLACK_MS);

    const acknowledged = burst.acknowledged();
    console.log(
      `terminal shutdown in ${Math.round(exitMs)} ms: ${acknowledged.length} acknowledged, ${burst.sent().length} sent`,
    );
    const done = acknowledged.filter((answer) => answer.reply === "right" || answer.reply === "wrong");
    // Turned away, if the signal came between reading a line and starting on it.
    const turnedAway = acknowledged.filter((answer) => answer.reply === "restarting");
    expect(done.length + turnedAway.length, burst.stdout()).toBe(acknowledged.length);
    for (const answer of done)
      expect(answer.reply, answerLine(answer)).toBe(answer.right ? "right" : "wrong");
    // Once one line is turned away, so is every line after it.
    const firstTurnedAway = acknowledged.findIndex((answer) => answer.reply === "restarting");
    if (firstTurnedAway >= 0) {
      expect(acknowledged.slice(firstTurnedAway).map((answer) => answer.reply)).toEqual(
        acknowledged.slice(firstTurnedAway).map(() => "restarting"),
      );
    }

    const audit = auditStore(databasePath);
    expectWholeStore(audit);
    // Stored ⇔ replied to: the line in hand is finished (and answered), nothing after it is started.
    expect(audit.answers.map((stored) => [answerKey(stored), stored.correct]).sort()).toEqual(
      done.map((answer) => [answerKey(answer), answer.right]).sort(),
    );
    expect([...storedCounts(audit.answers).values()].every((count) => count === 1)).toBe(true);
    expect(done.length).toBeLessThan(burst.planned.length);
  }, 60_000);
});

/** One `/quorum answer` sent, and what came of it. */
interface SlackAttempt {
  answer: Answer;
  /** Sent after the bot logged that it had the signal. */
  afterSignal: boolean;
  /** The HTTP status of the bot's acknowledgement; undefined when the request did not get through. */
  status?: number;
  refused?: string;
  sent?: SentInteraction;
}

type SlackOutcome = "right" | "wrong" | "already" | "restarting" | "no reply" | "refused" | "other";

function slackOutcome(fake: FakeSlack, attempt: SlackAttempt): SlackOutcome {
  if (attempt.refused !== undefined || attempt.status !== 200) return "refused";
  const text = fake.responses(attempt.sent?.responseUrlId ?? "")[0]?.body.text;
  if (text === undefined) return "no reply";
  if (/Right! \+\d+ points/.test(text)) return "right";
  if (/Not quite: the answer is /.test(text)) return "wrong";
  if (/You already answered /.test(text)) return "already";
  if (/Quorum is restarting, so that was not done\./.test(text)) return "restarting";
  return "other";
}

describe("SIGTERM on Slack in HTTP mode, during a burst of answers", () => {
  let slackBot: SlackBot | undefined;
  afterEach(async () => {
    await slackBot?.stop();
    slackBot = undefined;
  });

  it("given SIGTERM while answers keep coming, exits 0 within 10 s, stores every acknowledged answer once, and turns later ones away whole", async () => {
    const learners = 6;
    const plan = planAnswers(learners, 30);
    const names = Array.from({ length: learners }, (_, i) => `learner${i + 1}`);
    slackBot = await startSlackBot({ users: [...defaultUsers(), ...names.map((name) => slackMember(name))] });
    const { fake, slack, databasePath } = slackBot;
    const bot = slackBot.running();
    const channel = fake.channels[0]?.id ?? "";
    const say = async (name: string, text: string) => {
      const sent = await slack.slashCommand({ user: fake.user(name), channel, text });
      const [reply] = await sent.responses(1);
      return reply?.body.text ?? "";
    };
    const start = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    expect(await say("olive", `cohort create spring ${start}`)).toContain("created");
    for (const name of names) expect(await say(name, "cohort join spring")).toContain("Welcome");

    // Four learners' answers in flight at a time, until the bot is gone and has refused a few.
    const attempts: SlackAttempt[] = [];
    let next = 0;
    let gone = false;
    let sentAfterExit = 0;
    const signalled = () => bot.log.includes('"signal received"') || bot.log.includes('"signal":"SIGTERM"');
    const worker = async () => {
      while (next < plan.length && sentAfterExit < 4) {
        const answer = plan[next++];
        if (!answer) break;
        const attempt: SlackAttempt = { answer, afterSignal: signalled() };
        attempts.push(attempt);
        if (gone) sentAfterExit++;
        try {
          const user = fake.user(answer.learner);
          attempt.sent = await slack.slashCommand({
            user,
            channel,
            text: `answer ${answer.question} ${answer.choice}`,
          });
          attempt.status = attempt.sent.status;
        } catch (error) {
          attempt.refused = (error as Error).message;
          // Refusals come back at once; a breath between them keeps the plan from running out first.
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);
    const exitedAt = bot.exited.then((run) => {
      gone = true;
      return run;
    });

    await fake.until(
      () =>
        fake.received.filter((entry) => entry.kind === "response").length >= 1 + learners + 25
          ? true
          : undefined,
      "25 answers replied to",
    );
    const { run, exitMs } = await terminate(bot.bot.child, exitedAt);
    await workers;
    expect(run.stderr).not.toMatch(/"level":[56]0/);
    expect(run.code).toBe(0);
    expect(exitMs).toBeLessThan(DEADLINE_MS + SLACK_MS);

    const outcomes = attempts.map((attempt) => ({
      ...attempt,
      outcome: slackOutcome(fake, attempt),
    }));
    const tally = (list: typeof outcomes) =>
      list.reduce<Record<string, number>>((counts, { outcome }) => {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        return counts;
      }, {});
    console.log(
      `slack shutdown in ${Math.round(exitMs)} ms; before the signal: ${JSON.stringify(tally(outcomes.filter((o) => !o.afterSignal)))}; after: ${JSON.stringify(tally(outcomes.filter((o) => o.afterSignal)))}`,
    );

    const audit = auditStore(databasePath, "slack");
    expectWholeStore(audit);
    const idOf = new Map(names.map((name) => [name, slackMember(name).id]));
    const counts = storedCounts(audit.answers);
    const storedTimes = (answer: Answer) =>
      counts.get(answerKey({ learner: idOf.get(answer.learner) ?? "", question: answer.question })) ?? 0;
    const correctness = new Map(audit.answers.map((stored) => [answerKey(stored), stored.correct]));

    for (const attempt of outcomes) {
      const what = `${answerLine(attempt.answer)} (${attempt.afterSignal ? "after" : "before"} the signal): ${attempt.outcome}${attempt.refused ? ` ${attempt.refused}` : ""}`;
      // Each answer is sent once: never stored twice, and never answered as a repeat.
      expect(storedTimes(attempt.answer), what).toBeLessThanOrEqual(1);
      expect(["right", "wrong", "restarting", "no reply", "refused"], what).toContain(attempt.outcome);
      if (attempt.outcome === "right" || attempt.outcome === "wrong") {
        // Acknowledged: its reply reached Slack, so it is stored, marked as the reply said.
        expect(attempt.outcome, what).toBe(attempt.answer.right ? "right" : "wrong");
        expect(storedTimes(attempt.answer), what).toBe(1);
        const key = answerKey({
          learner: idOf.get(attempt.answer.learner) ?? "",
          question: attempt.answer.question,
        });
        expect(correctness.get(key), what).toBe(attempt.answer.right);
      }
      if (attempt.outcome === "restarting") expect(storedTimes(attempt.answer), what).toBe(0);
      if (attempt.afterSignal) {
        // Arrived once shutdown had begun: turned away whole, with a reply or at the connection.
        expect(["restarting", "refused"], what).toContain(attempt.outcome);
        expect(storedTimes(attempt.answer), what).toBe(0);
      }
    }
    expect(outcomes.filter((attempt) => attempt.afterSignal).length).toBeGreaterThan(0);
    // Nothing is stored that was not sent.
    expect(audit.answers.length).toBeLessThanOrEqual(attempts.length);
  }, 60_000);
});
