import { z } from "zod";
import { type Message, problem } from "../messages.js";
import type { Cohort, Identity, Schedule } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { type CohortProgress, progressAt } from "../rules/schedule.js";
import { canonicalTimeZone, resolveTimeZone } from "../rules/time.js";
import { parseWhen, type When } from "../rules/when.js";
import { startOfLocalDay } from "../rules/zoned.js";
import { defaultModuleSchedule, timelineOf } from "../services/timeline.js";
import { argHints, restOfLine } from "./args.js";
import type { CommandContext } from "./command.js";

export interface CohortContext {
  identity: Identity;
  cohort: Cohort;
  schedules: Schedule[];
  module: Schedule;
  progress: CohortProgress;
}

/** The caller's cohort with its schedules; the reply to give when there is none. */
export async function callerCohort(ctx: CommandContext): Promise<Result<CohortContext, Message>> {
  const identity = await ctx.store.identities.find(ctx.actor);
  const cohort =
    identity?.member.cohortId == null ? undefined : await ctx.store.cohorts.get(identity.member.cohortId);
  if (!identity || !cohort) {
    return err(
      problem(
        "You're not in a cohort, and this belongs to one.",
        "Create one with /cohort create <name>, or join one with /cohort join <name>.",
      ),
    );
  }
  const schedules = await ctx.store.schedules.forCohort(cohort.id);
  // Cohorts saved before schedules existed follow the default until a moderator sets one.
  const module = schedules.find((s) => s.kind === "module") ?? {
    ...defaultModuleSchedule(cohort.startDate, cohort.timezone),
    id: 0,
    cohortId: cohort.id,
    skips: [],
  };
  const progress = progressAt(timelineOf(module), ctx.clock.now());
  return ok({ identity, cohort, schedules, module, progress });
}

/** `/schedule set mon 09:00 Europe/Berlin` in text form: the zone is the last word, when it is one. */
function splitTrailingZone(text: string): { when: string; zone: string | undefined } {
  const words = text.trim().split(/\s+/);
  const last = words.at(-1) ?? "";
  const looksLikeZone = /^[A-Za-z][\w+-]*\/[\w+/-]+$/.test(last) || canonicalTimeZone(last) !== undefined;
  if (words.length > 1 && looksLikeZone && !/^\d/.test(last)) {
    return { when: words.slice(0, -1).join(" "), zone: last };
  }
  return { when: text.trim(), zone: undefined };
}

export function zoneOrProblem(zone: string, example: string): Result<string, Message> {
  const resolved = resolveTimeZone(zone);
  if (resolved.ok) return ok(resolved.value);
  return err(
    problem(
      `"${zone}" is not a time zone I know.`,
      `Closest: ${resolved.error.suggestions.join(", ")} — e.g. ${example}`,
    ),
  );
}

/** Fires count from now on, but never before the cohort's start day. */
export function anchorFrom(cohort: Cohort, now: Date): Date {
  const start = new Date(startOfLocalDay(cohort.startDate, cohort.timezone).getTime() - 1);
  return start > now ? start : now;
}

export function weekOf(progress: CohortProgress): number {
  return progress.state === "running" ? progress.week : progress.state === "finished" ? 21 : 0;
}

/** The `when` and `[tz]` arguments shared by /schedule set and /schedule remind. */
export function whenInput(description: string) {
  return z.object({
    when: z
      .string()
      .trim()
      .min(1, "is missing")
      .max(100, "is too long")
      .describe(description)
      .register(restOfLine, { rest: true }),
    tz: z
      .string()
      .max(64, "is too long")
      .optional()
      .describe("IANA time zone (default: the cohort's), e.g. Europe/Berlin")
      .register(argHints, { suggest: "timezone" }),
  });
}

export interface ParsedWhen extends When {
  /** The text typed, without the zone: shown back to the moderator. */
  spec: string;
  zone: string;
}

/** Reads a schedule typed as text (zone last, or given on its own) into cron and zone, or the reply saying why not. */
export function readWhen(
  args: { when: string; tz?: string | undefined },
  defaultZone: string,
  command: string,
): Result<ParsedWhen, Message> {
  const split = args.tz === undefined ? splitTrailingZone(args.when) : { when: args.when, zone: args.tz };
  const zone = zoneOrProblem(split.zone ?? defaultZone, `${command} ${split.when} Europe/Berlin`);
  if (!zone.ok) return zone;
  const when = parseWhen(split.when);
  if (!when.ok)
    return err(
      problem(`Can't schedule "${split.when}": ${when.error.reason}.`, `Try ${when.error.example}.`),
    );
  return ok({ ...when.value, spec: split.when, zone: zone.value });
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
