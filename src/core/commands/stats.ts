import { z } from "zod";
import type { FileAttachment, Message } from "../messages.js";
import { cohortStats, MIN_ATTEMPTS, RECENT_DAYS } from "../services/cohort-health.js";
import { cohortProgressFile } from "../services/cohort-members.js";
import { inertName } from "../text.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

// The CSV is the dashboard's download too; both come from the members service.
export { csvField, progressCsv } from "../services/cohort-members.js";

const input = z.object({
  export: z.enum(["csv"]).optional().describe("csv: also attach every member's progress as a CSV file"),
});

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
    const { unit, memberCount, participation, weakestTopics, brokenStreaks } = await cohortStats(ctx, cohort);
    const percent = (n: number, of: number) => (of === 0 ? "–" : `${Math.round((100 * n) / of)}%`);
    const message: Message = {
      title: `${cohort.name} · cohort health`,
      text: `${memberCount} ${memberCount === 1 ? "member" : "members"}; streaks count ${unit}s.`,
      sections: [
        {
          heading: "Participation per week",
          text: participation.length
            ? participation
                .map(
                  (p) =>
                    `- ${p.week === 0 ? "Before week 1" : `Week ${p.week}`}: ${p.learners} active (${percent(p.learners, memberCount)}), ${p.points} pts`,
                )
                .join("\n")
            : "Nobody has answered anything yet.",
        },
        {
          heading: "Weakest topics first",
          text: weakestTopics.length
            ? weakestTopics
                .map((t) => `- ${t.title}: ${percent(t.correct, t.attempts)} right of ${t.attempts} attempts`)
                .join("\n")
            : `Not enough answers yet (a topic needs ${MIN_ATTEMPTS}).`,
        },
        {
          heading: "Streaks that just broke",
          text: brokenStreaks.length
            ? brokenStreaks
                .slice(0, 15)
                .map(
                  (r) =>
                    `- ${inertName(r.member.displayName)}: ${r.length} ${unit}s, last active ${r.lastActive}`,
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
      const { name, csv } = await cohortProgressFile(ctx, cohort);
      const file: FileAttachment = { name, mimeType: "text/csv", data: new TextEncoder().encode(csv) };
      message.files = [file];
    }
    return message;
  },
} satisfies Command<typeof input>;
