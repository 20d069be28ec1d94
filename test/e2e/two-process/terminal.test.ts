/**
 * The terminal chat on two processes sharing one PostgreSQL database (issue 18, item 8): both fed
 * their lines at once, learners' answers taking turns between them, doubles said on both.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDatabase, type TestDatabase } from "../../postgres/database.js";
import { auditAnswers, expectAggregatesEqualRebuild } from "./database-checks.js";
import {
  CLOCK_START,
  playTerminalAnswers,
  type ReplyKind,
  readTerminalBoards,
  replyKind,
  type SaidAnswer,
  seedTerminalSession,
  sessionPlan,
  storedKinds,
} from "./session.js";
import { startTwoTerminalBots, type TwoTerminalBots, terminalBot } from "./terminal-pair.js";

const plan = sessionPlan();
/** The burst and the single-process run start processes and play the whole session: on a busy machine, slow. */
const HEAVY_MS = 90_000;
const clock = { QUORUM_CLOCK_START: CLOCK_START };

/** What a line's replies say: a double is answered once and refused (a quiz) or not scored (a challenge) once. */
function expectedKinds(said: SaidAnswer): ReplyKind[] {
  const { step } = said;
  if (step.kind === "submit") {
    const first: ReplyKind = step.passes ? "solved" : "not-yet";
    return step.send === "one" ? [first] : [first, "again"];
  }
  const first: ReplyKind = step.retry ? "already" : step.right ? "right" : "wrong";
  return step.send === "one" ? [first] : [first, "already"];
}

describe("terminal chats on two processes, one PostgreSQL database", () => {
  let database: TestDatabase;
  let two: TwoTerminalBots;
  let said: SaidAnswer[] = [];

  beforeAll(async () => {
    database = await postgresDatabase();
    two = await startTwoTerminalBots({ databaseUrl: database.url, env: clock });
  });

  afterAll(async () => {
    try {
      await two?.stop();
    } finally {
      await database?.drop();
    }
  });

  it(
    "given interleaved scripts fed to both chats at once, every answered line is stored once and each question scored at most once",
    async () => {
      const [bot1, bot2] = two.bots;
      const route = { chats: [bot1.lines(), bot2.lines()] as const, atOnce: true };
      await seedTerminalSession(route, plan);
      said = await playTerminalAnswers(route, plan);

      for (const answer of said) {
        expect(
          answer.replies.map(replyKind).sort(),
          `${answer.learner}: ${answer.replies.join(" | ")}`,
        ).toEqual(expectedKinds(answer).sort());
      }
      // Every reply saying an answer was taken is one stored answer of that learner and question.
      const replied = said.flatMap((answer) =>
        answer.replies
          .filter((reply) => storedKinds.has(replyKind(reply)))
          .map(
            () =>
              `${answer.learner} ${answer.step.kind === "submit" ? answer.step.challenge : answer.step.question}`,
          ),
      );
      const audit = await auditAnswers(database.url, "terminal");
      expect(audit.answers.map((row) => `${row.learner} ${row.question}`).sort()).toEqual(replied.sort());
      expect(audit.answersWithoutOneLedgerEntry).toBe(0);
      expect(audit.ledgerWithoutAnswer).toBe(0);
      expect(audit.ledgerDisagreeing).toBe(0);
      expect(audit.scoredMoreThanOnce).toBe(0);
      expect(audit.pointsByLearner).toEqual(
        Object.fromEntries(plan.map((learner) => [learner.name, learner.points])),
      );
      for (const bot of two.bots) expect(bot.process.log()).toBe("");
    },
    HEAVY_MS,
  );

  it("given the chats answered, the aggregates they kept equal a rebuild from the ledger", async () => {
    expect(said.length).toBeGreaterThan(0);
    await expectAggregatesEqualRebuild(database.url);
  });

  it(
    "given the chats answered, the boards and streaks read from either chat say the same, and the same as one chat on SQLite playing the session in order",
    async () => {
      expect(said.length).toBeGreaterThan(0);
      const [bot1, bot2] = two.bots;
      const fromFirst = await readTerminalBoards(bot1.lines(), bot1.filesDir, plan);
      const fromSecond = await readTerminalBoards(bot2.lines(), bot2.filesDir, plan);
      expect(fromSecond).toEqual(fromFirst);
      for (const learner of plan) {
        expect(fromFirst["@ana /leaderboard all"]).toMatch(
          new RegExp(`${learner.name}\\b.* ${learner.points} pts`),
        );
      }

      const folder = mkdtempSync(join(tmpdir(), "quorum-one-terminal-"));
      const single = terminalBot("bot1", folder, clock);
      try {
        await single.process.start();
        const route = { chats: [single.lines()] as const, atOnce: false };
        await seedTerminalSession(route, plan);
        await playTerminalAnswers(route, plan);
        expect(await readTerminalBoards(single.lines(), single.filesDir, plan)).toEqual(fromFirst);
      } finally {
        await single.process.stop();
        rmSync(folder, { recursive: true, force: true });
      }
    },
    HEAVY_MS,
  );
});
