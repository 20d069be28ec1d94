import { z } from "zod";
import type { QuizItem } from "../curriculum/bank.js";
import { problem } from "../messages.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { viewLearner } from "../services/learner.js";
import { quizMessage } from "../services/question-message.js";
import { shownOrder } from "../services/shown-order.js";
import type { Command } from "./command.js";
import { weekArg } from "./week-arg.js";

const input = z.object({
  week: weekArg("week number, 1–20 (default: your cohort's week)"),
});

const difficultyOrder = { easy: 0, medium: 1, hard: 2 } as const;

export const quiz = {
  name: "quiz",
  summary: "The next quiz question of your week, shaped by your track",
  audience: "everyone",
  group: "practice",
  input,
  replies: "private",
  examples: ["/quiz", "/quiz 2"],
  async run({ week: requested }, ctx) {
    const learner = await viewLearner(ctx);
    const current = learner.progress?.state === "running" ? learner.progress.week : undefined;
    const week = requested ?? current ?? 1;
    const items = ctx.curriculum.bank.items.filter((item) => item.week === week);
    if (items.length === 0) {
      const weeks = [...new Set(ctx.curriculum.bank.items.map((i) => i.week))].sort((a, b) => a - b);
      return problem(
        `There are no quiz questions for week ${week} yet.`,
        `Weeks with questions: ${weeks.join(", ")} — e.g. /quiz ${weeks[0] ?? 1}`,
      );
    }
    const { space, member } =
      learner.identity ?? (await ctx.store.identities.ensure(ctx.actor, ctx.clock.now()));
    const history = await ctx.store.answers.history(member.id);
    const track = learner.track?.id;
    const fits = (item: QuizItem) =>
      item.tracks.length === 0 || (track !== undefined && item.tracks.includes(track)) ? 0 : 1;
    const next = items
      .filter((item) => !history.has(item.id))
      .sort(
        (a, b) =>
          fits(a) - fits(b) ||
          difficultyOrder[a.difficulty] - difficultyOrder[b.difficulty] ||
          a.id.localeCompare(b.id),
      )[0];
    if (!next) {
      const right = items.filter((item) => history.get(item.id)?.solved).length;
      return {
        text: `You've answered all ${items.length} questions of week ${week} (${right} right).`,
        footer:
          week < TOTAL_WEEKS
            ? `Try /quiz ${week + 1}, or /challenge list for hands-on tasks`
            : "Try /challenge list",
      };
    }
    const now = ctx.clock.now();
    await ctx.store.answers.deliver(space.id, member.id, next.id, week, now);
    const left = items.filter((item) => !history.has(item.id)).length;
    const { seed } = await shownOrder(ctx, member.cohortId, next.id, now);
    return quizMessage(next, `Quiz · week ${week} · ${next.difficulty} · ${left} left · ${next.id}`, seed);
  },
} satisfies Command<typeof input>;
