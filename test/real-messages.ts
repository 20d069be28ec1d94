import type { Curriculum } from "../src/core/curriculum/schema.js";
import { handleText } from "../src/core/dispatch.js";
import type { Message } from "../src/core/messages.js";
import type { Cohort } from "../src/core/ports/cohorts.js";
import { TOTAL_WEEKS } from "../src/core/rules/schedule.js";
import {
  dailyQuestionPost,
  dailyResultsPost,
  modulePost,
  reminderPost,
  wrapUpPost,
} from "../src/core/schedules/post-content.js";
import { quizMessage } from "../src/core/services/question-message.js";
import { actor, realCurriculum, testCore } from "./helpers.js";

/**
 * Every kind of message the real curriculum and commands produce, for renderers to prove they keep
 * within their platform's limits and lose no word on the way.
 */
export interface LabelledMessage {
  label: string;
  message: Message;
}

export function sampleCohort(channelExternalId: string): Cohort {
  return {
    id: 1,
    spaceId: 1,
    name: "spring",
    startDate: "2026-03-02",
    timezone: "Europe/Berlin",
    channelExternalId,
    status: "active",
    streakUnit: "week",
    createdAt: new Date("2026-03-01T00:00:00Z"),
  };
}

/** Each quiz item as the question a learner gets, with one button per choice. */
export function quizMessages(curriculum: Curriculum = realCurriculum()): LabelledMessage[] {
  return curriculum.bank.items.map((item) => ({
    label: item.id,
    message: quizMessage(item, `Question · week ${item.week} · ${item.id}`, "learner:terminal:local:ana"),
  }));
}

/** Module posts and reminders for every week, the wrap-up, and every item as a daily question and its results. */
export function scheduledPosts(cohort: Cohort, curriculum: Curriculum = realCurriculum()) {
  const weeks = Array.from({ length: TOTAL_WEEKS }, (_, i) => i + 1);
  const tally = [
    { response: "a", correct: true, count: 3 },
    { response: "b", correct: false, count: 1 },
  ];
  return {
    modules: weeks.map((week) => ({
      label: `module ${week}`,
      message: modulePost(curriculum, cohort, week),
    })),
    others: [
      ...weeks.map((week) => ({
        label: `reminder ${week}`,
        message: reminderPost(curriculum, cohort, week),
      })),
      {
        label: "wrap-up",
        message: wrapUpPost(cohort, { memberCount: 3, tracks: [{ trackId: "dba", members: 2 }] }, (id) => id),
      },
      ...curriculum.bank.items.flatMap((item) => [
        {
          label: `daily ${item.id}`,
          message: dailyQuestionPost(item, cohort, new Date("2026-03-04T18:00:00Z")),
        },
        { label: `results ${item.id}`, message: dailyResultsPost(item, cohort, tally) },
      ]),
    ],
  };
}

/**
 * The replies to every command's examples, every week, lane and deep dive, every challenge and track, and help
 * for every command, in a cohort where `ana` is on a track (submissions left out: no sandboxes here).
 */
export async function commandReplies(): Promise<LabelledMessage[]> {
  const { core } = testCore("2026-03-18T09:00:00Z");
  const data = core.curriculum;
  const replies: LabelledMessage[] = [];
  const run = async (user: string, line: string) => {
    const reply = await handleText(core, actor(user), line);
    if (reply) replies.push({ label: line, message: reply });
  };
  await run("mod", "/cohort create spring 2026-03-02 Europe/Berlin");
  await run("ana", "/cohort join spring");
  await run("ana", "/track join dba");
  const lines = [
    ...core.commands.flatMap((command) => command.examples).filter((line) => !line.startsWith("/submit")),
    ...Array.from({ length: TOTAL_WEEKS }, (_, i) => `/week ${i + 1}`),
    ...data.weeks.flatMap((w) => (w.lanes.length > 1 ? w.lanes.map((l) => `/week ${w.week} ${l.lane}`) : [])),
    ...data.weeks.flatMap((w) =>
      w.lanes.flatMap((l) => l.topics.filter((t) => t.deepDive).map((t) => `/week ${w.week} ${t.id}`)),
    ),
    ...data.bank.challenges.map((challenge) => `/challenge ${challenge.id}`),
    ...data.tracks.map((track) => `/track show ${track.id}`),
    ...core.commands.map((command) => `/help ${command.name}`),
  ];
  const forModerators = new Set(
    core.commands.filter((c) => c.audience === "moderator").flatMap((c) => c.examples),
  );
  for (const line of lines) await run(forModerators.has(line) ? "mod" : "ana", line);
  return replies;
}

/** Words as a reader sees them: HTML entities read as their characters. */
export const words = (text: string) =>
  new Set(
    text
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .match(/[\p{L}\p{N}]+/gu) ?? [],
  );

/** Every word a message says, choices included; a code fence's language is not a word. */
export function messageWords(message: Message): Set<string> {
  const parts = [
    message.title,
    message.text,
    ...(message.fields ?? []).flatMap((f) => [f.name, f.value]),
    ...(message.sections ?? []).flatMap((s) => [s.heading, s.text]),
    message.footer,
    ...(message.choices ?? []).map((c) => c.label),
  ];
  return words(
    parts
      .filter(Boolean)
      .join("\n")
      .replace(/^(\s*```)\S+/gm, "$1"),
  );
}

/** Words of `expected` that `shown` lacks. */
export const missingWords = (expected: Set<string>, shown: string) => {
  const have = words(shown);
  return [...expected].filter((word) => !have.has(word));
};
