import { formatInZone } from "../rules/zoned.js";
import type { Command } from "./command.js";
import { DAY_GAP_MS, whenInput } from "./schedule-shared.js";
import { runSideSchedule, type SideSchedule } from "./schedule-side.js";

const input = whenInput("daily 08:00, weekdays 12:30, cron, or off");

const daily: SideSchedule = {
  kind: "daily-question",
  command: "/schedule daily",
  minGapMs: DAY_GAP_MS,
  // "08:00" alone means every day.
  normalize: (when) =>
    /^\d{1,2}(:\d{2})?\s*(am|pm)?(\s|$)/i.test(when.trim()) ? `daily ${when.trim()}` : when,
  words: {
    off: (cohort, removed) =>
      removed
        ? `No more questions of the day for ${cohort.name}.`
        : `${cohort.name} has no question of the day.`,
    neverFires: "Try daily 08:00.",
    tooOften: (spec) => [
      `"${spec}" would post more than one question a day.`,
      "Try daily 08:00 or weekdays 12:30.",
    ],
    saved: (cohort, when, first) =>
      `Question of the day for **${cohort.name}**: ${when.description} (${when.zone}), open for 24 hours, results when it closes. First: ${formatInZone(first, when.zone)}.`,
  },
};

export const scheduleDaily = {
  name: "schedule daily",
  summary: "When the question of the day posts to the channel (e.g. daily 08:00), or off",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule daily 08:00", "/schedule daily weekdays 12:30 Europe/Berlin", "/schedule daily off"],
  run: (args, ctx) => runSideSchedule(daily, args, ctx),
} satisfies Command<typeof input>;
