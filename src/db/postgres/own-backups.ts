/** What db:backup and db:restore say when the bot's store is PostgreSQL: its backups are its own. */
export const POSTGRES_BACKUPS =
  "DATABASE_URL is set: Quorum's data is in PostgreSQL, which this tool does not copy. " +
  "Back it up with PostgreSQL's own tools (pg_dump, or base backups with WAL archiving) and restore with pg_restore; " +
  "the README's Operations section says how.";
