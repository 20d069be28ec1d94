import type { Result } from "../result.js";
import type { StreakUnit } from "../rules/streak.js";
import type { Member } from "./identity.js";
import type { NewSchedule } from "./schedules.js";

export type CohortStatus = "active" | "paused" | "complete";

export interface Cohort {
  id: number;
  spaceId: number;
  name: string;
  /** The first day of week 1, as a calendar date in the cohort's zone (YYYY-MM-DD). */
  startDate: string;
  timezone: string;
  channelExternalId: string | null;
  status: CohortStatus;
  /** Whether streaks count days or weeks in this cohort. */
  streakUnit: StreakUnit;
  createdAt: Date;
}

export interface CohortSummary {
  memberCount: number;
  /** Members per current track; members with no track are not listed. */
  tracks: { trackId: string; members: number }[];
}

export interface NewCohort {
  spaceId: number;
  name: string;
  startDate: string;
  timezone: string;
  channelExternalId: string | null;
  createdBy: number;
  at: Date;
  /** The module schedule the cohort starts with, saved in the same transaction. */
  moduleSchedule: NewSchedule;
}

export interface CohortStore {
  /** Creates the cohort and moves its creator into it, in one transaction. */
  create(cohort: NewCohort): Promise<Result<Cohort, "name-taken">>;
  get(id: number): Promise<Cohort | undefined>;
  /** Names match without regard to case. */
  findByName(spaceId: number, name: string): Promise<Cohort | undefined>;
  list(spaceId: number): Promise<Cohort[]>;
  /** A member follows one cohort per space; joining another moves them (and their place on its boards). */
  join(memberId: number, cohortId: number): Promise<void>;
  setStreakUnit(cohortId: number, unit: StreakUnit): Promise<void>;
  summary(cohortId: number): Promise<CohortSummary>;
  setChannel(cohortId: number, channelExternalId: string): Promise<void>;
  /** Who created the cohort, to tell them when its posts cannot go out. */
  moderatorOf(cohortId: number): Promise<Member | undefined>;
}
