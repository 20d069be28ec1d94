import { problem, success } from "../messages.js";
import { nextFire, shortestGapMs } from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import type { Command } from "./command.js";
import { callerCohort, readWhen, saveSideSchedule, whenInput } from "./schedule-shared.js";

const input = whenInput("daily 08:00, weekdays 12:30, cron, or off");

export const scheduleDaily = {
  name: "schedule daily",
  summary: "When the question of the day posts to the channel (e.g. daily 08:00), or off",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule daily 08:00", "/schedule daily weekdays 12:30 Europe/Berlin", "/schedule daily off"],
  async run(args, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, module } = found.value;
    const now = ctx.clock.now();
    if (args.when.toLowerCase() === "off") {
      const removed = await ctx.store.schedules.remove(cohort.id, "daily-question");
      return {
        text: removed
          ? `No more questions of the day for ${cohort.name}.`
          : `${cohort.name} has no question of the day.`,
      };
    }
    // "08:00" alone means every day.
    const when = /^\d{1,2}(:\d{2})?\s*(am|pm)?(\s|$)/i.test(args.when.trim())
      ? `daily ${args.when.trim()}`
      : args.when;
    const parsed = readWhen({ ...args, when }, module.timezone, "/schedule daily");
    if (!parsed.ok) return parsed.error;
    const { spec, zone, cron } = parsed.value;
    const first = nextFire(cron, zone, now);
    if (!first) return problem(`"${spec}" never fires.`, "Try daily 08:00.");
    if (shortestGapMs(cron, zone, now) < 20 * 3_600_000) {
      return problem(
        `"${spec}" would post more than one question a day.`,
        "Try daily 08:00 or weekdays 12:30.",
      );
    }
    await saveSideSchedule(ctx, cohort.id, "daily-question", parsed.value, module, first);
    return success(
      `Question of the day for **${cohort.name}**: ${parsed.value.description} (${zone}), open for 24 hours, results when it closes. First: ${formatInZone(first, zone)}.`,
    );
  },
} satisfies Command<typeof input>;
