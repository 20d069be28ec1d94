import type { Result } from "./result.js";

export const platforms = ["terminal", "discord", "slack"] as const;
export type Platform = (typeof platforms)[number];

/** Who is speaking, as the adapter saw it. Permission facts come from the platform. */
export interface Actor {
  platform: Platform;
  spaceExternalId: string;
  spaceName: string;
  userExternalId: string;
  displayName: string;
  /** Manage Server on Discord, admin or owner on Slack, the first local user in the terminal. */
  isModerator: boolean;
  channelExternalId?: string;
}

export interface Space {
  id: number;
  platform: Platform;
  externalId: string;
  name: string;
}

export interface Member {
  id: number;
  spaceId: number;
  externalId: string;
  displayName: string;
  timezone: string | null;
  cohortId: number | null;
}

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
  createdAt: Date;
}

export interface TrackMembership {
  memberId: number;
  trackId: string;
  joinedAt: Date;
}

export interface CohortSummary {
  memberCount: number;
  /** Members per current track; members with no track are not listed. */
  tracks: { trackId: string; members: number }[];
}

export interface Identity {
  space: Space;
  member: Member;
}

/** Spaces and members are created on first write, never by merely reading. */
export interface IdentityStore {
  /** The actor's space, whether or not the actor has been seen in it. */
  findSpace(actor: Actor): Promise<Space | undefined>;
  find(actor: Actor): Promise<Identity | undefined>;
  ensure(actor: Actor, at: Date): Promise<Identity>;
}

export interface NewCohort {
  spaceId: number;
  name: string;
  startDate: string;
  timezone: string;
  channelExternalId: string | null;
  createdBy: number;
  at: Date;
}

export interface CohortStore {
  /** Creates the cohort and moves its creator into it, in one transaction. */
  create(cohort: NewCohort): Promise<Result<Cohort, "name-taken">>;
  get(id: number): Promise<Cohort | undefined>;
  /** Names match without regard to case. */
  findByName(spaceId: number, name: string): Promise<Cohort | undefined>;
  list(spaceId: number): Promise<Cohort[]>;
  /** A member follows one cohort per space; joining another moves them. */
  join(memberId: number, cohortId: number): Promise<void>;
  summary(cohortId: number): Promise<CohortSummary>;
}

export interface TrackStore {
  current(memberId: number): Promise<TrackMembership | undefined>;
  /** Ends the current membership, if any, and starts the new one, in one transaction. */
  join(memberId: number, trackId: string, at: Date): Promise<{ previous: string | null }>;
  leave(memberId: number, at: Date): Promise<TrackMembership | undefined>;
}

/** Everything the core keeps. Implementations keep their SQL to themselves (see src/db). */
export interface Store {
  identities: IdentityStore;
  cohorts: CohortStore;
  tracks: TrackStore;
}
