import { z } from "zod";
import { allTopics } from "../curriculum/query.js";
import type { Curriculum } from "../curriculum/schema.js";
import type { FileAttachment, Message } from "../messages.js";
import type { ProgressRow, QuestionTally } from "../ports/progress.js";
import { type StreakUnit, streakAsOf } from "../rules/streak.js";
import { addDays, localDate } from "../rules/time.js";
import { inertName } from "../text.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

const input = z.object({
  export: z.enum(["csv"]).optional().describe("csv: also attach every member's progress as a CSV file"),
});

/** Topics with fewer attempts than this say more about chance than about the cohort. */
const MIN_ATTEMPTS = 3;
/** "Just broke": the streak ended within this many days… */
const RECENT_DAYS = 7;
/** …after lasting at least this many units (a single active day is not yet a habit to lose). */
const MIN_STREAK = 2;

interface TopicAccuracy {
  title: string;
  attempts: number;
  correct: number;
}

function topicAccuracy(curriculum: Curriculum, tallies: QuestionTally[]): TopicAccuracy[] {
  const topicsOf = new Map<string, readonly string[]>();
  for (const item of [...curriculum.bank.items, ...curriculum.bank.challenges])
    topicsOf.set(item.id, item.topics);
  const titles = new Map(allTopics(curriculum).map((t) => [t.topic.id, t.topic.title]));
  const byTopic = new Map<string, TopicAccuracy>();
  for (const tally of tallies) {
    for (const topic of topicsOf.get(tally.questionId) ?? []) {
      const entry = byTopic.get(topic) ?? { title: titles.get(topic) ?? topic, attempts: 0, correct: 0 };
      entry.attempts += tally.attempts;
      entry.correct += tally.correct;
      byTopic.set(topic, entry);
    }
  }
  return [...byTopic.values()]
    .filter((t) => t.attempts >= MIN_ATTEMPTS)
    .sort((a, b) => a.correct / a.attempts - b.correct / b.attempts || b.attempts - a.attempts);
}

/** One CSV field: quoted when it holds a comma, quote or line break; formula starters neutralised for spreadsheets. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function progressCsv(rows: ProgressRow[], unit: StreakUnit, today: string): string {
  const header = [
    "rank",
    "member",
    "member_id",
    "track",
    "points",
    "streak",
    "longest_streak",
    "freezes",
    "last_active",
    "streak_unit",
  ];
  const lines = rows.map((row) => {
    const state = row.streaks[unit];
    const view = streakAsOf(state, today, unit);
    return [
      row.rank ?? "",
      row.member.displayName,
      row.member.externalId,
      row.trackId ?? "",
      row.points,
      view.current,
      view.longest,
      view.freezes,
      state.lastUnit ?? "",
      unit,
    ]
      .map(csvField)
      .join(",");
  });
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}

export const stats = {
  name: "stats",
  summary: "Cohort health: participation per week, weakest topics, streaks that just broke; CSV export",
  audience: "moderator",
  group: "progress",
  input,
  replies: "private",
  examples: ["/stats", "/stats csv"],
  async run(args, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort } = found.value;
    const unit = cohort.streakUnit;
    const today = localDate(ctx.clock.now(), cohort.timezone);
    const [participation, tallies, summary] = await Promise.all([
      ctx.store.progress.participation(cohort.id),
      ctx.store.progress.questionTallies(cohort.id),
      ctx.store.cohorts.summary(cohort.id),
    ]);
    const span = unit === "day" ? RECENT_DAYS + 3 : 7 * 4;
    const lapsing = (await ctx.store.progress.lapsing(cohort.id, unit, addDays(today, -span), today)).filter(
      (row) => {
        const view = streakAsOf(row.streak, today, unit);
        const recent = view.brokeOn !== null && view.brokeOn >= addDays(today, -RECENT_DAYS);
        return view.status === "broken" && recent && row.streak.current >= MIN_STREAK;
      },
    );
    const weakest = topicAccuracy(ctx.curriculum, tallies).slice(0, 8);
    const percent = (n: number, of: number) => (of === 0 ? "–" : `${Math.round((100 * n) / of)}%`);
    const message: Message = {
      title: `${cohort.name} · cohort health`,
      text: `${summary.memberCount} ${summary.memberCount === 1 ? "member" : "members"}; streaks count ${unit}s.`,
      sections: [
        {
          heading: "Participation per week",
          text: participation.length
            ? participation
                .map(
                  (p) =>
                    `- ${p.week === 0 ? "Before week 1" : `Week ${p.week}`}: ${p.learners} active (${percent(p.learners, summary.memberCount)}), ${p.points} pts`,
                )
                .join("\n")
            : "Nobody has answered anything yet.",
        },
        {
          heading: "Weakest topics first",
          text: weakest.length
            ? weakest
                .map((t) => `- ${t.title}: ${percent(t.correct, t.attempts)} right of ${t.attempts} attempts`)
                .join("\n")
            : `Not enough answers yet (a topic needs ${MIN_ATTEMPTS}).`,
        },
        {
          heading: "Streaks that just broke",
          text: lapsing.length
            ? lapsing
                .slice(0, 15)
                .map(
                  (r) =>
                    `- ${inertName(r.member.displayName)}: ${r.streak.current} ${unit}s, last active ${r.streak.lastUnit}`,
                )
                .join("\n")
            : `None in the last ${RECENT_DAYS} days.`,
        },
      ],
      footer: args.export
        ? "The CSV holds every member's progress."
        : "Every member's progress as a file: /stats csv",
    };
    if (args.export === "csv") {
      const csv = progressCsv(await ctx.store.progress.report(cohort.id), unit, today);
      const file: FileAttachment = {
        name: `${cohort.name.replace(/[^\w-]+/g, "-").toLowerCase()}-progress-${today}.csv`,
        mimeType: "text/csv",
        data: new TextEncoder().encode(csv),
      };
      message.files = [file];
    }
    return message;
  },
} satisfies Command<typeof input>;
