import type { Message } from "./messages.js";
import type { Result } from "./result.js";
import type { StreakState, StreakStep, StreakUnit } from "./rules/streak.js";

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
  /** Whether streaks count days or weeks in this cohort. */
  streakUnit: StreakUnit;
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
  /** Members of the space whose external id is `query`, or whose display name is it (any case). */
  lookup(spaceId: number, query: string): Promise<Member[]>;
  /** The learner's own zone for streaks; null follows the cohort's. */
  setTimezone(memberId: number, timezone: string | null): Promise<void>;
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

export type ScheduleKind = "module" | "reminder" | "daily-question";

export interface Schedule {
  id: number;
  cohortId: number;
  kind: ScheduleKind;
  cron: string;
  /** What the moderator typed, shown back: "mon 09:00". */
  spec: string;
  timezone: string;
  anchorAt: Date;
  anchorWeek: number;
  pausedAt: Date | null;
  /** The next fire not yet planned; null when paused or finished. */
  nextFireAt: Date | null;
  /** Skipped fires, epoch milliseconds. */
  skips: number[];
}

export type NewSchedule = Omit<Schedule, "id" | "cohortId" | "skips">;

export interface DueSchedule {
  schedule: Schedule;
  cohort: Cohort;
  platform: Platform;
  spaceExternalId: string;
  /** The cohort's module schedule (the schedule itself when it is one): the week a reminder belongs to. Null for a cohort saved before schedules existed. */
  moduleSchedule: Schedule | null;
}

export interface ScheduleStore {
  forCohort(cohortId: number): Promise<Schedule[]>;
  /** Creates or replaces the cohort's schedule of that kind; skips of a replaced one are dropped. */
  save(cohortId: number, schedule: NewSchedule, at: Date): Promise<Schedule>;
  update(
    id: number,
    changes: Partial<Pick<Schedule, "anchorAt" | "anchorWeek" | "pausedAt" | "nextFireAt">>,
    at: Date,
  ): Promise<void>;
  remove(cohortId: number, kind: ScheduleKind): Promise<boolean>;
  addSkip(id: number, fireAt: Date): Promise<void>;
  /** Unpaused schedules of unfinished cohorts whose next fire is at or before `now`, oldest first. */
  due(now: Date, limit: number): Promise<DueSchedule[]>;
  /** The earliest next fire of any unpaused schedule. */
  nextFireAt(): Promise<Date | undefined>;
}

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

/** Platform requests already taken by any process, remembered until a replay of them would be refused anyway. */
export interface RequestStore {
  /** True the first time `key` is offered (or once `forgetAfter` of its last offer has passed); false for a repeat. */
  firstTime(key: string, at: Date, forgetAfter: Date): Promise<boolean>;
}

export interface TrackStore {
  current(memberId: number): Promise<TrackMembership | undefined>;
  /** Ends the current membership, if any, and starts the new one, in one transaction. */
  join(memberId: number, trackId: string, at: Date): Promise<{ previous: string | null }>;
  leave(memberId: number, at: Date): Promise<TrackMembership | undefined>;
}

/** Everything the core keeps. Implementations keep their SQL to themselves (see src/db). */
export interface Attempt {
  spaceId: number;
  memberId: number;
  questionId: string;
  response: string;
  correct: boolean;
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
  /** Notes that a question was given to a member (for /quiz and /review). */
  deliver(spaceId: number, memberId: number, questionId: string, week: number, at: Date): Promise<void>;
}

/** A question posted to a cohort's channel (the daily question). */
export interface CohortDelivery {
  id: number;
  cohortId: number;
  questionId: string;
  week: number;
  deliveredAt: Date;
  closesAt: Date;
}

export interface DeliveryStore {
  /** The daily question posted for the fire at `deliveredAt`, if it was chosen already (a retried send reuses it). */
  forCohortAt(cohortId: number, deliveredAt: Date): Promise<CohortDelivery | undefined>;
  create(delivery: Omit<CohortDelivery, "id"> & { spaceId: number }): Promise<CohortDelivery>;
  /** Question ids the cohort has had as daily questions. */
  usedByCohort(cohortId: number): Promise<Set<string>>;
  /** The cohort's daily question with this id, if it is still open at `now`. */
  open(cohortId: number, questionId: string, now: Date): Promise<CohortDelivery | undefined>;
  /** Closed daily questions whose results post has not been claimed yet. */
  closedWithoutResults(now: Date, limit: number): Promise<CohortDelivery[]>;
  /** The cohort's daily question that closed at exactly this instant. */
  closedAt(cohortId: number, closesAt: Date): Promise<CohortDelivery | undefined>;
  /** How the cohort answered: each response with its count, while the question was open. */
  tally(delivery: CohortDelivery): Promise<{ response: string; correct: boolean; count: number }[]>;
}

export interface ReviewEntry {
  questionId: string;
  intervalDays: number;
  ease: number;
  streak: number;
  dueAt: Date;
}

export interface ReviewStore {
  get(memberId: number, questionId: string): Promise<ReviewEntry | undefined>;
  save(memberId: number, entry: ReviewEntry, at: Date): Promise<void>;
  remove(memberId: number, questionId: string): Promise<void>;
  /** The member's review due longest ago, if any is due at `now`. */
  nextDue(memberId: number, now: Date): Promise<ReviewEntry | undefined>;
  /** The member's next review, due or not. */
  earliest(memberId: number): Promise<ReviewEntry | undefined>;
}

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

export interface Store {
  identities: IdentityStore;
  progress: ProgressStore;
  cohorts: CohortStore;
  tracks: TrackStore;
  schedules: ScheduleStore;
  posts: PostStore;
  senders: SenderStore;
  requests: RequestStore;
  answers: AnswerStore;
  reviews: ReviewStore;
  deliveries: DeliveryStore;
}

export interface ChannelTarget {
  platform: Platform;
  spaceExternalId: string;
  channelExternalId: string;
}

export interface UserTarget {
  platform: Platform;
  spaceExternalId: string;
  userExternalId: string;
}

export type SendProblem = "channel-gone" | "forbidden" | "rate-limited" | "transient";

export type SendOutcome =
  | { ok: true; messageId: string | null }
  | { ok: false; problem: SendProblem; detail: string; retryAfterMs?: number };

/** How the core posts to a platform; each adapter implements one. */
export interface ChatOutbox {
  /** `key` is the same on every retry of one post, for platforms that can deduplicate. */
  send(target: ChannelTarget, message: Message, key: string): Promise<SendOutcome>;
  /** A private message to one person (the moderator, when posting fails). */
  notify(target: UserTarget, message: Message): Promise<SendOutcome>;
}

export type TrackRoleOutcome = { ok: true } | { ok: false; problem: "forbidden" | "failed"; detail: string };

/** Platform roles that mirror role tracks (Discord server roles); platforms without roles have none. */
export interface TrackRoles {
  /** Gives the person the track's role (made if missing) and takes other track roles away; null takes all. */
  follow(actor: Actor, track: { id: string; name: string } | null): Promise<TrackRoleOutcome>;
}

/**
 * Why a channel id may not take a cohort's posts: it belongs to another server or workspace, it is
 * a person or a direct message, the platform does not know it (or hides it from the bot), or the
 * platform could not be asked just now.
 */
export type ChannelRefusal = "elsewhere" | "not-a-channel" | "unknown" | "unavailable";

/** A channel the space may post to, by its id (a name given is resolved to the id), or why not. */
export type ChannelCheck =
  | { ok: true; channelExternalId: string }
  | { ok: false; reason: ChannelRefusal; detail: string };

/** Whether a channel id (or name) names a channel of the target's own space; platforms without such ids have none. */
export interface ChannelDirectory {
  /** Never throws: a platform that cannot be reached answers "unavailable". */
  check(target: ChannelTarget): Promise<ChannelCheck>;
}

/** A picture drawn, or why not: every drawer is busy and its queue full, or drawing failed. */
export type PictureOutcome =
  | { ok: true; png: Uint8Array }
  | { ok: false; reason: "busy" | "failed"; detail: string };

/** Turns an SVG picture the core drew into PNG bytes; never makes a reply wait in a queue. */
export interface PictureRenderer {
  png(svg: string): Promise<PictureOutcome>;
}
