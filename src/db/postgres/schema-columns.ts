import { integer, timestamp } from "drizzle-orm/pg-core";

// The column shapes every PostgreSQL table of the schema uses.

/** Instants are timestamptz read as Date. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => instant("created_at").notNull();
// By default rather than always, so copying a SQLite deployment can keep its ids.
export const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();
