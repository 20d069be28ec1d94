import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// The PostgreSQL twin of ../schema.ts, table by table: same names, columns and meanings.
// `npm run db:generate:postgres` turns changes here into SQL in migrations-postgres/.
// Instants are timestamptz read as Date; calendar dates are 'YYYY-MM-DD' text in the cohort's zone.

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => instant("created_at").notNull();
// By default rather than always, so copying a SQLite deployment can keep its ids.
const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();

export const spaces = pgTable(
  "spaces",
  {
    id: id(),
    platform: text("platform", { enum: ["terminal", "discord", "slack"] }).notNull(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("spaces_platform_external_id").on(t.platform, t.externalId)],
);

export const cohorts = pgTable(
  "cohorts",
  {
    id: id(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Lower-cased name: names are unique in a space without regard to case. */
    nameKey: text("name_key").notNull(),
    startDate: text("start_date").notNull(),
    timezone: text("timezone").notNull(),
    channelExternalId: text("channel_external_id"),
    status: text("status", { enum: ["active", "paused", "complete"] })
      .notNull()
      .default("active"),
    /** Whether the cohort's streaks count days or weeks. */
    streakUnit: text("streak_unit", { enum: ["day", "week"] })
      .notNull()
      .default("day"),
    createdBy: integer("created_by").references((): AnyPgColumn => members.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("cohorts_space_name").on(t.spaceId, t.nameKey),
    check("cohorts_start_date_format", sql`${t.startDate} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
  ],
);

export const members = pgTable(
  "members",
  {
    id: id(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    displayName: text("display_name").notNull(),
    /** The learner's own zone for streaks; null means the cohort's. */
    timezone: text("timezone"),
    cohortId: integer("cohort_id").references((): AnyPgColumn => cohorts.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("members_space_external_id").on(t.spaceId, t.externalId),
    index("members_cohort").on(t.cohortId),
  ],
);

export const trackMemberships = pgTable(
  "track_memberships",
  {
    id: id(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    trackId: text("track_id").notNull(),
    joinedAt: instant("joined_at").notNull(),
    leftAt: instant("left_at"),
  },
  (t) => [
    // One current track per member; past memberships stay as history.
    uniqueIndex("track_memberships_current").on(t.memberId).where(sql`${t.leftAt} IS NULL`),
    index("track_memberships_track").on(t.trackId),
  ],
);

export const schedules = pgTable(
  "schedules",
  {
    id: id(),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["module", "reminder", "daily-question"] }).notNull(),
    cron: text("cron").notNull(),
    /** What the moderator typed ("mon 09:00"), shown back to them. */
    spec: text("spec").notNull(),
    timezone: text("timezone").notNull(),
    /** Fires are counted after this instant… */
    anchorAt: instant("anchor_at").notNull(),
    /** …starting from this week (0: not started). Re-anchored on every change so past weeks never renumber. */
    anchorWeek: integer("anchor_week").notNull().default(0),
    pausedAt: instant("paused_at"),
    /** The next fire not yet planned; the timer's one indexed query. Null when paused or finished. */
    nextFireAt: instant("next_fire_at"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("schedules_cohort_kind").on(t.cohortId, t.kind),
    index("schedules_next_fire").on(t.nextFireAt),
  ],
);

/** Fires a moderator chose to skip: the week does not advance at them. */
export const scheduleSkips = pgTable(
  "schedule_skips",
  {
    scheduleId: integer("schedule_id")
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    fireAt: instant("fire_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.fireAt] })],
);

export const posts = pgTable(
  "posts",
  {
    id: id(),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    week: integer("week").notNull(),
    kind: text("kind", {
      enum: ["module", "reminder", "wrap-up", "manual", "daily-question", "daily-results", "leaderboard"],
    }).notNull(),
    dueAt: instant("due_at").notNull(),
    status: text("status", { enum: ["claimed", "sent", "failed", "skipped"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: instant("claimed_at"),
    /** When a failed send may be tried again (backoff). */
    nextAttemptAt: instant("next_attempt_at"),
    sentAt: instant("sent_at"),
    externalMessageId: text("external_message_id"),
    error: text("error"),
    /** The process sending it now (fencing: another owner's result is refused), until `lease_until`. */
    leaseOwner: text("lease_owner"),
    leaseUntil: instant("lease_until"),
  },
  (t) => [
    // Claiming a post is inserting this row: a second claim of the same fire fails.
    uniqueIndex("posts_cohort_kind_due").on(t.cohortId, t.kind, t.dueAt),
    index("posts_status_next_attempt").on(t.status, t.nextAttemptAt),
    // Posts waiting for their first send, by cohort in due order: the fence that keeps a cohort's order.
    index("posts_cohort_untried")
      .on(t.cohortId, t.dueAt, t.id)
      .where(sql`${t.status} = 'claimed' AND ${t.attempts} = 0`),
  ],
);

export const questionsDelivered = pgTable(
  "questions_delivered",
  {
    id: id(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    /** Set for a question sent to one learner; null for one posted to a cohort's channel. */
    memberId: integer("member_id").references(() => members.id, { onDelete: "cascade" }),
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "cascade" }),
    week: integer("week").notNull(),
    channelExternalId: text("channel_external_id"),
    externalMessageId: text("external_message_id"),
    deliveredAt: instant("delivered_at").notNull(),
    closesAt: instant("closes_at"),
  },
  (t) => [
    index("questions_delivered_member").on(t.memberId, t.questionId),
    index("questions_delivered_cohort").on(t.cohortId, t.deliveredAt),
    // One daily question per cohort and fire, whichever sender chose it first.
    uniqueIndex("questions_delivered_daily_once")
      .on(t.cohortId, t.deliveredAt)
      .where(sql`${t.memberId} IS NULL`),
  ],
);

/** Which process sends each platform's posts: one at a time, while it renews its lease. */
export const senders = pgTable("senders", {
  platform: text("platform", { enum: ["terminal", "discord", "slack"] }).primaryKey(),
  owner: text("owner").notNull(),
  leaseUntil: instant("lease_until").notNull(),
  takenAt: instant("taken_at").notNull(),
});

export const answers = pgTable(
  "answers",
  {
    id: id(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    deliveryId: integer("delivery_id").references(() => questionsDelivered.id, {
      onDelete: "set null",
    }),
    response: text("response").notNull(),
    correct: boolean("correct").notNull(),
    /** True for the one attempt per member and question that earned points. */
    scored: boolean("scored").notNull().default(false),
    /** The platform's event id, so a replayed event is recognised and not stored twice. */
    eventKey: text("event_key"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("answers_scored_once").on(t.memberId, t.questionId).where(sql`${t.scored}`),
    uniqueIndex("answers_event_key").on(t.eventKey),
    // Covers the answer path's "earlier attempts at this question" read: no row is fetched.
    index("answers_member_question").on(t.memberId, t.questionId, t.createdAt, t.correct),
  ],
);

/**
 * Append-only, one row per stored answer (points may be 0): the source every aggregate
 * below is rebuilt from (`npm run db:rebuild`).
 */
export const pointsLedger = pgTable(
  "points_ledger",
  {
    id: id(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "set null" }),
    answerId: integer("answer_id").references(() => answers.id, { onDelete: "set null" }),
    questionId: text("question_id"),
    correct: boolean("correct").notNull().default(false),
    points: integer("points").notNull(),
    reason: text("reason").notNull(),
    /** The cohort's week when it was earned (0: before week 1 or no cohort). */
    week: integer("week").notNull().default(0),
    /** The learner's local calendar day then, in their zone at that moment; null on rows from before streaks. */
    day: text("day"),
    /** The learner's track then. */
    trackId: text("track_id"),
    createdAt: createdAt(),
  },
  (t) => [
    // PostgreSQL indexes hold no rowid, so the id is named: this reads a member's entries in the order written.
    // In id order per member, and covering the member's total of points.
    index("points_ledger_member").on(t.memberId, t.id, t.points),
    index("points_ledger_cohort").on(t.cohortId, t.createdAt),
  ],
);

/**
 * One leaderboard row per learner and board: a cohort's "all", "week:N" or "track:<id>".
 * Kept for the cohort's current members, updated in the answer's transaction.
 */
export const boardEntries = pgTable(
  "board_entries",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    board: text("board").notNull(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    points: integer("points").notNull(),
    /** When the learner reached these points: ties go to whoever got there first. */
    // UTC milliseconds as in SQLite (ranking divides them into epoch days): past integer's range, so bigint.
    reachedAt: bigint("reached_at", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.board, t.memberId] }),
    // Top-N reads this index in order; own rank counts ties inside one points value.
    index("board_entries_rank").on(t.cohortId, t.board, sql`${t.points} DESC`, t.reachedAt, t.memberId),
  ],
);

/** How many learners of a board hold each points value: own rank sums these instead of counting rows. */
export const boardCounts = pgTable(
  "board_counts",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    board: text("board").notNull(),
    points: integer("points").notNull(),
    members: integer("members").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.board, t.points] })],
);

/**
 * The same counts split by the day the points were reached (epoch days, UTC): own rank adds
 * whole earlier days of a tie and counts rows only inside its own day.
 */
export const boardDayCounts = pgTable(
  "board_day_counts",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    board: text("board").notNull(),
    points: integer("points").notNull(),
    day: integer("day").notNull(),
    members: integer("members").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.board, t.points, t.day] })],
);

/** A learner's streak, kept in both units so a cohort can switch between daily and weekly. */
export const streaks = pgTable(
  "streaks",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    unit: text("unit", { enum: ["day", "week"] }).notNull(),
    current: integer("current").notNull(),
    longest: integer("longest").notNull(),
    /** The last active day, or the Monday of the last active week (YYYY-MM-DD). */
    lastUnit: text("last_unit"),
    freezes: integer("freezes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.unit] }), index("streaks_unit_last").on(t.unit, t.lastUnit)],
);

/** Activities per learner and local day: the streak heat-map. */
export const activityDays = pgTable(
  "activity_days",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    activities: integer("activities").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.day] })],
);

/** Attempts and right answers per cohort and question, for accuracy per topic in /stats. */
export const questionStats = pgTable(
  "question_stats",
  {
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    attempts: integer("attempts").notNull(),
    correct: integer("correct").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.questionId] })],
);

/** Missed quiz items coming back by spaced repetition (/review). */
export const reviews = pgTable(
  "reviews",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    intervalDays: integer("interval_days").notNull(),
    // SQLite's REAL is eight bytes: double precision, not PostgreSQL's four-byte real.
    ease: doublePrecision("ease").notNull(),
    streak: integer("streak").notNull().default(0),
    dueAt: instant("due_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.questionId] }),
    index("reviews_member_due").on(t.memberId, t.dueAt),
  ],
);

/** Platform requests already taken by some process (a Slack request's signature), until a replay would be refused anyway. */
export const seenRequests = pgTable("seen_requests", {
  key: text("key").primaryKey(),
  forgetAfter: instant("forget_after").notNull(),
});
