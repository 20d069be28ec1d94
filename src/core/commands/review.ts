import { z } from "zod";
import { problem, success } from "../messages.js";
import { orderSeed } from "../rules/choice-order.js";
import { afterReview, isLearnt } from "../rules/review.js";
import { describeAnswer, markAnswer } from "../rules/scoring.js";
import { formatInZone } from "../rules/zoned.js";
import { viewLearner } from "../services/learner.js";
import { quizMessage } from "../services/question-message.js";
import { recordAnswer } from "../services/record-answer.js";
import type { Command } from "./command.js";
import { optionalAnswerArg, optionalQuestionIdArg } from "./practice-args.js";

const input = z.object({
  question: optionalQuestionIdArg("the question to answer (from /review)"),
  choice: optionalAnswerArg("your answer"),
});

/** The buttons of a question due for review answer it here, not with /answer. */
const name = "review";

export const review = {
  name,
  summary: "Questions you missed, back by spaced repetition until they stick",
  audience: "everyone",
  group: "practice",
  input,
  replies: "private",
  examples: ["/review", "/review w01-left b"],
  async run({ question, choice }, ctx) {
    const learner = await viewLearner(ctx);
    const member = learner.identity?.member;
    const zone = member?.timezone ?? learner.cohort?.timezone ?? ctx.settings.defaultTimezone;
    const now = ctx.clock.now();
    const items = ctx.curriculum.bank.items;

    if (!question) {
      const due = member && (await ctx.store.reviews.nextDue(member.id, now));
      const item = due && items.find((i) => i.id === due.questionId);
      if (!member || !due || !item) {
        const next = member && (await ctx.store.reviews.earliest(member.id));
        return {
          text: next
            ? `Nothing to review right now. Your next review is due ${formatInZone(next.dueAt, zone)}.`
            : "Nothing to review: questions you miss in /quiz come back here.",
          footer: "/quiz gives you a new question",
        };
      }
      return quizMessage(item, `Review · week ${item.week} · ${item.id}`, orderSeed(ctx.actor), {
        name,
        input,
      });
    }

    const item = items.find((i) => i.id === question.toLowerCase());
    const entry = member && item && (await ctx.store.reviews.get(member.id, item.id));
    if (!item || !member || !entry) {
      return problem(`"${question}" is not in your reviews.`, "/review shows the next question due.");
    }
    if (!choice) return problem("Add your answer after the question id.", `e.g. /review ${item.id} b`);
    const marked = markAnswer(item, choice, orderSeed(ctx.actor));
    if (!marked.ok) return problem(`I can't read "${choice}" as an answer to ${item.id}: ${marked.error}.`);

    // A review answer is an activity and, when right, counts the item as known (no points: it scored once already).
    const recorded =
      learner.identity &&
      (await recordAnswer(
        ctx,
        learner.identity,
        {
          questionId: item.id,
          response: marked.value.response,
          correct: marked.value.correct,
          eventKey: ctx.eventKey,
          at: now,
        },
        { points: 0, reason: `review ${item.id}` },
      ));
    // A replayed event moves the review schedule once, not twice.
    if (recorded && !recorded.stored) {
      return {
        text: `Your answer to ${item.id} was already counted.`,
        footer: "/review for the next one",
      };
    }
    const next = afterReview(entry, marked.value.correct, now);
    const why = [{ heading: "Why", text: item.explanation }];
    if (isLearnt(next)) {
      await ctx.store.reviews.remove(member.id, item.id);
      return success(`Right, and learnt: ${item.id} leaves your reviews.`, {
        sections: why,
        footer: "/review for the next one",
      });
    }
    await ctx.store.reviews.save(member.id, { questionId: item.id, ...next }, now);
    const when = formatInZone(next.dueAt, zone);
    if (marked.value.correct) {
      return success(`Right! It comes back ${when} to make sure it sticks.`, {
        sections: why,
        footer: "/review for the next one",
      });
    }
    return {
      tone: "warning",
      text: `Not quite: the answer is ${describeAnswer(item, orderSeed(ctx.actor))}. It comes back ${when}.`,
      sections: why,
      footer: "/review for the next one",
    };
  },
} satisfies Command<typeof input>;
