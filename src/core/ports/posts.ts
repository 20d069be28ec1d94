import type { Cohort } from "./cohorts.js";
import type { Platform } from "./identity.js";
import type { Schedule } from "./schedules.js";

export type PostKind =
  | "module"
  | "reminder"
  | "wrap-up"
  | "manual"
  | "daily-question"
  | "daily-results"
  | "leaderboard";
export type PostStatus = "claimed" | "sent" | "failed" | "skipped";

export interface PostClaim {
  cohortId: number;
  week: number;
  kind: PostKind;
  dueAt: Date;
}

export interface Post extends PostClaim {
  id: number;
  status: PostStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  error: string | null;
}

/** What one schedule's fires came to, written in one transaction with its other plans. */
export interface SchedulePlan {
  scheduleId: number;
  /** The schedule as it was read for planning: the plan is written only if the row still says this, so a moderator's change in between is never undone. */
  basis: Pick<Schedule, "cron" | "timezone" | "anchorAt" | "anchorWeek" | "nextFireAt">;
  nextFireAt: Date | null;
  claims: PostClaim[];
  /** Fires missed for longer than the catch-up window: recorded, never sent. */
  missed: PostClaim[];
  completesCohort: boolean;
}

export interface PostTarget {
  post: Post;
  cohort: Cohort;
  platform: Platform;
  spaceExternalId: string;
}

/** A send's right to go ahead: the process that leased the post, and until when. */
export interface PostLease {
  owner: string;
  now: Date;
  until: Date;
}

export interface PostStore {
  /**
   * Claims every plan's posts (a fire already claimed is left alone) and moves each schedule on, in one
   * transaction; a plan whose schedule changed or went since it was read (paused, reset) is left out.
   */
  plan(plans: SchedulePlan[], at: Date): Promise<Post[]>;
  /** Claims one post outside the schedule (post-now); undefined when that exact post exists. */
  claim(claim: PostClaim, at: Date): Promise<Post | undefined>;
  /**
   * Leases claimed posts whose next attempt is due, oldest first, on the platforms whose sending
   * right the owner holds (see SenderStore): free posts, the owner's own, and those whose lease ran out.
   */
  lease(lease: PostLease, limit: number): Promise<PostTarget[]>;
  /**
   * The fence before a send: renews the owner's lease on a claimed post, as `lease` would take it.
   * Undefined when it is not theirs to send, or not yet: an older post of its cohort, never tried,
   * goes first (last week's board before the new module, whichever process claimed which).
   */
  hold(postId: number, lease: PostLease): Promise<PostTarget | undefined>;
  /** Each mark holds only while the post is claimed and leased by `owner`: false when it was refused. */
  markSent(id: number, owner: string, at: Date, externalMessageId: string | null): Promise<boolean>;
  markRetry(
    id: number,
    owner: string,
    attempts: number,
    nextAttemptAt: Date,
    error: string,
  ): Promise<boolean>;
  markFailed(id: number, owner: string, attempts: number, error: string): Promise<boolean>;
  forCohort(cohortId: number): Promise<Post[]>;
  nextAttemptAt(): Promise<Date | undefined>;
  /** Pauses every schedule of the cohort, when its channel is gone or closed to the bot. */
  pauseCohort(cohortId: number, at: Date): Promise<void>;
}

/**
 * Which process sends each platform's posts: one at a time, so the platform's rate limit and each
 * cohort's post order hold however many processes run.
 */
export interface SenderStore {
  /** Takes the platform's sending right, or renews it, until `until`; false while another owner's right runs. */
  take(platform: Platform, lease: PostLease): Promise<boolean>;
  /** Gives up every sending right and post lease of this owner (shutdown), so another process takes over at once. */
  release(owner: string): Promise<void>;
}
