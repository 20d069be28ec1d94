import { actionFor } from "../commands/action.js";
import { cohortInfo } from "../commands/cohort-info.js";
import type { CommandContext } from "../commands/command.js";
import { leaderboard } from "../commands/leaderboard.js";
import { quiz } from "../commands/quiz.js";
import { review } from "../commands/review.js";
import { roadmap } from "../commands/roadmap.js";
import { week as weekModule } from "../commands/week.js";
import type { Field, Message } from "../messages.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { streakAsOf } from "../rules/streak.js";
import { viewLearner } from "./learner.js";
import { learnerClock } from "./record-answer.js";

const statusWords = {
  none: "not started",
  active: "done for today",
  "at-risk": "at risk: answer something today",
  frozen: "frozen: a freeze covers the gap",
  broken: "ended: start a new one",
} as const;

/**
 * A learner's page at a glance (Slack's App Home): cohort week, track, streak, points and rank.
 * Reads only; someone Quorum has never seen gets the way in.
 */
export async function learnerHome(ctx: Omit<CommandContext, "eventKey">): Promise<Message> {
  const learner = await viewLearner(ctx);
  const { identity, cohort, progress, track } = learner;
  const start: Message = {
    title: "Quorum",
    text:
      "A study group for the 20-week Database & Systems Architect roadmap: weekly modules, quizzes, " +
      "challenges graded by running your query, streaks and leaderboards.",
  };
  if (!identity || !cohort) {
    return {
      ...start,
      fields: [{ name: "Get started", value: "Join your cohort with /cohort join <name>, then try /quiz." }],
      choices: [
        { label: "Cohorts", action: actionFor(cohortInfo, {}) },
        { label: "Roadmap", action: actionFor(roadmap, {}) },
      ],
    };
  }
  const now = ctx.clock.now();
  const { member } = identity;
  const { day } = await learnerClock(ctx, identity, cohort, now);
  const unit = cohort.streakUnit;
  const streak = streakAsOf(await ctx.store.progress.streak(member.id, unit), day, unit);
  const points = await ctx.store.answers.totalPoints(member.id);
  const standing = await ctx.store.progress.standing(cohort.id, { kind: "all" }, member.id);
  const size = await ctx.store.progress.size(cohort.id, { kind: "all" });

  const week =
    progress?.state === "running"
      ? `${progress.week} of ${TOTAL_WEEKS}${progress.paused ? " (paused)" : ""}: ${ctx.curriculum.weeks.find((w) => w.week === progress.week)?.title ?? ""}`
      : progress?.state === "finished"
        ? "finished: all 20 weeks"
        : "not started yet";
  const n = (count: number) => `${count} ${unit}${count === 1 ? "" : "s"}`;
  const fields: Field[] = [
    { name: "Cohort", value: cohort.name, inline: true },
    { name: "Week", value: week, inline: true },
    { name: "Track", value: track ? track.name : "none yet: /track list", inline: true },
    { name: "Streak", value: `${n(streak.current)}, ${statusWords[streak.status]}`, inline: true },
    { name: "Points", value: points.toLocaleString("en-US"), inline: true },
    { name: "Rank", value: standing ? `${standing.rank} of ${size}` : "not on the board yet", inline: true },
  ];
  return {
    title: `${member.displayName} · ${cohort.name}`,
    fields,
    choices: [
      { label: "Next question", style: "primary", action: actionFor(quiz, {}) },
      { label: "This week's module", action: actionFor(weekModule, {}) },
      { label: "Leaderboard", action: actionFor(leaderboard, {}) },
      { label: "Review", action: actionFor(review, {}) },
    ],
    footer: `Longest streak ${n(streak.longest)} · freezes held ${streak.freezes}`,
  };
}
