import { about, problem, success } from "../messages.js";
import { moduleFires, nextFire, shortestGapMs, WRAP_UP } from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import { timelineOf } from "../schedules/timeline.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";
import { anchorFrom, DAY_GAP_MS, readWhen, weekOf, whenInput } from "./schedule-shared.js";

const DAY_MS = 86_400_000;

const input = whenInput("mon 09:00, weekdays 18:30, daily 07:00, or cron like 0 9 * * 1");

export const scheduleSet = {
  name: "schedule set",
  summary: "When the week's module posts: a day and time (mon 09:00) or cron, in a time zone",
  audience: "moderator",
  group: "schedules",
  input,
  examples: [
    "/schedule set mon 09:00 Europe/Berlin",
    "/schedule set 30 8 * * 1",
    "/schedule set weekdays 18:30",
  ],
  async run(args, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, module, progress } = found.value;
    const parsed = readWhen(args, module.timezone, "/schedule set");
    if (!parsed.ok) return parsed.error;
    const { spec, zone, cron } = parsed.value;

    const now = ctx.clock.now();
    const first = nextFire(cron, zone, now);
    if (!first || first.getTime() - now.getTime() > 366 * DAY_MS) {
      return about(
        "when",
        problem(`"${spec}" never fires in the coming year.`, "Try mon 09:00 or 0 9 * * 1."),
      );
    }
    if (shortestGapMs(cron, zone, now) < DAY_GAP_MS) {
      return about(
        "when",
        problem(
          `"${spec}" fires more than once a day, and each fire starts a new week.`,
          "Weekly is usual (e.g. mon 09:00); for nudges in between use /schedule remind, e.g. /schedule remind wed 18:00.",
        ),
      );
    }
    if (progress.state === "finished")
      return problem(`${cohort.name} has finished the roadmap; there is nothing left to post.`);

    const paused = module.pausedAt !== null;
    const anchorAt = anchorFrom(cohort, now);
    const saved = await ctx.store.schedules.save(
      cohort.id,
      {
        kind: "module",
        cron: cron,
        spec,
        timezone: zone,
        anchorAt,
        // Re-anchoring keeps every past week as it was; only fires from now on follow the new timing.
        anchorWeek: weekOf(progress),
        pausedAt: paused ? now : null,
        nextFireAt: paused ? null : (nextFire(cron, zone, anchorAt) ?? null),
      },
      now,
    );
    ctx.scheduler.wake();
    const upcoming = moduleFires(
      timelineOf({ ...saved, pausedAt: null }),
      now,
      new Date(now.getTime() + 400 * DAY_MS),
    )[0];
    const next = upcoming
      ? `Next: ${formatInZone(upcoming.at, zone)} — ${upcoming.week === WRAP_UP ? "the wrap-up" : `week ${upcoming.week}`}.`
      : "";
    return success(
      `Module posts for **${cohort.name}**: ${parsed.value.description} (${zone}). ${paused ? "The schedule stays paused until /schedule resume." : next}`,
      { footer: "See the next five with /schedule show" },
    );
  },
} satisfies Command<typeof input>;
