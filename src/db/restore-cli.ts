import { restoreDatabase } from "./backup.js";
import { sqliteBackupConfig } from "./backup-config.js";

// `npm run db:restore <file>`: puts a backup in place of the bot's database, keeping the old one aside.
// The bot must be stopped. Exit codes: 0 restored, 1 refused or failed (nothing replaced), 2 a wrong
// argument or configuration.

const USAGE =
  "Usage: npm run db:restore <backup file>\n" +
  "Stop the bot first; the current database is kept as <DATABASE_PATH>.before-restore-<UTC time>.";

function main(args: string[]): number {
  const config = sqliteBackupConfig(process.env);
  if (!config) return 2;
  const { databasePath } = config;
  const [file] = args;
  if (file === undefined || args.length > 1 || file.startsWith("-")) {
    console.error(USAGE);
    return 2;
  }
  if (databasePath === ":memory:") {
    console.error("DATABASE_PATH is :memory:, which cannot be restored into; set it to the bot's file.");
    return 2;
  }

  const result = restoreDatabase(file, databasePath, new Date());
  if (!result.ok) {
    console.error(`Not restored: ${result.reason}.`);
    return 1;
  }
  console.log(`Restored ${result.restoredFrom} into ${result.databasePath}: ${result.check.summary}.`);
  for (const note of result.notes) console.log(`Note: ${note}.`);
  if (result.previousKeptAs) {
    console.log(
      `The database it replaced is kept as ${result.previousKeptAs}; ` +
        `to go back, run npm run db:restore ${result.previousKeptAs}`,
    );
  }
  console.log("Start the bot again.");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
