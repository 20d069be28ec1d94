import { z } from "zod";
import { success } from "../messages.js";
import { moduleFires, nextFire, WRAP_UP } from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import { timelineOf } from "../schedules/timeline.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";
import { anchorFrom, weekOf } from "./schedule-shared.js";

const input = z.object({});

export const scheduleResume = {
  name: "schedule resume",
  summary: "Start posting again from the week the cohort paused at",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule resume"],
  async run(_input, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, schedules, progress } = found.value;
    const paused = schedules.filter((s) => s.pausedAt !== null);
    if (paused.length === 0)
      return { text: `${cohort.name} isn't paused. /schedule show lists what comes next.` };
    const now = ctx.clock.now();
    let next = "";
    for (const schedule of paused) {
      if (schedule.kind === "module") {
        // The paused weeks never counted: carry on from the week the pause froze.
        const anchorAt = anchorFrom(cohort, now);
        const resumed = { ...schedule, anchorAt, anchorWeek: weekOf(progress), pausedAt: null };
        await ctx.store.schedules.update(
          schedule.id,
          {
            anchorAt,
            anchorWeek: resumed.anchorWeek,
            pausedAt: null,
            nextFireAt: nextFire(schedule.cron, schedule.timezone, anchorAt) ?? null,
          },
          now,
        );
        const upcoming = moduleFires(timelineOf(resumed), now, new Date(now.getTime() + 400 * 86_400_000))[0];
        if (upcoming) {
          next = ` Next: ${upcoming.week === WRAP_UP ? "the wrap-up" : `week ${upcoming.week}`} on ${formatInZone(upcoming.at, schedule.timezone)}.`;
        }
      } else {
        await ctx.store.schedules.update(
          schedule.id,
          { pausedAt: null, nextFireAt: nextFire(schedule.cron, schedule.timezone, now) ?? null },
          now,
        );
      }
    }
    ctx.scheduler.wake();
    const week = weekOf(progress);
    return success(`Resumed **${cohort.name}**${week > 0 && week <= 20 ? ` in week ${week}` : ""}.${next}`);
  },
} satisfies Command<typeof input>;
