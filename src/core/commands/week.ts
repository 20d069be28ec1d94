import { z } from "zod";
import { findWeek, lanesFor, laneTitle } from "../curriculum/query.js";
import type { LaneModule } from "../curriculum/schema.js";
import { type LinkButton, type Message, problem, type Section } from "../messages.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { viewLearner } from "../services/learner.js";
import type { Command } from "./command.js";
import { weekArg } from "./week-arg.js";

const input = z.object({
  week: weekArg("week number, 1–20 (default: your cohort's week)"),
  lane: z.enum(["postgres", "nosql"]).optional().describe("in weeks 5–12, one lane only"),
});

function laneSections(module: LaneModule, prefix: string): Section[] {
  const exercise = module.exercise;
  const hints = exercise.hints.length ? `\n\n*Hints*\n${exercise.hints.map((h) => `- ${h}`).join("\n")}` : "";
  return [
    {
      heading: `${prefix}${module.title}: objectives`,
      text: module.objectives.map((o) => `- ${o}`).join("\n"),
    },
    ...module.topics.map((topic) => ({ heading: `${prefix}${topic.title}`, text: topic.explanation })),
    {
      heading: `${prefix}Hands-on: ${exercise.title}`,
      text: `${exercise.task}\n\n**Deliverable:** ${exercise.deliverable}${hints}`,
    },
  ];
}

export const week = {
  name: "week",
  summary: "A week's module: objectives, topics explained, a hands-on exercise and links",
  audience: "everyone",
  group: "learn",
  input,
  examples: ["/week 1", "/week 7", "/week 7 nosql"],
  async run({ week: requested, lane }, ctx) {
    const learner = await viewLearner(ctx);
    const current = learner.progress?.state === "running" ? learner.progress.week : undefined;
    const n = requested ?? current ?? 1;
    const module = findWeek(ctx.curriculum, n);
    if (!module)
      return problem(`Week ${n} is not in the curriculum.`, "Weeks run from 1 to 20, e.g. /week 5");

    let lanes: LaneModule[];
    if (lane) {
      const chosen = module.lanes.find((l) => l.lane === lane);
      if (!chosen) {
        return problem(
          `Week ${n} has one lane for everyone; ${lane} is a lane of weeks 5–12.`,
          `Try /week ${n}, or /week 7 ${lane}.`,
        );
      }
      lanes = [chosen];
    } else {
      lanes = lanesFor(module, learner.track);
    }

    const twoLanes = lanes.length > 1;
    const sections = lanes.flatMap((l) =>
      laneSections(l, twoLanes ? `${laneTitle(ctx.curriculum, l.lane)} · ` : ""),
    );
    const links: LinkButton[] = lanes.flatMap((l) =>
      l.links.map((link) => ({ label: link.title, url: link.url })),
    );
    const message: Message = {
      title: `Week ${n} · ${module.title}`,
      text: module.summary,
      sections,
      links,
    };
    const hidden = module.lanes.filter((l) => !lanes.includes(l));
    if (hidden.length > 0 && !lane && learner.track) {
      message.footer = `Your track (${learner.track.name}) follows ${lanes.map((l) => laneTitle(ctx.curriculum, l.lane)).join(" and ")}. Also: ${hidden.map((l) => `/week ${n} ${l.lane}`).join(", ")}`;
    } else if (requested === undefined && current === undefined) {
      message.footer = "Showing week 1: join a cohort (/cohort join <name>) to open your current week.";
    } else if (n < TOTAL_WEEKS) {
      message.footer = `Next: /week ${n + 1}`;
    }
    return message;
  },
} satisfies Command<typeof input>;
