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

export interface Identity {
  space: Space;
  member: Member;
}

/** Spaces and members are created on first write, never by merely reading. */
export interface IdentityStore {
  /** The actor's space, whether or not the actor has been seen in it. */
  findSpace(actor: Actor): Promise<Space | undefined>;
  find(actor: Actor): Promise<Identity | undefined>;
  /** A member and their space by the member's id (a dashboard session names its member so). */
  byMemberId(memberId: number): Promise<Identity | undefined>;
  ensure(actor: Actor, at: Date): Promise<Identity>;
  /** Members of the space whose external id is `query`, or whose display name is it (any case). */
  lookup(spaceId: number, query: string): Promise<Member[]>;
  /** The learner's own zone for streaks; null follows the cohort's. */
  setTimezone(memberId: number, timezone: string | null): Promise<void>;
}
