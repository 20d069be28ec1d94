import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { backupDatabase, backupFileName, checkBackup, formatBytes } from "./backup.js";
import { sqliteBackupConfig } from "./backup-config.js";

// `npm run db:backup [file or folder]`: a consistent copy of the bot's database, safe while it runs.
// Exit codes: 0 written and checked, 1 the backup failed, 2 a wrong argument or configuration.

const USAGE =
  "Usage: npm run db:backup [file or folder]\n" +
  "With no argument the backup goes to BACKUP_DIR as quorum-YYYYMMDD-HHMMSS.db (UTC).";

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function main(args: string[]): Promise<number> {
  const config = sqliteBackupConfig(process.env);
  if (!config) return 2;
  const { databasePath, backup } = config;
  if (args.length > 1 || args.some((arg) => arg.startsWith("-"))) {
    console.error(USAGE);
    return 2;
  }
  if (databasePath === ":memory:") {
    console.error("DATABASE_PATH is :memory:, which keeps nothing to back up; set it to the bot's file.");
    return 2;
  }
  if (!existsSync(databasePath)) {
    console.error(
      `No database at ${databasePath}: nothing to back up (set DATABASE_PATH to the bot's file).`,
    );
    return 2;
  }
  const now = new Date();
  const named = args[0] === undefined ? backup.dir : resolve(args[0]);
  const destination = args[0] === undefined || isFolder(named) ? join(named, backupFileName(now)) : named;
  if (destination === databasePath) {
    console.error(`${destination} is the database itself; name another file for the backup.`);
    return 2;
  }

  try {
    const report = await backupDatabase(databasePath, destination);
    const check = checkBackup(report.path);
    if (!check.ok) {
      console.error(`The backup at ${report.path} ${check.reason}. Keep the previous backups.`);
      return 1;
    }
    console.log(
      `Backed up ${databasePath} to ${report.path}: ${formatBytes(report.bytes)}, ` +
        `${report.pages.toLocaleString("en-US")} pages in ${report.seconds.toFixed(1)} s; ${check.summary}.`,
    );
    return 0;
  } catch (error) {
    console.error(`Backup of ${databasePath} to ${destination} failed: ${(error as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Backup stopped: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
