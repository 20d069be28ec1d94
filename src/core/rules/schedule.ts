import { Cron } from "croner";

/** One cohort's module schedule and where its count of weeks stands. */
export interface ModuleTimeline {
  cron: string;
  timezone: string;
  /** Fires strictly after this instant count… */
  anchorAt: Date;
  /** …on top of this week (0: not started yet). */
  anchorWeek: number;
  /** While paused, no fire counts: the week stays where it was. */
  pausedAt: Date | null;
  /** Fires a moderator skipped, in epoch milliseconds. */
  skips: ReadonlySet<number>;
}

export const TOTAL_WEEKS = 20;
/** The count that means "past week 20": the fire that reaches it posts the wrap-up. */
export const WRAP_UP = TOTAL_WEEKS + 1;

const crons = new Map<string, Cron>();
function cronFor(cron: string, timezone: string): Cron {
  const key = `${timezone} ${cron}`;
  let compiled = crons.get(key);
  if (!compiled) {
    // legacyMode: day-of-month and day-of-week are ORed, as in Vixie cron.
    compiled = new Cron(cron, { timezone, paused: true, legacyMode: true });
    crons.set(key, compiled);
  }
  return compiled;
}

/**
 * The fire times strictly after `after`. DST rule (croner's, as Vixie cron): a time that
 * falls in the skipped hour fires once at the end of the gap; a time in the repeated hour
 * fires once, at its first occurrence.
 */
export function nextFires(cron: string, timezone: string, after: Date, count: number): Date[] {
  const fires: Date[] = [];
  let cursor = after;
  while (fires.length < count) {
    const next = nextRun(cron, timezone, cursor);
    if (!next) break;
    fires.push(next);
    cursor = next;
  }
  return fires;
}

/**
 * Every answer asks which week its cohort is in, walking the same fires from the same anchor;
 * remembering each step makes that walk a few lookups instead of a few croner searches.
 */
const stepMemo = new Map<string, number | null>();
const STEP_MEMO_LIMIT = 100_000;

function nextRun(cron: string, timezone: string, after: Date): Date | undefined {
  const key = `${timezone} ${cron} ${after.getTime()}`;
  let next = stepMemo.get(key);
  if (next === undefined) {
    next = cronFor(cron, timezone).nextRun(after)?.getTime() ?? null;
    if (stepMemo.size >= STEP_MEMO_LIMIT) stepMemo.clear();
    stepMemo.set(key, next);
  }
  return next === null ? undefined : new Date(next);
}

export function nextFire(cron: string, timezone: string, after: Date): Date | undefined {
  return nextFires(cron, timezone, after, 1)[0];
}

export type FireKind = "module" | "wrap-up" | "skipped";

export interface Fire {
  at: Date;
  /** The week this fire starts; for the wrap-up, WRAP_UP; for a skipped fire, the week that goes on. */
  week: number;
  kind: FireKind;
}

/**
 * The module schedule's fires in (after, until], in order, each with the week it
 * starts. Stops at the wrap-up and at a pause, so the walk is at most ~21 steps
 * plus the skipped fires.
 */
export function moduleFires(timeline: ModuleTimeline, after: Date, until: Date): Fire[] {
  const end = timeline.pausedAt && timeline.pausedAt < until ? timeline.pausedAt : until;
  const fires: Fire[] = [];
  let week = timeline.anchorWeek;
  let cursor = timeline.anchorAt;
  while (week < WRAP_UP) {
    const at = nextFire(timeline.cron, timeline.timezone, cursor);
    if (!at || at > end) break;
    cursor = at;
    const skipped = timeline.skips.has(at.getTime());
    if (!skipped) week++;
    if (at > after)
      fires.push({ at, week, kind: skipped ? "skipped" : week === WRAP_UP ? "wrap-up" : "module" });
  }
  return fires;
}

export type CohortProgress =
  | { state: "not-started"; startsAt: Date | undefined }
  | { state: "running"; week: number; since: Date | undefined; paused: boolean }
  | { state: "finished"; finishedAt: Date | undefined };

/** Where the cohort stands at `now`: the week of the last counted fire, or before the first, or done. */
export function progressAt(timeline: ModuleTimeline, now: Date): CohortProgress {
  const past = moduleFires(timeline, new Date(0), now).filter((f) => f.kind !== "skipped");
  const last = past.at(-1);
  const week = last?.week ?? timeline.anchorWeek;
  if (week >= WRAP_UP) return { state: "finished", finishedAt: last?.at };
  if (week === 0) {
    const upcoming = timeline.pausedAt
      ? undefined
      : moduleFires(timeline, now, new Date(now.getTime() + 400 * 86_400_000)).find(
          (f) => f.kind !== "skipped",
        );
    return { state: "not-started", startsAt: upcoming?.at };
  }
  return {
    state: "running",
    week,
    since: last?.at,
    paused: timeline.pausedAt !== null && timeline.pausedAt <= now,
  };
}

/** The wait before the first retry of a failed send; each further retry waits twice as long. */
const FIRST_RETRY_MS = 2_000;
/** The longest wait between retries: 10 minutes. */
const LONGEST_RETRY_MS = 600_000;

/** Backoff before retrying a failed send: 2 s, 4 s, 8 s … up to 10 minutes, or what the platform asked. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** The shortest gap between the next few fires, to refuse schedules that would flood a channel. */
export function shortestGapMs(cron: string, timezone: string, after: Date, sample = 30): number {
  const fires = nextFires(cron, timezone, after, sample);
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < fires.length; i++) {
    shortest = Math.min(shortest, (fires[i]?.getTime() ?? 0) - (fires[i - 1]?.getTime() ?? 0));
  }
  return shortest;
}
