import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { compareSchema, shippedMigrations } from "./schema-version.js";

// Backups use SQLite's online backup API, so they are consistent while the bot keeps writing.
// A backup is one self-contained file (rollback journal mode, no -wal beside it).

export interface BackupReport {
  path: string;
  bytes: number;
  pages: number;
  seconds: number;
}

export type CheckResult =
  | {
      ok: true;
      file: string;
      bytes: number;
      /** Migrations the backup has applied, all of them known to this code. */
      applied: number;
      /** This code's migrations the backup lacks (by tag); they apply when the bot next starts. */
      pending: string[];
      /** One line for people: intact, and how its schema compares with this code. */
      summary: string;
    }
  | { ok: false; file: string; reason: string };

export type CheckedBackup = Extract<CheckResult, { ok: true }>;

export type RestoreResult =
  | {
      ok: true;
      databasePath: string;
      restoredFrom: string;
      /** Where the database that was replaced now lives; undefined when there was none. */
      previousKeptAs: string | undefined;
      check: CheckedBackup;
      /** Anything unusual the restore did, e.g. kept an unreadable database as it was. */
      notes: string[];
    }
  | { ok: false; reason: string };

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
const SIDE_FILES = ["-wal", "-shm", "-journal"] as const;
const DAILY_NAME = /^quorum-\d{8}-\d{6}\.db$/;
/** better-sqlite3 clamps a step to this many pages: in practice, the whole database in one step. */
const ALL_PAGES = 0x7fff_ffff;

/** `YYYYMMDD-HHMMSS` in UTC: sorts like time, and is safe in file names on every system. */
function utcStamp(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
}

/** The name daily backups (and `npm run db:backup` without a path) get; pruning only counts these. */
export function backupFileName(at: Date): string {
  return `quorum-${utcStamp(at)}.db`;
}

/** Sizes for people: 812 KB, 1.2 MB, 3.4 GB. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function removeWithSideFiles(path: string): void {
  rmSync(path, { force: true });
  for (const suffix of SIDE_FILES) rmSync(path + suffix, { force: true });
}

/** Forces a written file to disk, so the rename that follows never names a half-flushed file. */
function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename in `dir` durable; some systems cannot open or sync a folder, and then it only is atomic. */
function fsyncFolder(dir: string): void {
  try {
    fsyncFile(dir);
  } catch {
    // The rename already happened; only its survival of a power cut is less certain.
  }
}

/**
 * Copies a live database to `destination` with SQLite's backup API. `source` is a path (opened for
 * this backup only) or an open connection (the bot's own). The copy is written to `<destination>.partial`
 * and renamed when complete, so a file with the final name is always a whole backup.
 */
export async function backupDatabase(
  source: string | Database.Database,
  destination: string,
): Promise<BackupReport> {
  const started = performance.now();
  const target = resolve(destination);
  const partial = `${target}.partial`;
  if (typeof source === "string" && !existsSync(source)) {
    throw new Error(`There is no database at ${source}.`);
  }
  if (resolve(typeof source === "string" ? source : source.name) === target) {
    throw new Error(`${target} is the database itself; a backup needs another file.`);
  }
  mkdirSync(dirname(target), { recursive: true });
  // A partial file left by a crash would be taken as an existing database to overwrite page by page.
  removeWithSideFiles(partial);

  const sqlite =
    typeof source === "string" ? new Database(source, { fileMustExist: true, timeout: 5000 }) : source;
  let pages: number;
  try {
    // One step copies every page under one read snapshot. Smaller steps would let a writer in another
    // process restart the copy after each of them, and a busy bot could keep it from ever finishing.
    const progress = await sqlite.backup(partial, { progress: () => ALL_PAGES });
    pages = progress.totalPages;
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // The copied header says WAL; rollback mode makes the backup one file, readable without side files.
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    // A -wal left beside the final name would be replayed over the new file on its first open.
    for (const suffix of SIDE_FILES) rmSync(target + suffix, { force: true });
    renameSync(partial, target);
    fsyncFolder(dirname(target));
  } catch (error) {
    removeWithSideFiles(partial);
    throw error;
  } finally {
    if (typeof source === "string") sqlite.close();
  }
  return {
    path: target,
    bytes: statSync(target).size,
    pages,
    seconds: (performance.now() - started) / 1000,
  };
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(100);
    const read = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `file` is a backup this code can restore: a SQLite database on its own (no changes waiting
 * in a -wal beside it), intact by `PRAGMA integrity_check`, with only migrations this code knows.
 * An older schema passes: the missing migrations apply when the bot starts on it.
 */
export function checkBackup(file: string): CheckResult {
  const path = resolve(file);
  const refuse = (reason: string): CheckResult => ({ ok: false, file: path, reason });
  let bytes: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return refuse("is not a file");
    bytes = stat.size;
  } catch {
    return refuse("does not exist");
  }
  if (bytes === 0) return refuse("is empty (0 bytes), so it holds no database");
  const header = readHeader(path);
  if (header.length < 100 || !header.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
    return refuse("is not a SQLite database (it does not start with the SQLite header)");
  }
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    return refuse(
      `has changes waiting in ${basename(wal)} beside it, so the file alone is not the whole database; ` +
        `make a backup from it with npm run db:backup (DATABASE_PATH=${path})`,
    );
  }

  // Reading a database whose header says WAL makes SQLite create side files; remove the ones it made.
  const sideFilesBefore = SIDE_FILES.filter((suffix) => existsSync(path + suffix));
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
    const problems = sqlite.pragma("integrity_check") as { integrity_check: string }[];
    const first = problems[0]?.integrity_check;
    if (problems.length !== 1 || first !== "ok") {
      const shown = problems
        .slice(0, 3)
        .map((p) => p.integrity_check)
        .join("; ");
      return refuse(`is damaged: integrity_check found ${problems.length} problem(s), e.g. ${shown}`);
    }
    const known = shippedMigrations();
    const schema = compareSchema(sqlite, known);
    if (!schema.ok) return refuse(schema.reason);
    const summary =
      schema.pending.length === 0
        ? `intact; schema current (${schema.applied} migrations)`
        : `intact; schema ${schema.pending.length} migration(s) behind this version ` +
          `(${schema.pending.join(", ")}), which apply when the bot starts on it`;
    return { ok: true, file: path, bytes, applied: schema.applied, pending: schema.pending, summary };
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? "");
    if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
      return refuse(`is damaged: ${(error as Error).message}`);
    }
    return refuse(`cannot be read as a database: ${(error as Error).message}`);
  } finally {
    sqlite?.close();
    // A read-only connection writes nothing into them: an index to rebuild and an empty log.
    for (const suffix of SIDE_FILES) {
      if (!sideFilesBefore.includes(suffix)) rmSync(path + suffix, { force: true });
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code === "SQLITE_BUSY_SNAPSHOT";
}

function freeName(path: string): string {
  if (!existsSync(path)) return path;
  for (let n = 2; ; n++) if (!existsSync(`${path}-${n}`)) return `${path}-${n}`;
}

type KeepOutcome = { ok: true; keptAs: string; notes: string[] } | { ok: false; reason: string };

/**
 * Copies the current database aside with every committed change in it. Taking SQLite's exclusive lock
 * first both folds the -wal in safely and tells whether another process (a running bot) has it open.
 */
function keepCurrentDatabase(databasePath: string, keepAs: string): KeepOutcome {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(databasePath, { fileMustExist: true, timeout: 0 });
    sqlite.pragma("locking_mode = EXCLUSIVE");
    // In exclusive locking mode the lock taken here is held until the connection closes.
    sqlite.exec("BEGIN EXCLUSIVE");
    sqlite.exec("COMMIT");
  } catch (error) {
    sqlite?.close();
    if (isBusy(error)) {
      return {
        ok: false,
        reason:
          `${databasePath} is in use by another process, most likely the bot. ` +
          "Stop the bot first (docker compose stop), then restore",
      };
    }
    // A database SQLite cannot open is kept byte for byte, with its -wal, exactly as it was.
    copyFileSync(databasePath, keepAs, constants.COPYFILE_EXCL);
    if (existsSync(`${databasePath}-wal`)) copyFileSync(`${databasePath}-wal`, `${keepAs}-wal`);
    return {
      ok: true,
      keptAs: keepAs,
      notes: [`the replaced database could not be opened (${(error as Error).message}); kept as it was`],
    };
  }
  try {
    if (sqlite.pragma("journal_mode", { simple: true }) === "wal") {
      const [result] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
      if (result?.busy !== 0) throw new Error("its write-ahead log could not be folded into the file");
    }
    copyFileSync(databasePath, keepAs, constants.COPYFILE_EXCL);
  } finally {
    sqlite.close();
  }
  const kept = new Database(keepAs, { fileMustExist: true });
  try {
    kept.pragma("journal_mode = DELETE");
  } finally {
    kept.close();
  }
  return { ok: true, keptAs: keepAs, notes: [] };
}

/**
 * Replaces the database at `databasePath` with the backup `file`. Nothing is touched unless the backup
 * passes `checkBackup` and no other process has the database open. The replaced database is kept as
 * `<databasePath>.before-restore-<UTC stamp>`, itself restorable the same way.
 */
export function restoreDatabase(file: string, databasePath: string, now: Date): RestoreResult {
  const source = resolve(file);
  const target = resolve(databasePath);
  if (source === target) {
    return { ok: false, reason: `${source} is the database itself; name a backup file to restore from` };
  }
  const check = checkBackup(source);
  if (!check.ok) return { ok: false, reason: `${source} ${check.reason}` };

  mkdirSync(dirname(target), { recursive: true });
  const incoming = `${target}.restore.partial`;
  let previousKeptAs: string | undefined;
  const notes: string[] = [];
  try {
    if (existsSync(target)) {
      const kept = keepCurrentDatabase(target, freeName(`${target}.before-restore-${utcStamp(now)}`));
      if (!kept.ok) return kept;
      previousKeptAs = kept.keptAs;
      notes.push(...kept.notes);
    }
    copyFileSync(source, incoming);
    fsyncFile(incoming);
    // The replaced database's log and index describe the old file; replayed over the new one they would corrupt it.
    for (const suffix of SIDE_FILES) rmSync(target + suffix, { force: true });
    renameSync(incoming, target);
    fsyncFolder(dirname(target));
  } catch (error) {
    rmSync(incoming, { force: true });
    return {
      ok: false,
      reason:
        `restoring into ${target} failed: ${(error as Error).message}. ` +
        (previousKeptAs
          ? `The database there was not replaced (a copy was kept as ${previousKeptAs})`
          : "The database there was not replaced"),
    };
  }
  return { ok: true, databasePath: target, restoredFrom: source, previousKeptAs, check, notes };
}

/** Deletes all but the newest `keep` backups named by `backupFileName` in `dir`; other files stay. */
export function pruneBackups(dir: string, keep: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => DAILY_NAME.test(name));
  } catch {
    return [];
  }
  // The stamp in the name sorts by time, newest last.
  const old = names.sort().slice(0, Math.max(0, names.length - Math.max(0, keep)));
  const deleted: string[] = [];
  for (const name of old) {
    const path = join(dir, name);
    rmSync(path, { force: true });
    deleted.push(path);
  }
  return deleted;
}
