import { z } from "zod";
import { problem, success } from "../messages.js";
import { moduleFires, WRAP_UP } from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import { timelineOf } from "../schedules/timeline.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

const input = z.object({});
const HORIZON_MS = 400 * 86_400_000;

export const scheduleSkip = {
  name: "schedule skip",
  summary: "Take a week off: the next module post is skipped and the week doesn't advance",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule skip"],
  async run(_input, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, module, progress } = found.value;
    if (progress.state === "finished") return problem(`${cohort.name} has finished the roadmap.`);
    if (module.pausedAt)
      return problem(`${cohort.name} is paused, so no week is moving.`, "/schedule resume first.");
    if (module.id === 0)
      return problem(
        `${cohort.name} has no saved schedule yet.`,
        "Set one with /schedule set, e.g. /schedule set mon 09:00.",
      );
    const now = ctx.clock.now();
    const timeline = timelineOf(module);
    const next = moduleFires(timeline, now, new Date(now.getTime() + HORIZON_MS)).find(
      (f) => f.kind !== "skipped",
    );
    if (!next) return problem("There is no upcoming post to skip.");
    await ctx.store.schedules.addSkip(module.id, next.at);
    ctx.scheduler.wake();
    const skips = new Set([...timeline.skips, next.at.getTime()]);
    const after = moduleFires({ ...timeline, skips }, now, new Date(now.getTime() + HORIZON_MS)).find(
      (f) => f.kind !== "skipped",
    );
    const stays = next.week - 1;
    return success(
      `No post on ${formatInZone(next.at, module.timezone)}: ${cohort.name} ${
        stays > 0 ? `stays in week ${stays} another week` : "starts a week later"
      }.${after ? ` ${after.week === WRAP_UP ? "The wrap-up" : `Week ${after.week}`} posts ${formatInZone(after.at, module.timezone)}.` : ""}`,
    );
  },
} satisfies Command<typeof input>;
