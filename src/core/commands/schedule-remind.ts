import { z } from "zod";
import { problem, success } from "../messages.js";
import { nextFire, shortestGapMs } from "../rules/schedule.js";
import { parseWhen } from "../rules/when.js";
import { formatInZone } from "../rules/zoned.js";
import { restOfLine } from "./args.js";
import type { Command } from "./command.js";
import { callerCohort, splitTrailingZone, zoneOrProblem } from "./schedule-shared.js";

const input = z.object({
  when: z
    .string()
    .trim()
    .min(1, "is missing")
    .max(100, "is too long")
    .describe("wed 18:00, daily 07:30, cron, or off")
    .register(restOfLine, { rest: true }),
  tz: z.string().max(64, "is too long").optional().describe("IANA time zone (default: the cohort's)"),
});

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
    const split = args.tz === undefined ? splitTrailingZone(args.when) : { when: args.when, zone: args.tz };
    const zone = zoneOrProblem(split.zone ?? module.timezone, `/schedule remind ${split.when} Europe/Berlin`);
    if (!zone.ok) return zone.error;
    const when = parseWhen(split.when);
    if (!when.ok)
      return problem(`Can't schedule "${split.when}": ${when.error.reason}.`, `Try ${when.error.example}.`);
    const first = nextFire(when.value.cron, zone.value, now);
    if (!first) return problem(`"${split.when}" never fires.`, "Try wed 18:00.");
    if (shortestGapMs(when.value.cron, zone.value, now) < 3_600_000) {
      return problem(`"${split.when}" would remind more than once an hour.`, "Try wed 18:00 or daily 07:30.");
    }
    await ctx.store.schedules.save(
      cohort.id,
      {
        kind: "reminder",
        cron: when.value.cron,
        spec: split.when,
        timezone: zone.value,
        anchorAt: now,
        anchorWeek: 0,
        pausedAt: module.pausedAt ? now : null,
        nextFireAt: module.pausedAt ? null : first,
      },
      now,
    );
    ctx.scheduler.wake();
    return success(
      `Reminders for **${cohort.name}**: ${when.value.description} (${zone.value}). First: ${formatInZone(first, zone.value)}.`,
    );
  },
} satisfies Command<typeof input>;
