import type { CommandContext } from "../commands/command.js";
import type { Attempt, AttemptDecision, AttemptFacts, RecordedAttempt } from "../ports/answers.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Identity } from "../ports/identity.js";
import { progressAt } from "../rules/schedule.js";
import { attemptPoints } from "../rules/scoring.js";
import { recordActivity, type StreakStep, type StreakUnit } from "../rules/streak.js";
import { localDate } from "../rules/time.js";
import { cohortTimeline } from "../schedules/timeline.js";
import { inertName } from "../text.js";

/** Where a learner is in time: their local day (their zone, else the cohort's) and the cohort's week. */
export interface LearnerClock {
  zone: string;
  day: string;
  week: number;
}

export async function learnerClock(
  ctx: Pick<CommandContext, "store" | "settings">,
  identity: Identity,
  cohort: Cohort | undefined,
  at: Date,
): Promise<LearnerClock> {
  const zone = identity.member.timezone ?? cohort?.timezone ?? ctx.settings.defaultTimezone;
  let week = 0;
  if (cohort) {
    const progress = progressAt(await cohortTimeline(ctx.store, cohort), at);
    // Points after the wrap-up count on a board of their own (21), never on week 20's closed board.
    week = progress.state === "running" ? progress.week : progress.state === "finished" ? 21 : 0;
  }
  return { zone, day: localDate(at, zone), week };
}

const unitWord = { day: "day", week: "week" } as const;

/** What a command offers for an attempt, given what came before it; or a refusal. */
export type Offer = { points: number; reason: string } | { refuse: "answered" };

export type AnswerInput = Omit<Attempt, "spaceId" | "memberId">;

/** A learner who changes cohort between our read and the store's is re-read; past this, something is wrong. */
const MAX_PLACE_READS = 3;

/**
 * Stores one answer with its ledger entry and aggregates (one transaction in the store). The
 * points, the week and the streaks are decided here, from the facts the store reads in that
 * transaction; the cohort's week needs its timeline, so it is read first and checked inside.
 * Then tells the cohort when the answer carried the learner's streak to a milestone.
 */
export async function recordAnswer(
  ctx: CommandContext,
  identity: Identity,
  attempt: AnswerInput,
  offer: Offer | ((before: AttemptFacts) => Offer),
): Promise<RecordedAttempt> {
  let member = identity.member;
  for (let reads = 1; ; reads++) {
    const cohort = member.cohortId === null ? undefined : await ctx.store.cohorts.get(member.cohortId);
    const clock = await learnerClock(ctx, { ...identity, member }, cohort, attempt.at);
    const recorded = await ctx.store.answers.record(
      { ...attempt, spaceId: identity.space.id, memberId: member.id },
      (before) => decideAttempt(before, cohort?.id ?? null, clock, attempt.correct, offer),
    );
    if (recorded.stored || recorded.why !== "moved") {
      if (recorded.stored) announceMilestone(ctx, identity, cohort, recorded.streaks);
      return recorded;
    }
    const moved = await ctx.store.identities.find(ctx.actor);
    if (!moved || reads >= MAX_PLACE_READS) throw new Error("the learner's cohort kept changing");
    member = moved.member;
  }
}

/** The core's one decision on an attempt: pure, so the store can ask it inside its transaction. */
export function decideAttempt(
  before: AttemptFacts,
  expectedCohortId: number | null,
  clock: Pick<LearnerClock, "week" | "day">,
  correct: boolean,
  offer: Offer | ((before: AttemptFacts) => Offer),
): AttemptDecision {
  // The week was worked out for the cohort read before the transaction; a move since voids it.
  if (before.cohortId !== expectedCohortId) return { record: false, why: "moved" };
  const offered = typeof offer === "function" ? offer(before) : offer;
  if ("refuse" in offered) return { record: false, why: offered.refuse };
  return {
    record: true,
    points: attemptPoints(offered.points, correct, before),
    reason: offered.reason,
    week: clock.week,
    day: clock.day,
    streaks: {
      day: recordActivity(before.streaks.day, clock.day, "day"),
      week: recordActivity(before.streaks.week, clock.day, "week"),
    },
  };
}

function announceMilestone(
  ctx: CommandContext,
  identity: Identity,
  cohort: Cohort | undefined,
  streaks: Record<StreakUnit, StreakStep>,
): void {
  const step = cohort && streaks[cohort.streakUnit];
  if (!cohort || !step?.milestone) return;
  const unit = unitWord[cohort.streakUnit];
  ctx.scheduler.announce(cohort, ctx.actor, {
    tone: "success",
    title: `🔥 ${step.milestone}-${unit} streak`,
    text: `**${inertName(identity.member.displayName)}** has been active ${step.milestone} ${unit}s in a row. Keep it going!`,
    footer: `See yours with /streak`,
  });
}
