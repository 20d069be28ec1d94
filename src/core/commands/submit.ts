import { z } from "zod";
import type { Challenge } from "../curriculum/bank.js";
import { problem, success } from "../messages.js";
import type { Actor } from "../ports/identity.js";
import { challengePoints } from "../rules/scoring.js";
import { recordAnswer } from "../services/record-answer.js";
import type { Command } from "./command.js";
import { challengeIdArg, queryArg } from "./practice-args.js";

/** One person on one platform, whatever server they submit from: the sandbox's fairness key. */
const learnerKey = (actor: Actor): string => `${actor.platform}:${actor.userExternalId}`;

const input = z.object({
  id: challengeIdArg("the challenge id"),
  query: queryArg("your query (SQL, a mongosh query, or Redis commands)"),
});

/** What a challenge's query is written in, as the form and the footer name it. */
export function queryLanguage(engine: Challenge["engine"]): string {
  return engine === "mongodb"
    ? "a mongosh query"
    : engine === "redis"
      ? "Redis commands, one per line"
      : "SQL";
}

export const submit = {
  name: "submit",
  summary: "Submit a query for a challenge: it runs in a sandbox and is graded by its result",
  audience: "everyone",
  group: "practice",
  input,
  replies: "private",
  examples: ["/submit store-customer-order-counts SELECT …"],
  form({ id }, ctx) {
    const found =
      id === undefined ? undefined : ctx.curriculum.bank.challenges.find((c) => c.id === id.toLowerCase());
    return found && { title: found.title, label: `Your ${queryLanguage(found.engine)}`, multiline: true };
  },
  async run({ id, query }, ctx) {
    const found = ctx.curriculum.bank.challenges.find((c) => c.id === id.toLowerCase());
    if (!found) {
      if (ctx.curriculum.bank.items.some((i) => i.id === id.toLowerCase())) {
        return problem(`${id} is a quiz question.`, `Answer it with /answer ${id} <choice>.`);
      }
      return problem(`There is no challenge "${id}".`, "See them with /challenge list.");
    }
    const grade = await ctx.grader.grade(found, query, learnerKey(ctx.actor));
    if (grade.verdict === "unavailable") return problem(grade.feedback);

    const now = ctx.clock.now();
    const identity =
      (await ctx.store.identities.find(ctx.actor)) ?? (await ctx.store.identities.ensure(ctx.actor, now));
    const passed = grade.verdict === "pass";
    const recorded = await recordAnswer(
      ctx,
      identity,
      {
        questionId: found.id,
        // The text itself is the learner's work; it is stored for them, never logged.
        response: query.slice(0, 16_384),
        correct: passed,
        ...(grade.verdict === "pass" ? {} : { feedback: grade.feedback.slice(0, 4_096) }),
        eventKey: ctx.eventKey,
        at: now,
      },
      (before) => {
        const { points, firstTry } = challengePoints(found.difficulty, before.attempts);
        return { points, reason: `challenge ${found.id}${firstTry && passed ? " (first try)" : ""}` };
      },
    );
    if (!recorded.stored) {
      return { text: "That submission was already counted." };
    }
    const { before } = recorded;
    const firstTry = before.attempts === 0;
    if (passed) {
      if (!recorded.scored) {
        return success("Correct again. You had already solved this one, so no new points.");
      }
      const total = await ctx.store.answers.totalPoints(identity.member.id);
      return success(
        `Solved! +${recorded.points} points${firstTry ? " (with the first-try bonus)" : ""}, ${total} in all.`,
        { sections: [{ heading: "Why it works", text: found.explanation }] },
      );
    }
    const failures = before.attempts + 1;
    const hint = found.hints[Math.min(failures, found.hints.length) - 1];
    return {
      tone: "warning",
      text: `Not yet. ${grade.feedback}`,
      ...(hint
        ? { sections: [{ heading: `Hint ${Math.min(failures, found.hints.length)}`, text: hint }] }
        : {}),
      footer: before.solved
        ? "You solved this one before."
        : `Attempt ${failures}. Retries are free; the first success scores.`,
    };
  },
} satisfies Command<typeof input>;
