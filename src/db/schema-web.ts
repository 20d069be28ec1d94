import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members, spaces } from "./schema.js";

// The dashboard's sign-in: links from /dashboard and the sessions they open. Only hashes of tokens are kept.

/** One-time sign-in links; a link is used by setting used_at, once, before it expires. */
export const webLinks = sqliteTable(
  "web_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    /** Moderator rights as the platform gave them when /dashboard was run. */
    moderator: integer("moderator", { mode: "boolean" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("web_links_expires").on(t.expiresAt)],
);

/** Signed-in browsers: the cookie's token hashed, with the form token its pages carry. */
export const webSessions = sqliteTable(
  "web_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    moderator: integer("moderator", { mode: "boolean" }).notNull(),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("web_sessions_member").on(t.memberId), index("web_sessions_expires").on(t.expiresAt)],
);
