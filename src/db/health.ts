import Database from "better-sqlite3";

/** Whether the connection answers a query: returns when it does, throws with SQLite's reason when not. */
export function pingSqlite(sqlite: Database.Database): void {
  sqlite.prepare("SELECT 1").get();
}

/**
 * The container's health check without the HTTP listener: the file opens read-only, passes SQLite's
 * quick_check and records at least one applied migration. Throws when the file is missing or unreadable.
 */
export function sqliteFileHealthy(path: string): boolean {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const check = sqlite.pragma("quick_check", { simple: true });
    const migrated = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    return check === "ok" && migrated.n > 0;
  } finally {
    sqlite.close();
  }
}
