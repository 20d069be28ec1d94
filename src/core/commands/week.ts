import { z } from "zod";
import { findWeek, lanesFor, laneTitle } from "../curriculum/query.js";
import type { LaneModule, Topic, Week } from "../curriculum/schema.js";
import { type Choice, type LinkButton, type Message, problem, type Section } from "../messages.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { viewLearner } from "../services/learner.js";
import { actionFor } from "./action.js";
import type { Command } from "./command.js";
import { weekArg } from "./week-arg.js";

const input = z.object({
  week: weekArg("week number, 1–20 (default: your cohort's week)"),
  part: z
    .string()
    .trim()
    .toLowerCase()
    .max(80, "is too long")
    .optional()
    .describe("one lane in weeks 5–12 (postgres, nosql), or a topic's id for its deep dive"),
});

/** A topic's deep dive as its own message, or what to type instead when it has none. */
function deepDive(n: number, module: Week, topic: Topic): Message {
  if (!topic.deepDive) {
    const others = module.lanes.flatMap((l) => l.topics).filter((t) => t.deepDive);
    return problem(
      `${topic.title} has no deep dive yet; its primer is in /week ${n}.`,
      others.length > 0
        ? `Deep dives this week: ${others.map((t) => `/week ${n} ${t.id}`).join(", ")}`
        : undefined,
    );
  }
  return {
    title: `Week ${n} · ${topic.title} · deep dive`,
    text: topic.deepDive,
    footer: `The whole module: /week ${n}`,
  };
}

/** One button per topic of the shown lanes that has a deep dive. */
function deepDiveChoices(n: number, lanes: readonly LaneModule[]): Choice[] {
  return lanes
    .flatMap((l) => l.topics)
    .filter((topic) => topic.deepDive)
    .map((topic) => ({
      label: `Deep dive: ${topic.title}`,
      action: actionFor(week, { week: String(n), part: topic.id }),
    }));
}

function laneSections(module: LaneModule, week: number, prefix: string): Section[] {
  const exercise = module.exercise;
  const hints = exercise.hints.length ? `\n\n*Hints*\n${exercise.hints.map((h) => `- ${h}`).join("\n")}` : "";
  return [
    {
      heading: `${prefix}${module.title}: objectives`,
      text: module.objectives.map((o) => `- ${o}`).join("\n"),
    },
    ...module.topics.map((topic) => ({
      heading: `${prefix}${topic.title}`,
      text: topic.deepDive
        ? `${topic.explanation}\n\n*Deep dive: /week ${week} ${topic.id}*`
        : topic.explanation,
    })),
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
  examples: ["/week 1", "/week 7", "/week 7 nosql", "/week 5 pg-transactions-acid"],
  async run({ week: requested, part }, ctx) {
    const learner = await viewLearner(ctx);
    const current = learner.progress?.state === "running" ? learner.progress.week : undefined;
    const n = requested ?? current ?? 1;
    const module = findWeek(ctx.curriculum, n);
    if (!module)
      return problem(`Week ${n} is not in the curriculum.`, "Weeks run from 1 to 20, e.g. /week 5");

    const topic = part && module.lanes.flatMap((l) => l.topics).find((t) => t.id === part);
    if (topic) return deepDive(n, module, topic);
    const lane = part;
    if (lane && lane !== "postgres" && lane !== "nosql") {
      const ids = module.lanes.flatMap((l) => l.topics.map((t) => t.id));
      return problem(
        `Week ${n} has no lane or topic "${lane}".`,
        `Its topics: ${ids.join(", ")}${module.lanes.length > 1 ? "; its lanes: postgres, nosql" : ""}.`,
      );
    }
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
      laneSections(l, n, twoLanes ? `${laneTitle(ctx.curriculum, l.lane)} · ` : ""),
    );
    const links: LinkButton[] = lanes.flatMap((l) =>
      l.links.map((link) => ({ label: link.title, url: link.url })),
    );
    const dives = deepDiveChoices(n, lanes);
    const message: Message = {
      title: `Week ${n} · ${module.title}`,
      text: module.summary,
      sections,
      links,
      ...(dives.length > 0 ? { choices: dives } : {}),
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
