/** A cohort's channel as the bot's SQLite file holds it, read and written beside the running bot. */
import Database from "better-sqlite3";

function open(databasePath: string, readonly: boolean): Database.Database {
  const sqlite = new Database(databasePath, { readonly });
  // The running bot may be writing; wait for it rather than fail.
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

/** The channel id stored for the cohort of that name (null: none). */
export function storedChannel(databasePath: string, cohort: string): string | null {
  const sqlite = open(databasePath, true);
  try {
    const row = sqlite.prepare("SELECT channel_external_id AS id FROM cohorts WHERE name = ?").get(cohort) as
      | { id: string | null }
      | undefined;
    if (!row) throw new Error(`The database has no cohort ${cohort}`);
    return row.id;
  } finally {
    sqlite.close();
  }
}

/** Stores a channel id for the cohort directly, as a version of the bot without the channel check could have. */
export function storeChannel(databasePath: string, cohort: string, channelId: string): void {
  const sqlite = open(databasePath, false);
  try {
    const changed = sqlite
      .prepare("UPDATE cohorts SET channel_external_id = ? WHERE name = ?")
      .run(channelId, cohort).changes;
    if (changed !== 1) throw new Error(`The database has no cohort ${cohort}`);
  } finally {
    sqlite.close();
  }
}

/** Whether any of the cohort's schedules is paused (as a channel that looks gone pauses them). */
export function cohortPaused(databasePath: string, cohort: string): boolean {
  const sqlite = open(databasePath, true);
  try {
    const row = sqlite
      .prepare(
        `SELECT count(*) AS paused FROM schedules s JOIN cohorts c ON c.id = s.cohort_id
          WHERE c.name = ? AND s.paused_at IS NOT NULL`,
      )
      .get(cohort) as { paused: number };
    return row.paused > 0;
  } finally {
    sqlite.close();
  }
}
