import { z } from "zod";
import type { Message, Section } from "../messages.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { describeProgress } from "../schedules/timeline.js";
import { viewLearner } from "../services/learner.js";
import type { Command } from "./command.js";

const input = z.object({});

export const roadmap = {
  name: "roadmap",
  summary: "The 20 weeks, with your cohort's current week marked",
  audience: "everyone",
  group: "learn",
  input,
  examples: ["/roadmap"],
  async run(_input, ctx) {
    const { curriculum } = ctx;
    const { cohort, progress } = await viewLearner(ctx);
    const current = progress?.state === "running" ? progress.week : undefined;
    const done = progress?.state === "finished" ? TOTAL_WEEKS : (current ?? 1) - 1;
    const reached = progress?.state === "finished" ? TOTAL_WEEKS : (current ?? 0);

    const sections: Section[] = curriculum.roadmap.phases.map((phase) => {
      const lines = curriculum.weeks
        .filter((week) => week.week >= phase.weeks[0] && week.week <= phase.weeks[1])
        .map((week) => {
          const marker = week.week === current ? "▶" : week.week <= done && progress ? "✓" : "·";
          const here = week.week === current ? " **← this week**" : "";
          return `${marker} ${String(week.week).padStart(2, " ")}  **${week.title}**${here}`;
        });
      return {
        heading: `${phase.title} · weeks ${phase.weeks[0]}–${phase.weeks[1]}`,
        text: `*${phase.goal}*\n${lines.join("\n")}`,
      };
    });

    const message: Message = {
      title: `Roadmap — ${curriculum.roadmap.title} (${TOTAL_WEEKS} weeks)`,
      text: curriculum.roadmap.description,
      sections,
      footer: "Open a week with /week <n>, e.g. /week 1",
    };
    if (cohort && progress) {
      message.progress = {
        current: reached,
        total: TOTAL_WEEKS,
        label: `Cohort ${cohort.name} ${describeProgress(progress, cohort.timezone)}`,
      };
    } else {
      message.footer = "You're not in a cohort yet: /cohort join <name>. Open a week with /week <n>.";
    }
    return message;
  },
} satisfies Command<typeof input>;
