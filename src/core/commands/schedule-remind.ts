import { problem, success } from "../messages.js";
import { nextFire, shortestGapMs } from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import type { Command } from "./command.js";
import { callerCohort, readWhen, saveSideSchedule, whenInput } from "./schedule-shared.js";

const input = whenInput("wed 18:00, daily 07:30, cron, or off");

export const scheduleRemind = {
  name: "schedule remind",
  summary: "A check-in between module posts (e.g. wed 18:00), or off",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule remind wed 18:00", "/schedule remind off"],
  async run(args, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, module } = found.value;
    const now = ctx.clock.now();
    if (args.when.toLowerCase() === "off") {
      const removed = await ctx.store.schedules.remove(cohort.id, "reminder");
      return { text: removed ? `Reminders for ${cohort.name} are off.` : `${cohort.name} has no reminders.` };
    }
    const parsed = readWhen(args, module.timezone, "/schedule remind");
    if (!parsed.ok) return parsed.error;
    const { spec, zone, cron } = parsed.value;
    const first = nextFire(cron, zone, now);
    if (!first) return problem(`"${spec}" never fires.`, "Try wed 18:00.");
    if (shortestGapMs(cron, zone, now) < 3_600_000) {
      return problem(`"${spec}" would remind more than once an hour.`, "Try wed 18:00 or daily 07:30.");
    }
    await saveSideSchedule(ctx, cohort.id, "reminder", parsed.value, module, first);
    return success(
      `Reminders for **${cohort.name}**: ${parsed.value.description} (${zone}). First: ${formatInZone(first, zone)}.`,
    );
  },
} satisfies Command<typeof input>;
