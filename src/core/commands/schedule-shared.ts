import { z } from "zod";
import { about, type Message, problem } from "../messages.js";
import type { Cohort } from "../ports/cohorts.js";
import { err, ok, type Result } from "../result.js";
import { type CohortProgress, WRAP_UP } from "../rules/schedule.js";
import { canonicalTimeZone, resolveTimeZone } from "../rules/time.js";
import { parseWhen, type When } from "../rules/when.js";
import { startOfLocalDay } from "../rules/zoned.js";
import { argHints, restOfLine } from "./args.js";

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
    about(
      "tz",
      problem(
        `"${zone}" is not a time zone I know.`,
        `Closest: ${resolved.error.suggestions.join(", ")} — e.g. ${example}`,
      ),
    ),
  );
}

/** Fires count from now on, but never before the cohort's start day. */
export function anchorFrom(cohort: Cohort, now: Date): Date {
  const start = new Date(startOfLocalDay(cohort.startDate, cohort.timezone).getTime() - 1);
  return start > now ? start : now;
}

/** An hour, for the shortest gaps allowed between a schedule's fires. */
export const HOUR_MS = 3_600_000;
/** Fires closer than this come "more than once a day": a little under a day, so the 23-hour day of a daylight-saving change still passes. */
export const DAY_GAP_MS = 20 * HOUR_MS;

export function weekOf(progress: CohortProgress): number {
  return progress.state === "running" ? progress.week : progress.state === "finished" ? WRAP_UP : 0;
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
      about(
        "when",
        problem(`Can't schedule "${split.when}": ${when.error.reason}.`, `Try ${when.error.example}.`),
      ),
    );
  return ok({ ...when.value, spec: split.when, zone: zone.value });
}
