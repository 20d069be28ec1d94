import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./schema-columns.js";
import { cohorts, members, spaces } from "./schema-people.js";

// The PostgreSQL twin of ../schema.ts, table by table: same names, columns and meanings.
// `npm run db:generate:postgres` turns changes here into SQL in migrations-postgres/; the tables of
// people and of the aggregates live in schema-people.ts and schema-aggregates.ts, exported from here.
// Instants are timestamptz read as Date; calendar dates are 'YYYY-MM-DD' text in the cohort's zone.

export * from "./schema-aggregates.js";
export * from "./schema-people.js";
export * from "./schema-web.js";

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
    /** What the grader told the learner about a challenge submission (the learner's own page shows it). */
    feedback: text("feedback"),
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
