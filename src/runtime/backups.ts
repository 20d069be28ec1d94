import { join } from "node:path";
import type { Logger } from "../core/ports/logger.js";
import { type BackupReport, backupDatabase, backupFileName, pruneBackups } from "../db/backup.js";
import type { SqliteConnection } from "../db/client.js";

export interface DailyBackupOptions {
  /** The bot's own connection, or the database file to open for each backup. */
  source: SqliteConnection | string;
  /** Where backups are written as quorum-YYYYMMDD-HHMMSS.db. */
  dir: string;
  /** UTC time of day, HH:MM. */
  dailyAt: string;
  /** Backups kept; older ones are deleted after each new one is written. */
  keep: number;
  now: () => Date;
  logger: Logger;
}

export type DailyBackupOutcome =
  | { ok: true; backup: BackupReport; deleted: string[] }
  | { ok: false; error: Error };

export interface DailyBackups {
  /** No further backups; resolves once a backup already under way has finished. */
  stop(): Promise<void>;
  /** A backup now (then pruning), as the timer would take it; never rejects. */
  runNow(): Promise<DailyBackupOutcome>;
}

const DAY_MS = 86_400_000;

/** The first instant strictly after `now` whose UTC time of day is `dailyAt` ("HH:MM"). */
export function nextBackupAt(now: Date, dailyAt: string): Date {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(dailyAt);
  if (!match) throw new Error(`"${dailyAt}" is not a UTC time of day as HH:MM, e.g. 03:00`);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = today + (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  return new Date(at > now.getTime() ? at : at + DAY_MS);
}

/**
 * Backs the database up once a day at `dailyAt` UTC, then deletes all but the newest `keep` daily
 * backups. A failed backup is logged, deletes nothing, and the next try is the next day.
 */
export function startDailyBackups(options: DailyBackupOptions): DailyBackups {
  const { logger } = options;
  let handle: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<DailyBackupOutcome> | undefined;

  const backUp = async (): Promise<DailyBackupOutcome> => {
    const destination = join(options.dir, backupFileName(options.now()));
    try {
      const backup = await backupDatabase(options.source, destination);
      const deleted = pruneBackups(options.dir, options.keep);
      logger.info(
        { path: backup.path, bytes: backup.bytes, seconds: backup.seconds, deleted },
        "daily backup written",
      );
      return { ok: true, backup, deleted };
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      logger.error({ err: error, path: destination }, "daily backup failed");
      return { ok: false, error };
    }
  };

  const runNow = (): Promise<DailyBackupOutcome> => {
    // One backup at a time: a second request while one runs gets that one's outcome.
    running ??= backUp().finally(() => {
      running = undefined;
    });
    return running;
  };

  const arm = (due: Date) => {
    if (stopped) return;
    clearTimeout(handle);
    logger.info({ at: due.toISOString() }, "daily backup scheduled");
    handle = setTimeout(() => void fire(due), Math.max(0, due.getTime() - options.now().getTime()));
    // The backup timer alone never keeps the process alive.
    handle.unref();
  };

  async function fire(due: Date): Promise<void> {
    const now = options.now();
    // A timer that wakes early (or a clock set back) waits for the due time, rather than backing up twice.
    if (now < due) {
      if (!stopped) {
        handle = setTimeout(() => void fire(due), due.getTime() - now.getTime());
        handle.unref();
      }
      return;
    }
    await runNow();
    arm(nextBackupAt(options.now(), options.dailyAt));
  }

  arm(nextBackupAt(options.now(), options.dailyAt));
  return {
    async stop() {
      stopped = true;
      clearTimeout(handle);
      await running;
    },
    runNow,
  };
}
