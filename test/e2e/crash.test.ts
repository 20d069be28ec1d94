/**
 * Crash safety: the bot killed with SIGKILL in the middle of a burst of answers, at a random point,
 * then started again on the same database. Nothing it acknowledged may be lost or doubled, and the
 * ledger and the aggregates kept beside it must agree with each other.
 * A failing round is replayed with CRASH_SEED=<seed from the suite's name>.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appRoot } from "../../src/paths.js";
import { tempDir } from "../helpers.js";
import { seededRandom } from "../seeded-random.js";
import { runBot, startProcess } from "./bot.js";
import {
  type Answer,
  answerKey,
  answerLine,
  auditStore,
  planAnswers,
  repliesByLine,
  replyKind,
  setupLines,
  startTerminalBurst,
  storedCounts,
} from "./burst.js";

const LEARNERS = 4;
const ANSWERS_PER_LEARNER = 15;
const ROUNDS = 4;
const TOTAL = LEARNERS * ANSWERS_PER_LEARNER;

const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const random = seededRandom(seed);
// Each round kills after a different number of acknowledged answers (0 can land before the database
// exists), then a few milliseconds more so the kill also falls between and inside answers.
const rounds = Array.from({ length: ROUNDS }, (_, round) => {
  const afterAnswers = Math.floor(random() * (TOTAL - 4));
  const extraMs = Math.floor(random() * 30);
  return { round: round + 1, afterAnswers, extraMs, kill: `${afterAnswers} answers and ${extraMs} ms` };
});

const env = { LOG_LEVEL: "warn" };

describe(`the bot killed with SIGKILL during a burst of answers (seed ${seed})`, () => {
  for (const { round, afterAnswers, extraMs, kill } of rounds) {
    it(`round ${round}: killed after ${kill}, a restart keeps every acknowledged answer once and the aggregates equal a rebuild`, async () => {
      const where = `seed ${seed}, killed after ${afterAnswers} answers + ${extraMs} ms`;
      const databasePath = join(tempDir(), "quorum.db");
      const burst = startTerminalBurst({
        databasePath,
        learners: LEARNERS,
        answersPerLearner: ANSWERS_PER_LEARNER,
        env,
      });
      await burst.waitForAcknowledged(afterAnswers);
      await new Promise((resolve) => setTimeout(resolve, extraMs));
      burst.child.kill("SIGKILL");
      const killed = await burst.exited;
      expect(killed.signal, where).toBe("SIGKILL");

      const acknowledged = burst.acknowledged();
      console.log(
        `crash round (${where}): ${acknowledged.length} acknowledged, ${burst.sent().length} sent of ${TOTAL}`,
      );
      // A first answer to a question is always marked right or wrong, as it was meant to be.
      expect(
        acknowledged.map((answer) => answer.reply),
        where,
      ).toEqual(acknowledged.map((answer) => (answer.right ? "right" : "wrong")));

      // The restart joins everyone again (in case the kill came first) and sends what was not acknowledged.
      const seen = new Set(acknowledged.map(answerKey));
      const resent = burst.planned.filter((answer) => !seen.has(answerKey(answer)));
      const lines = [...setupLines(LEARNERS), ...resent.map(answerLine)];
      const restart = await runBot(`${lines.join("\n")}\n`, { DATABASE_PATH: databasePath, ...env });
      expect(restart.stderr, where).not.toMatch(/Quorum stopped|error/i);
      expect(restart.code, where).toBe(0);
      const replies = repliesByLine(restart.stdout, lines).slice(LEARNERS + 1);
      expect(replies, `${where}: a reply to every line sent again`).toHaveLength(resent.length);

      const audit = auditStore(databasePath);
      expect(audit.integrity, where).toBe("ok");
      const counts = storedCounts(audit.answers);
      for (const answer of acknowledged) {
        expect(counts.get(answerKey(answer)), `${where}: ${answerLine(answer)}`).toBe(1);
      }
      // A line sent again was either not stored (and is now), or stored without its reply arriving:
      // then the bot says it was already answered, and how.
      for (const [index, answer] of resent.entries()) {
        const reply = replies[index] ?? "";
        const expected: string[] = [answer.right ? "right" : "wrong", "already"];
        expect(expected, `${where}: ${answerLine(answer)} → ${reply}`).toContain(replyKind(reply));
        if (replyKind(reply) === "already") {
          expect(reply, where).toContain(`(${answer.right ? "right" : "not right"})`);
        }
      }
      // Now every planned answer is stored exactly once, as it was meant, and nothing else.
      const expected = new Map(burst.planned.map((answer: Answer) => [answerKey(answer), answer.right]));
      expect(audit.answers.map((stored) => [answerKey(stored), stored.correct]).sort(), where).toEqual(
        [...expected.entries()].sort(),
      );
      expect(
        [...counts.values()].every((count) => count === 1),
        where,
      ).toBe(true);

      expect(audit.answersWithoutOneLedgerEntry, `${where}: answers without exactly one ledger entry`).toBe(
        0,
      );
      expect(audit.ledgerWithoutAnswer, `${where}: ledger entries without an answer`).toBe(0);
      expect(audit.ledgerDisagreeing, `${where}: ledger entries unlike their answer`).toBe(0);
      expect(audit.rebuilt, `${where}: aggregates against a rebuild`).toEqual(audit.kept);
    }, 60_000);
  }
});

const GROUP_LEARNERS = 8;
const GROUP_ANSWERS = 6;

describe(`the bot killed with SIGKILL inside a group commit (seed ${seed})`, () => {
  // Every learner answers at once, so each transaction holds about one answer per learner; the kill
  // comes while the chosen ledger row is written, after others of the same transaction.
  const killAt =
    GROUP_LEARNERS * (1 + Math.floor(random() * (GROUP_ANSWERS - 2))) + 2 + Math.floor(random() * 5);
  it(`killed while writing ledger row ${killAt}: no answer of the unfinished transaction is stored, every acknowledged one is, once, and the aggregates equal a rebuild`, async () => {
    const where = `seed ${seed}, killed at ledger row ${killAt}`;
    const databasePath = join(tempDir(), "quorum.db");
    const plan = planAnswers(GROUP_LEARNERS, GROUP_ANSWERS);
    const streams = Array.from({ length: GROUP_LEARNERS }, (_, i) =>
      plan.filter((answer) => answer.learner === `learner${i + 1}`),
    );
    const child = startProcess(
      process.execPath,
      ["--import", "tsx", join(appRoot, "test", "e2e", "group-commit-child.ts")],
      { DATABASE_PATH: databasePath, KILL_AT: String(killAt) },
    );
    child.child.stdin.end(
      JSON.stringify({ setup: setupLines(GROUP_LEARNERS), streams: streams.map((s) => s.map(answerLine)) }),
    );
    const run = await child.exited;
    expect(run.signal, `${where}\n${run.stderr}`).toBe("SIGKILL");

    const byLine = new Map(plan.map((answer) => [answerLine(answer), answer]));
    const lines = run.stdout.split("\n");
    const written = lines.filter((line) => line.startsWith("row ")).map((line) => line.slice("row ".length));
    const acknowledged = lines
      .filter((line) => line.startsWith("ack "))
      .map((line) => {
        const [, kind = ""] = line.split(" ");
        const answer = byLine.get(line.slice(`ack ${kind} `.length));
        return { key: answer ? answerKey(answer) : line, kind, right: answer?.right };
      });
    expect(written, where).toHaveLength(killAt);
    // Each reply says right or wrong, as the answer was meant.
    expect(
      acknowledged.map((answer) => answer.kind),
      where,
    ).toEqual(acknowledged.map((answer) => (answer.right ? "right" : "wrong")));

    const audit = auditStore(databasePath);
    expect(audit.integrity, where).toBe("ok");
    const stored = storedCounts(audit.answers);
    for (const answer of acknowledged) expect(stored.get(answer.key), `${where}: ${answer.key}`).toBe(1);
    // Rows written and then lost: the transaction the kill cut short, several answers long.
    const lost = written.filter((key) => !stored.has(key));
    console.log(
      `group-commit crash round (${where}): ${acknowledged.length} acknowledged, ${lost.length} written and rolled back`,
    );
    expect(lost.length, `${where}: answers of the unfinished transaction`).toBeGreaterThanOrEqual(2);
    const acknowledgedKeys = new Set(acknowledged.map((answer) => answer.key));
    for (const key of lost)
      expect(acknowledgedKeys.has(key), `${where}: ${key} acknowledged but lost`).toBe(false);
    expect(
      [...stored.keys()].every((key) => written.includes(key)),
      where,
    ).toBe(true);

    expect(audit.answersWithoutOneLedgerEntry, where).toBe(0);
    expect(audit.ledgerWithoutAnswer, where).toBe(0);
    expect(audit.ledgerDisagreeing, where).toBe(0);
    expect(audit.rebuilt, `${where}: aggregates against a rebuild`).toEqual(audit.kept);
  }, 60_000);
});
