import { type Config, formatConfigError, loadConfig } from "../config/load.js";

/** What db:backup and db:restore say when the bot's store is PostgreSQL: its backups are its own. */
const POSTGRES_BACKUPS =
  "DATABASE_URL is set: Quorum's data is in PostgreSQL, which this tool does not copy. " +
  "Back it up with PostgreSQL's own tools (pg_dump, or base backups with WAL archiving) and restore with pg_restore; " +
  "the README's Operations section says how.";

/**
 * The configuration db:backup and db:restore work from, whose store must be the SQLite file; when
 * it is wrong or names PostgreSQL, says why on stderr and gives nothing (the tool exits with 2).
 */
export function sqliteBackupConfig(env: NodeJS.ProcessEnv): Config | undefined {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    for (const error of loaded.errors) console.error(formatConfigError(error));
    return undefined;
  }
  if (loaded.config.databaseUrl) {
    console.error(POSTGRES_BACKUPS);
    return undefined;
  }
  return loaded.config;
}
