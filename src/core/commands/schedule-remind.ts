import { formatInZone } from "../rules/zoned.js";
import type { Command } from "./command.js";
import { HOUR_MS, whenInput } from "./schedule-shared.js";
import { runSideSchedule, type SideSchedule } from "./schedule-side.js";

const input = whenInput("wed 18:00, daily 07:30, cron, or off");

const reminders: SideSchedule = {
  kind: "reminder",
  command: "/schedule remind",
  minGapMs: HOUR_MS,
  words: {
    off: (cohort, removed) =>
      removed ? `Reminders for ${cohort.name} are off.` : `${cohort.name} has no reminders.`,
    neverFires: "Try wed 18:00.",
    tooOften: (spec) => [`"${spec}" would remind more than once an hour.`, "Try wed 18:00 or daily 07:30."],
    saved: (cohort, when, first) =>
      `Reminders for **${cohort.name}**: ${when.description} (${when.zone}). First: ${formatInZone(first, when.zone)}.`,
  },
};

export const scheduleRemind = {
  name: "schedule remind",
  summary: "A check-in between module posts (e.g. wed 18:00), or off",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule remind wed 18:00", "/schedule remind off"],
  run: (args, ctx) => runSideSchedule(reminders, args, ctx),
} satisfies Command<typeof input>;
