import type { StreakState, StreakUnit } from "../rules/streak.js";
import type { Member } from "./identity.js";

/** A leaderboard of one cohort: all time, one week of the cohort, or the learners of one track. */
export type Board = { kind: "all" } | { kind: "week"; week: number } | { kind: "track"; trackId: string };

export interface Standing {
  /** 1-based; ties go to whoever reached the points first, then to the member Quorum saw first in the space. */
  rank: number;
  member: Member;
  points: number;
  reachedAt: Date;
}

export interface WeekParticipation {
  week: number;
  learners: number;
  points: number;
}

export interface QuestionTally {
  questionId: string;
  attempts: number;
  correct: number;
}

export interface ProgressRow {
  member: Member;
  trackId: string | null;
  /** All-time points in the cohort, and the place they give (null: not on the board yet). */
  points: number;
  rank: number | null;
  streaks: Record<StreakUnit, StreakState>;
}

export interface LapsingLearner {
  member: Member;
  streak: StreakState;
}

/** Leaderboards, streaks and activity: aggregates kept with every answer, rebuildable from the ledger. */
export interface ProgressStore {
  top(cohortId: number, board: Board, limit: number): Promise<Standing[]>;
  standing(cohortId: number, board: Board, memberId: number): Promise<Standing | undefined>;
  /** How many learners are on the board. */
  size(cohortId: number, board: Board): Promise<number>;
  streak(memberId: number, unit: StreakUnit): Promise<StreakState>;
  /** Activities per local day, for days from `from` to `to` inclusive. */
  activity(memberId: number, from: string, to: string): Promise<Map<string, number>>;
  /** Learners with any activity per cohort week, among the cohort's current members. */
  participation(cohortId: number): Promise<WeekParticipation[]>;
  /** Attempts per question made while in the cohort, including by learners who have since left. */
  questionTallies(cohortId: number): Promise<QuestionTally[]>;
  /** The cohort's members whose last active unit lies between `from` and `to` (inclusive), longest streaks first. */
  lapsing(cohortId: number, unit: StreakUnit, from: string, to: string): Promise<LapsingLearner[]>;
  /** One row per current member of the cohort, for the CSV export. */
  report(cohortId: number): Promise<ProgressRow[]>;
}
