import type { Attempt, AttemptDecision } from "../core/ports/answers.js";
import type { StreakState, StreakUnit } from "../core/rules/streak.js";

// What one new ledger entry says, as both dialects' answer stores hand it to their aggregates.

/** Where a learner's points count: their cohort and current track. */
export interface Place {
  cohortId: number | null;
  trackId: string | null;
}

export interface LedgerFacts extends Place {
  memberId: number;
  questionId: string;
  correct: boolean;
  points: number;
  week: number;
  day: string;
  at: Date;
  /** The learner's streaks after this entry, as the core worked them out. */
  streaks: Record<StreakUnit, StreakState>;
}

/** The ledger entry of an attempt the core decided to record, counted where the learner is. */
export function ledgerFactsOf(
  attempt: Attempt,
  decision: Extract<AttemptDecision, { record: true }>,
  place: Place,
): LedgerFacts {
  return {
    memberId: attempt.memberId,
    cohortId: place.cohortId,
    trackId: place.trackId,
    questionId: attempt.questionId,
    correct: attempt.correct,
    points: decision.points,
    week: decision.week,
    day: decision.day,
    at: attempt.at,
    streaks: { day: decision.streaks.day.state, week: decision.streaks.week.state },
  };
}
