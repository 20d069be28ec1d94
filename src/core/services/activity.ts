import type { CommandContext } from "../commands/command.js";
import type { Attempt, Cohort, Identity, RecordedAttempt } from "../ports.js";
import { progressAt } from "../rules/schedule.js";
import { localDate } from "../rules/time.js";
import { inertName } from "../text.js";
import { cohortTimeline } from "./timeline.js";

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

/**
 * Stores one answer with its ledger entry and aggregates (one transaction in the store),
 * then tells the cohort when it carried the learner's streak to a milestone.
 */
export async function recordAnswer(
  ctx: CommandContext,
  identity: Identity,
  attempt: Omit<Attempt, "spaceId" | "memberId" | "week" | "day">,
): Promise<RecordedAttempt> {
  const cohortId = identity.member.cohortId;
  const cohort = cohortId === null ? undefined : await ctx.store.cohorts.get(cohortId);
  const clock = await learnerClock(ctx, identity, cohort, attempt.at);
  const recorded = await ctx.store.answers.record({
    ...attempt,
    spaceId: identity.space.id,
    memberId: identity.member.id,
    week: clock.week,
    day: clock.day,
  });
  const counted = recorded.cohortId === cohort?.id ? cohort : undefined;
  const step = counted && recorded.streaks?.[counted.streakUnit];
  if (counted && step?.milestone) {
    const unit = unitWord[counted.streakUnit];
    ctx.scheduler.announce(counted, ctx.actor, {
      tone: "success",
      title: `🔥 ${step.milestone}-${unit} streak`,
      text: `**${inertName(identity.member.displayName)}** has been active ${step.milestone} ${unit}s in a row. Keep it going!`,
      footer: `See yours with /streak`,
    });
  }
  return recorded;
}
