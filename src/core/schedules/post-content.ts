import type { QuizItem } from "../curriculum/bank.js";
import { findWeek } from "../curriculum/query.js";
import type { Curriculum } from "../curriculum/schema.js";
import type { Message } from "../messages.js";
import type { Cohort, CohortSummary } from "../ports/cohorts.js";
import type { Post, PostKind } from "../ports/posts.js";
import { dailyOrderSeed } from "../rules/choice-order.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { describeAnswer, showResponse } from "../rules/scoring.js";
import { formatInZone } from "../rules/zoned.js";
import { quizMessage } from "../services/question-message.js";

/** The week's post to the cohort channel: what it covers and where to read on, not the whole module. */
export function modulePost(curriculum: Curriculum, cohort: Cohort, week: number): Message {
  const module = findWeek(curriculum, week);
  if (!module) return { title: `Week ${week}`, text: `Week ${week} starts for **${cohort.name}**.` };
  const twoLanes = module.lanes.length > 1;
  return {
    title: `Week ${week} of ${TOTAL_WEEKS} · ${module.title}`,
    text: `**${cohort.name}**, a new week starts. ${module.summary}`,
    sections: module.lanes.map((lane) => ({
      heading: twoLanes
        ? `${lane.lane === "postgres" ? "PostgreSQL" : "NoSQL"} lane · ${lane.title}`
        : lane.title,
      text: [
        ...lane.topics.map(
          (topic) => `- ${topic.title}${topic.deepDive ? ` · deep dive: /week ${week} ${topic.id}` : ""}`,
        ),
        `- Hands-on: *${lane.exercise.title}*`,
      ].join("\n"),
    })),
    links: module.lanes.flatMap((lane) =>
      lane.links.slice(0, 2).map((l) => ({ label: l.title, url: l.url })),
    ),
    progress: { current: week, total: TOTAL_WEEKS, label: cohort.name },
    footer: `Read the whole module with /week ${week}${twoLanes ? ` (or /week ${week} nosql)` : ""}`,
  };
}

export function reminderPost(curriculum: Curriculum, cohort: Cohort, week: number): Message {
  const module = findWeek(curriculum, week);
  const exercises =
    module?.lanes.map((lane) => `*${lane.exercise.title}*`).join(" or ") ?? "this week's exercise";
  return {
    title: `Check-in · week ${week}${module ? ` · ${module.title}` : ""}`,
    text: `How is week ${week} going, **${cohort.name}**? If you haven't started the hands-on part yet, now is a good time: ${exercises}.`,
    footer: `The module: /week ${week}`,
  };
}

export function wrapUpPost(
  cohort: Cohort,
  summary: CohortSummary,
  trackName: (id: string) => string,
): Message {
  return {
    title: `${cohort.name} finished the roadmap`,
    text:
      `Twenty weeks, from the first SELECT to systems that survive failures. ` +
      `Well done, **${cohort.name}**: ${summary.memberCount} ${summary.memberCount === 1 ? "learner" : "learners"} made it here.`,
    fields: summary.tracks.length
      ? [
          {
            name: "Tracks",
            value: summary.tracks.map((t) => `${trackName(t.trackId)}: ${t.members}`).join("\n"),
          },
        ]
      : [],
    progress: { current: TOTAL_WEEKS, total: TOTAL_WEEKS, label: `${cohort.name} complete` },
    footer: "Keep going with a project from the roadmap, or revisit any week with /week <n>",
  };
}

const postKindLabel: Record<PostKind, string> = {
  module: "weekly module",
  reminder: "reminder",
  "wrap-up": "wrap-up",
  manual: "module (posted by hand)",
  "daily-question": "daily question",
  "daily-results": "daily question's results",
  leaderboard: "weekly leaderboard",
};

/**
 * The moderator's private word when a post is given up: paused (the channel is the problem) or
 * retried out. The wrap-up counts as week 21 inside; it is shown as the roadmap's last week.
 */
export function givenUpNotice(post: Post, cohort: Cohort, reason: string, paused: boolean): Message {
  const what = `the ${postKindLabel[post.kind]} for week ${Math.min(post.week, TOTAL_WEEKS)} (due ${formatInZone(post.dueAt, cohort.timezone)})`;
  return {
    tone: "warning",
    title: `Posts for ${cohort.name} ${paused ? "are paused" : "need a look"}`,
    text: paused
      ? `I couldn't post ${what}: ${reason}. I paused ${cohort.name}'s schedule so nothing else is lost.`
      : `I gave up posting ${what} after ${post.attempts} tries: ${reason}.`,
    footer: paused
      ? "Set a channel I can post in with /schedule channel, then /schedule resume"
      : "Post it yourself with /schedule post-now",
    visibility: "private",
  };
}

/** The question of the day in the cohort channel: one button per choice, for everyone. */
export function dailyQuestionPost(item: QuizItem, cohort: Cohort, closesAt: Date): Message {
  const asked = quizMessage(
    item,
    `Question of the day · week ${item.week} · ${item.id}`,
    dailyOrderSeed(cohort.id),
  );
  return {
    ...asked,
    visibility: "public",
    footer: `${asked.footer ?? ""} · quick right answers earn a bonus · results ${formatInZone(closesAt, cohort.timezone)}`,
  };
}

/** When the question closes: how the cohort answered, the right answer, and why. */
export function dailyResultsPost(
  item: QuizItem,
  cohort: Cohort,
  tally: readonly { response: string; correct: boolean; count: number }[],
): Message {
  const total = tally.reduce((n, t) => n + t.count, 0);
  const right = tally.filter((t) => t.correct).reduce((n, t) => n + t.count, 0);
  // Letters as the channel saw them in the question of the day.
  const seed = dailyOrderSeed(cohort.id);
  const lines = tally.map(
    (t) => `- ${showResponse(item, t.response, seed)}${t.correct ? " ✓" : ""}: ${t.count}`,
  );
  return {
    title: `Results · ${item.id}`,
    text:
      total === 0
        ? `Nobody answered this one. The answer: ${describeAnswer(item, seed)}.`
        : `${total} ${total === 1 ? "answer" : "answers"}, ${right} right. The answer: ${describeAnswer(item, seed)}.`,
    sections: [
      ...(lines.length ? [{ heading: "How you answered", text: lines.join("\n") }] : []),
      { heading: "Why", text: item.explanation },
    ],
    ...(total > 0 ? { progress: { current: right, total, label: "right" } } : {}),
  };
}
