import { z } from "zod";
import type { Message, Section } from "../messages.js";
import { formatInZone } from "../rules/zoned.js";
import { scheduleView } from "../services/schedule-view.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

const input = z.object({});

const both = (at: Date, zone: string) => `${formatInZone(at, zone)} · ${formatInZone(at, "UTC")}`;

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
    const { cohort } = found.value;
    const view = scheduleView(found.value, ctx.clock.now());
    const { module } = view;
    const sections: Section[] = [];

    const heading = `Weekly module — ${module.description} (${module.timezone})`;
    if (module.state === "finished") {
      sections.push({ heading, text: "The roadmap is done: nothing more to post." });
    } else if (module.state === "paused" && module.pausedAt) {
      sections.push({
        heading,
        text: `Paused since ${formatInZone(module.pausedAt, module.timezone)}. /schedule resume picks up where it stopped.`,
      });
    } else {
      const lines = module.upcoming.map(
        (fire, i) => `${i + 1}. ${both(fire.at, module.timezone)} — ${fire.what}`,
      );
      sections.push({ heading, text: lines.join("\n") || "No upcoming posts." });
    }

    for (const side of view.others) {
      const text =
        side.state === "paused"
          ? "Paused."
          : side.upcoming.map((fire, i) => `${i + 1}. ${both(fire.at, side.timezone)}`).join("\n");
      sections.push({
        heading: `${side.kind === "daily-question" ? "Question of the day" : "Reminders"} — ${side.description} (${side.timezone})`,
        text,
      });
    }

    const message: Message = {
      title: `Schedule · ${cohort.name}`,
      text: `The cohort ${view.progressText}. Posts go to ${
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
