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
export interface ProgressStore extends CohortReportStore {
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

/** One cohort of a space at a glance: its members, and how many of them were active in each cohort week. */
export interface CohortActivity {
  cohortId: number;
  members: number;
  /** Weeks with any activity, in week order (0: before week 1). */
  weeks: { week: number; learners: number }[];
}

/** When a current member was last active: what the at-risk list needs. */
export interface QuietMember {
  member: Member;
  /** The last local day with any activity (the daily streak's last unit); null: never active. */
  lastActive: string | null;
  /** The last cohort week with any activity in this cohort; null: none. */
  lastWeek: number | null;
}

/** What the members page needs per current member beyond the report. */
export interface MemberActivity extends QuietMember {
  /** Distinct questions among those asked about (the challenges) with a right answer, in any cohort. */
  solved: number;
}

/** How often one wrong response was given to one question. */
export interface ResponseTally {
  questionId: string;
  response: string;
  count: number;
}

/** The dashboard's reads: whole cohorts in one or two statements, never one per member. */
export interface CohortReportStore {
  /** Every cohort of the space, in the order `cohorts.list` gives them. */
  cohortActivity(spaceId: number): Promise<CohortActivity[]>;
  /** One row per current member of the cohort, by member id; `solvedOf` names the questions `solved` counts. */
  memberActivity(cohortId: number, solvedOf: readonly string[]): Promise<MemberActivity[]>;
  /**
   * The current members not active since the day `activeSince`, or with no cohort week from `weekSince`
   * on (never active counts as both), by member id: the at-risk list reads only these.
   */
  quietMembers(cohortId: number, activeSince: string, weekSince: number): Promise<QuietMember[]>;
  /**
   * Wrong answers made while in the cohort to the questions named, counted per question and stored
   * response; by question id (byte order), then most given first, then response (byte order).
   */
  wrongResponses(cohortId: number, questionIds: readonly string[]): Promise<ResponseTally[]>;
}
