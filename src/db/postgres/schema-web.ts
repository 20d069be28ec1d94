import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./schema-columns.js";
import { members, spaces } from "./schema-people.js";

// The twin of ../schema-web.ts: the dashboard's sign-in links and sessions, tokens kept only as hashes.

export const webLinks = pgTable(
  "web_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    moderator: boolean("moderator").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("web_links_expires").on(t.expiresAt)],
);

export const webSessions = pgTable(
  "web_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    spaceId: integer("space_id")
      .notNull()
      .references(() => spaces.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    moderator: boolean("moderator").notNull(),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: instant("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("web_sessions_member").on(t.memberId), index("web_sessions_expires").on(t.expiresAt)],
);
