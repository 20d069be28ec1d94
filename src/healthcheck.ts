import Database from "better-sqlite3";
import { loadConfig } from "./config.js";

// The container's health check: the database opens, is intact, and has been migrated.
const loaded = loadConfig(process.env);
if (!loaded.ok) process.exit(1);
try {
  const sqlite = new Database(loaded.config.databasePath, { readonly: true, fileMustExist: true });
  const check = sqlite.pragma("quick_check", { simple: true });
  const migrated = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  sqlite.close();
  process.exit(check === "ok" && migrated.n > 0 ? 0 : 1);
} catch {
  process.exit(1);
}
