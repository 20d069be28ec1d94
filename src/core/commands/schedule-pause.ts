import { z } from "zod";
import { success } from "../messages.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";
import { weekOf } from "./schedule-shared.js";

const input = z.object({});

export const schedulePause = {
  name: "schedule pause",
  summary: "Stop posting; the cohort's week stays where it is until you resume",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule pause"],
  async run(_input, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, schedules, progress } = found.value;
    const running = schedules.filter((s) => s.pausedAt === null);
    if (running.length === 0)
      return { text: `${cohort.name} is already paused. /schedule resume starts it again.` };
    const now = ctx.clock.now();
    for (const schedule of running) {
      await ctx.store.schedules.update(schedule.id, { pausedAt: now, nextFireAt: null }, now);
    }
    ctx.scheduler.wake();
    const week = weekOf(progress);
    return success(
      `Paused **${cohort.name}**${week > 0 && week <= 20 ? ` at week ${week}` : ""}. Nothing posts and the week doesn't move until /schedule resume.`,
    );
  },
} satisfies Command<typeof input>;
