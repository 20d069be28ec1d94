import type Database from "better-sqlite3";
import { compareSchema, type KnownMigration, shippedMigrations } from "../db/schema-version.js";
import type { Check } from "./http.js";

export interface ReadinessSources {
  sqlite: Database.Database;
  /** Each running adapter's connection state by name. */
  adapters: Record<string, () => boolean>;
  /** True once shutdown has begun: the bot should get no new traffic. */
  stopping(): boolean;
}

function databaseCheck(sqlite: Database.Database): Check {
  if (!sqlite.open) return { ok: false, detail: "closed" };
  try {
    sqlite.prepare("SELECT 1").get();
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

function migrationsCheck(sqlite: Database.Database, known: KnownMigration[]): Check {
  if (!sqlite.open) return { ok: false, detail: "database closed" };
  const schema = compareSchema(sqlite, known);
  if (!schema.ok) return { ok: false, detail: `the database ${schema.reason}` };
  if (schema.pending.length > 0) return { ok: false, detail: `pending: ${schema.pending.join(", ")}` };
  return { ok: true, detail: `${schema.applied} applied` };
}

/** What /readyz reports: the database answers, its schema is current, every adapter is connected. */
export function readiness(sources: ReadinessSources): () => Record<string, Check> {
  // The shipped migrations cannot change while the process runs: read and hashed once.
  const known = shippedMigrations();
  return () => {
    const checks: Record<string, Check> = {
      database: databaseCheck(sources.sqlite),
      migrations: migrationsCheck(sources.sqlite, known),
    };
    for (const [name, connected] of Object.entries(sources.adapters)) {
      checks[name] = connected() ? { ok: true } : { ok: false, detail: "not connected" };
    }
    checks.accepting = sources.stopping() ? { ok: false, detail: "shutting down" } : { ok: true };
    return checks;
  };
}
