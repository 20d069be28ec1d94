import type { StreakState, StreakStep, StreakUnit } from "../rules/streak.js";

export interface Attempt {
  spaceId: number;
  memberId: number;
  questionId: string;
  response: string;
  correct: boolean;
  /** What the grader told the learner (challenges); their own dashboard page shows it. */
  feedback?: string;
  /** The platform's id for the event (Discord interaction id, Slack trigger_id): replaying it stores nothing. */
  eventKey: string | null;
  at: Date;
}

/** What the store reads inside the answer's transaction, for the core to decide on. */
export interface AttemptFacts {
  /** The learner's cohort and current track at the time of the answer. */
  cohortId: number | null;
  trackId: string | null;
  /** Earlier attempts at this question: how many, whether one was right, whether one earned points. */
  attempts: number;
  solved: boolean;
  scored: boolean;
  /** The learner's streaks before this answer, in both units. */
  streaks: Record<StreakUnit, StreakState>;
}

/** The core's verdict on one attempt, given its facts: what to record, or why to record nothing. */
export type AttemptDecision =
  | {
      record: true;
      /** Points for the ledger; more than 0 marks the answer as the question's one scored answer. */
      points: number;
      reason: string;
      /** The cohort's week at the answer (0 before week 1 or without a cohort). */
      week: number;
      /** The learner's local calendar day at the answer (YYYY-MM-DD). */
      day: string;
      /** The learner's streaks after this answer. */
      streaks: Record<StreakUnit, StreakStep>;
    }
  | { record: false; why: "answered" | "moved" };

export type RecordedAttempt =
  | {
      stored: true;
      /** Points went to the ledger with this attempt. */
      scored: boolean;
      points: number;
      /** The cohort the answer counted for, read in the same transaction. */
      cohortId: number | null;
      /** The facts the decision was taken on. */
      before: AttemptFacts;
      streaks: Record<StreakUnit, StreakStep>;
    }
  /** Nothing stored: the same event was seen before ("replay"), or the core refused it. */
  | { stored: false; why: "replay" | "answered" | "moved"; before?: AttemptFacts };

export interface AttemptSummary {
  attempts: number;
  solved: boolean;
  lastAt: Date | null;
}

/** One submission to a challenge, as its learner's own page shows it. */
export interface ChallengeAttempt {
  questionId: string;
  at: Date;
  correct: boolean;
  /** The query the learner sent: theirs alone to see. */
  query: string;
  /** What the grader said; null for a pass, and for attempts stored before feedback was kept. */
  feedback: string | null;
}

export interface AnswerStore {
  /**
   * In one transaction: reads the attempt's facts, asks `decide` (the core's rules, pure and
   * synchronous), then stores the attempt, its ledger entry and the aggregates it moves.
   * A question's one scored answer is a constraint, not a read.
   */
  record(attempt: Attempt, decide: (facts: AttemptFacts) => AttemptDecision): Promise<RecordedAttempt>;
  summary(memberId: number, questionId: string): Promise<AttemptSummary>;
  /** Every question the member has attempted, with the outcome. */
  history(memberId: number): Promise<Map<string, AttemptSummary>>;
  totalPoints(memberId: number): Promise<number>;
  /**
   * The member's attempts at the questions named (the bank's challenges; quiz answers share the
   * table), newest first, at most `limit`.
   */
  challengeAttempts(
    memberId: number,
    challengeIds: readonly string[],
    limit: number,
  ): Promise<ChallengeAttempt[]>;
  /** Notes that a question was given to a member (for /quiz and /review). */
  deliver(spaceId: number, memberId: number, questionId: string, week: number, at: Date): Promise<void>;
}
