import { z } from "zod";
import { problem, success } from "../messages.js";
import { firstReview } from "../rules/review.js";
import { describeAnswer, markAnswer, quizPoints, speedBonus } from "../rules/scoring.js";
import { recordAnswer } from "../services/record-answer.js";
import { shownOrder } from "../services/shown-order.js";
import type { Command } from "./command.js";
import { answerArg, questionIdArg } from "./practice-args.js";

const input = z.object({
  question: questionIdArg("the question id shown with it"),
  choice: answerArg("a letter (b), letters (a,c), true/false, or your words"),
});

export const answer = {
  name: "answer",
  summary: "Answer a quiz question (each counts once)",
  audience: "everyone",
  group: "practice",
  input,
  replies: "private",
  examples: ["/answer w01-joins-left b", "/answer w02-having-short HAVING"],
  async run({ question, choice }, ctx) {
    const { bank } = ctx.curriculum;
    const item = bank.items.find((i) => i.id === question.toLowerCase());
    if (!item) {
      if (bank.challenges.some((c) => c.id === question.toLowerCase())) {
        return problem(`${question} is a challenge.`, `Submit a query with /submit ${question} <query>.`);
      }
      return problem(
        `There is no quiz question "${question}".`,
        "/quiz gives you the next one, with its id.",
      );
    }
    const now = ctx.clock.now();
    const found = await ctx.store.identities.find(ctx.actor);
    // The cohort's open question of the day is read in the channel's order and pays a bonus for a quick right answer.
    const { seed, daily } = await shownOrder(ctx, found?.member.cohortId ?? null, item.id, now);
    const marked = markAnswer(item, choice, seed);
    if (!marked.ok) return problem(`I can't read "${choice}" as an answer to ${item.id}: ${marked.error}.`);

    const identity = found ?? (await ctx.store.identities.ensure(ctx.actor, now));
    const { member } = identity;
    const bonus = daily && marked.value.correct ? speedBonus(daily.deliveredAt, now) : 0;
    const recorded = await recordAnswer(
      ctx,
      identity,
      {
        questionId: item.id,
        response: marked.value.response,
        correct: marked.value.correct,
        eventKey: ctx.eventKey,
        at: now,
      },
      // Quiz questions count once: a second answer, even a concurrent one, is refused in the store's transaction.
      (before) =>
        before.attempts > 0
          ? { refuse: "answered" }
          : {
              points: quizPoints(item.difficulty, marked.value.correct) + bonus,
              reason: daily
                ? `daily question ${item.id}${bonus ? ` (+${bonus} speed)` : ""}`
                : `quiz ${item.id}`,
            },
    );
    if (!recorded.stored) {
      const earlier = recorded.before ? ` (${recorded.before.solved ? "right" : "not right"})` : "";
      return {
        text: `You already answered ${item.id}${earlier}; quiz questions count once.`,
        footer: "/quiz gives you the next one",
      };
    }
    if (!marked.value.correct) {
      await ctx.store.reviews.save(member.id, { questionId: item.id, ...firstReview(now) }, now);
    }
    const total = await ctx.store.answers.totalPoints(member.id);
    const why = [{ heading: "Why", text: item.explanation }];
    if (marked.value.correct) {
      const quick = bonus > 0 ? `, with a +${bonus} speed bonus` : "";
      return success(`Right! +${recorded.points} points${quick} (${total} in all).`, {
        sections: why,
        footer: "Next: /quiz",
      });
    }
    return {
      tone: "warning",
      text: `Not quite: the answer is ${describeAnswer(item, seed)}.`,
      sections: why,
      footer: "It comes back tomorrow in /review. Next: /quiz",
    };
  },
} satisfies Command<typeof input>;
