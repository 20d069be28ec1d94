import { about, type Message, problem, success } from "../messages.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Schedule } from "../ports/schedules.js";
import { nextFire, shortestGapMs } from "../rules/schedule.js";
import { callerCohort } from "./caller-cohort.js";
import type { CommandContext } from "./command.js";
import { type ParsedWhen, readWhen } from "./schedule-shared.js";

/** What sets /schedule daily and /schedule remind apart; the flow around it is the same. */
export interface SideSchedule {
  kind: "reminder" | "daily-question";
  /** The command as typed, for the examples in problems. */
  command: string;
  /** Fires closer together than this are refused. */
  minGapMs: number;
  /** Rewrites what was typed before it is read (e.g. "08:00" alone means every day). */
  normalize?: (when: string) => string;
  words: {
    /** The reply to "off": whether a schedule was removed. */
    off(cohort: Cohort, removed: boolean): string;
    /** The hint when the schedule never fires. */
    neverFires: string;
    /** The problem and its hint when fires come closer than `minGapMs`. */
    tooOften(spec: string): [text: string, hint: string];
    /** The reply once saved. */
    saved(cohort: Cohort, when: ParsedWhen, first: Date): string;
  };
}

/** A reminder or daily-question schedule: "off" removes it; otherwise it is read, checked and saved. */
export async function runSideSchedule(
  side: SideSchedule,
  args: { when: string; tz?: string | undefined },
  ctx: CommandContext,
): Promise<Message> {
  const found = await callerCohort(ctx);
  if (!found.ok) return found.error;
  const { cohort, module } = found.value;
  const now = ctx.clock.now();
  if (args.when.toLowerCase() === "off") {
    const removed = await ctx.store.schedules.remove(cohort.id, side.kind);
    return { text: side.words.off(cohort, removed) };
  }
  const when = side.normalize ? side.normalize(args.when) : args.when;
  const parsed = readWhen({ ...args, when }, module.timezone, side.command);
  if (!parsed.ok) return parsed.error;
  const { spec, zone, cron } = parsed.value;
  const first = nextFire(cron, zone, now);
  if (!first) return about("when", problem(`"${spec}" never fires.`, side.words.neverFires));
  if (shortestGapMs(cron, zone, now) < side.minGapMs)
    return about("when", problem(...side.words.tooOften(spec)));
  await saveSideSchedule(ctx, cohort.id, side.kind, parsed.value, module, first);
  return success(side.words.saved(cohort, parsed.value, first));
}

/** Saves a reminder or daily-question schedule: it fires from now on and pauses with the module schedule. */
export async function saveSideSchedule(
  ctx: CommandContext,
  cohortId: number,
  kind: "reminder" | "daily-question",
  when: ParsedWhen,
  module: Schedule,
  first: Date,
): Promise<void> {
  const now = ctx.clock.now();
  const paused = module.pausedAt !== null;
  await ctx.store.schedules.save(
    cohortId,
    {
      kind,
      cron: when.cron,
      spec: when.spec,
      timezone: when.zone,
      anchorAt: now,
      anchorWeek: 0,
      pausedAt: paused ? now : null,
      nextFireAt: paused ? null : first,
    },
    now,
  );
  ctx.scheduler.wake();
}
