import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./schema-columns.js";

// Spaces, their members, cohorts and track memberships: part of the PostgreSQL schema (see schema.ts).

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
