import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

// The one schema. `npm run db:generate` turns changes here into SQL in migrations/.
// Instants are UTC milliseconds; calendar dates are 'YYYY-MM-DD' in the cohort's zone.

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull();

export const spaces = sqliteTable(
  "spaces",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform", { enum: ["terminal", "discord", "slack"] }).notNull(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("spaces_platform_external_id").on(t.platform, t.externalId)],
);

export const cohorts = sqliteTable(
  "cohorts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    createdBy: integer("created_by").references((): AnySQLiteColumn => members.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("cohorts_space_name").on(t.spaceId, t.nameKey),
    check("cohorts_start_date_format", sql`${t.startDate} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`),
  ],
);

export const members = sqliteTable(
  "members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    displayName: text("display_name").notNull(),
    /** The learner's own zone for streaks; null means the cohort's. */
    timezone: text("timezone"),
    cohortId: integer("cohort_id").references((): AnySQLiteColumn => cohorts.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("members_space_external_id").on(t.spaceId, t.externalId),
    index("members_cohort").on(t.cohortId),
  ],
);

export const trackMemberships = sqliteTable(
  "track_memberships",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    trackId: text("track_id").notNull(),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
    leftAt: integer("left_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    // One current track per member; past memberships stay as history.
    uniqueIndex("track_memberships_current").on(t.memberId).where(sql`${t.leftAt} IS NULL`),
    index("track_memberships_track").on(t.trackId),
  ],
);

export const schedules = sqliteTable(
  "schedules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["module", "reminder", "daily-question"] }).notNull(),
    cron: text("cron").notNull(),
    /** What the moderator typed ("mon 09:00"), shown back to them. */
    spec: text("spec").notNull(),
    timezone: text("timezone").notNull(),
    /** Fires are counted after this instant… */
    anchorAt: integer("anchor_at", { mode: "timestamp_ms" }).notNull(),
    /** …starting from this week (0: not started). Re-anchored on every change so past weeks never renumber. */
    anchorWeek: integer("anchor_week").notNull().default(0),
    pausedAt: integer("paused_at", { mode: "timestamp_ms" }),
    /** The next fire not yet planned; the timer's one indexed query. Null when paused or finished. */
    nextFireAt: integer("next_fire_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("schedules_cohort_kind").on(t.cohortId, t.kind),
    index("schedules_next_fire").on(t.nextFireAt),
  ],
);

/** Fires a moderator chose to skip: the week does not advance at them. */
export const scheduleSkips = sqliteTable(
  "schedule_skips",
  {
    scheduleId: integer("schedule_id")
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    fireAt: integer("fire_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.fireAt] })],
);

export const posts = sqliteTable(
  "posts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    week: integer("week").notNull(),
    kind: text("kind", {
      enum: ["module", "reminder", "wrap-up", "manual", "daily-question", "daily-results", "leaderboard"],
    }).notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    status: text("status", { enum: ["claimed", "sent", "failed", "skipped"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }),
    /** When a failed send may be tried again (backoff). */
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    externalMessageId: text("external_message_id"),
    error: text("error"),
    /** The process sending it now (fencing: another owner's result is refused), until `lease_until`. */
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
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

export const questionsDelivered = sqliteTable(
  "questions_delivered",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }).notNull(),
    closesAt: integer("closes_at", { mode: "timestamp_ms" }),
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
export const senders = sqliteTable("senders", {
  platform: text("platform", { enum: ["terminal", "discord", "slack"] }).primaryKey(),
  owner: text("owner").notNull(),
  leaseUntil: integer("lease_until", { mode: "timestamp_ms" }).notNull(),
  takenAt: integer("taken_at", { mode: "timestamp_ms" }).notNull(),
});

export const answers = sqliteTable(
  "answers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    deliveryId: integer("delivery_id").references(() => questionsDelivered.id, {
      onDelete: "set null",
    }),
    response: text("response").notNull(),
    /** What the grader told the learner about a challenge submission (the learner's own page shows it). */
    feedback: text("feedback"),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    /** True for the one attempt per member and question that earned points. */
    scored: integer("scored", { mode: "boolean" }).notNull().default(false),
    /** The platform's event id, so a replayed event is recognised and not stored twice. */
    eventKey: text("event_key"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("answers_scored_once").on(t.memberId, t.questionId).where(sql`${t.scored} = 1`),
    uniqueIndex("answers_event_key").on(t.eventKey),
    // Covers the answer path's "earlier attempts at this question" read: no row is fetched.
    index("answers_member_question").on(t.memberId, t.questionId, t.createdAt, t.correct),
  ],
);

/**
 * Append-only, one row per stored answer (points may be 0): the source every aggregate
 * below is rebuilt from (`npm run db:rebuild`).
 */
export const pointsLedger = sqliteTable(
  "points_ledger",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "set null" }),
    answerId: integer("answer_id").references(() => answers.id, { onDelete: "set null" }),
    questionId: text("question_id"),
    correct: integer("correct", { mode: "boolean" }).notNull().default(false),
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
    // With the rowid inside, this also reads a member's entries in the order they were written.
    // In id order per member, and covering the member's total of points.
    index("points_ledger_member").on(t.memberId, t.id, t.points),
    index("points_ledger_cohort").on(t.cohortId, t.createdAt),
  ],
);

/**
 * One leaderboard row per learner and board: a cohort's "all", "week:N" or "track:<id>".
 * Kept for the cohort's current members, updated in the answer's transaction.
 */
export const boardEntries = sqliteTable(
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
    reachedAt: integer("reached_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.board, t.memberId] }),
    // Top-N reads this index in order; own rank counts ties inside one points value.
    index("board_entries_rank").on(t.cohortId, t.board, sql`${t.points} DESC`, t.reachedAt, t.memberId),
  ],
);

/** How many learners of a board hold each points value: own rank sums these instead of counting rows. */
export const boardCounts = sqliteTable(
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
export const boardDayCounts = sqliteTable(
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
export const streaks = sqliteTable(
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
export const activityDays = sqliteTable(
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
export const questionStats = sqliteTable(
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
export const reviews = sqliteTable(
  "reviews",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    intervalDays: integer("interval_days").notNull(),
    ease: real("ease").notNull(),
    streak: integer("streak").notNull().default(0),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.questionId] }),
    index("reviews_member_due").on(t.memberId, t.dueAt),
  ],
);

/** Platform requests already taken by some process (a Slack request's signature), until a replay would be refused anyway. */
export const seenRequests = sqliteTable("seen_requests", {
  key: text("key").primaryKey(),
  forgetAfter: integer("forget_after", { mode: "timestamp_ms" }).notNull(),
});
export * from "./schema-web.js";
