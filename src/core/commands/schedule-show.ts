import { z } from "zod";
import type { Message, Section } from "../messages.js";
import { moduleFires, nextFires, WRAP_UP } from "../rules/schedule.js";
import { parseWhen } from "../rules/when.js";
import { formatInZone } from "../rules/zoned.js";
import { describeProgress, timelineOf } from "../schedules/timeline.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

const input = z.object({});
const COUNT = 5;
const YEARS_AHEAD = 2 * 366 * 86_400_000;

const both = (at: Date, zone: string) => `${formatInZone(at, zone)} · ${formatInZone(at, "UTC")}`;
const described = (spec: string, cron: string) => {
  const parsed = parseWhen(spec);
  return parsed.ok ? parsed.value.description : `cron ${cron}`;
};

export const scheduleShow = {
  name: "schedule show",
  summary: "Your cohort's schedule: the next five posts in its time zone and in UTC",
  audience: "everyone",
  group: "schedules",
  input,
  examples: ["/schedule show"],
  async run(_input, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, module, schedules, progress } = found.value;
    const now = ctx.clock.now();
    const sections: Section[] = [];

    const heading = `Weekly module — ${described(module.spec, module.cron)} (${module.timezone})`;
    if (progress.state === "finished") {
      sections.push({ heading, text: "The roadmap is done: nothing more to post." });
    } else if (module.pausedAt) {
      sections.push({
        heading,
        text: `Paused since ${formatInZone(module.pausedAt, module.timezone)}. /schedule resume picks up where it stopped.`,
      });
    } else {
      const fires = moduleFires(timelineOf(module), now, new Date(now.getTime() + YEARS_AHEAD)).slice(
        0,
        COUNT,
      );
      const lines = fires.map((fire, i) => {
        const what =
          fire.kind === "skipped"
            ? `skipped: week ${fire.week} goes on`
            : fire.week === WRAP_UP
              ? "wrap-up: the roadmap is done"
              : `week ${fire.week}`;
        return `${i + 1}. ${both(fire.at, module.timezone)} — ${what}`;
      });
      sections.push({ heading, text: lines.join("\n") || "No upcoming posts." });
    }

    for (const reminder of schedules.filter((s) => s.kind !== "module")) {
      const text = reminder.pausedAt
        ? "Paused."
        : nextFires(reminder.cron, reminder.timezone, now, COUNT)
            .map((at, i) => `${i + 1}. ${both(at, reminder.timezone)}`)
            .join("\n");
      sections.push({
        heading: `${reminder.kind === "daily-question" ? "Question of the day" : "Reminders"} — ${described(reminder.spec, reminder.cron)} (${reminder.timezone})`,
        text,
      });
    }

    const message: Message = {
      title: `Schedule · ${cohort.name}`,
      text: `The cohort ${describeProgress(progress, cohort.timezone)}. Posts go to ${
        cohort.channelExternalId ? `#${cohort.channelExternalId}` : "no channel yet (/schedule channel)"
      }.`,
      sections,
      footer: ctx.actor.isModerator
        ? "Change with /schedule set · /schedule remind · /schedule skip · /schedule pause"
        : "Moderators change it with /schedule set",
    };
    return message;
  },
} satisfies Command<typeof input>;
