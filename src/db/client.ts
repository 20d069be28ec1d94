import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsDir } from "../paths.js";
import { flushGroupCommit } from "./group-commit.js";
import * as schema from "./schema.js";

/** A SQLite connection, for the code outside src/db that holds one (backups, readiness) without importing the driver. */
export type SqliteConnection = Database.Database;

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabase {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite file, sets the pragmas every connection
 * needs and applies pending migrations, so a fresh clone needs no set-up.
 */
export function openDatabase(path: string, options: { migrate?: boolean } = {}): OpenDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    // WAL makes NORMAL durable against process crashes; only a power loss can drop the last commits.
    sqlite.pragma("synchronous = NORMAL");
    // Reads go through a memory map of the file (up to 2 GB, the most this SQLite build maps): pages
    // are the kernel's file cache, shared and dropped under pressure, and reading one costs no system
    // call. 32 MB of page cache at most for what lies beyond the map.
    sqlite.pragma("cache_size = -32768");
    sqlite.pragma("mmap_size = 2147418112");
    const db = drizzle(sqlite, { schema });
    if (options.migrate ?? true) migrate(db, { migrationsFolder: migrationsDir });
    return {
      db,
      sqlite,
      close: () => {
        // Writes still waiting for their group commit are committed, not dropped.
        flushGroupCommit(sqlite);
        sqlite.close();
      },
    };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** Bytes on disk of a database file with its write-ahead log and shared memory; undefined in memory. */
export function onDiskBytes(path: string): number | undefined {
  if (path === ":memory:") return undefined;
  let total = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      total += statSync(file).size;
    } catch {
      // A missing -wal or -shm is normal right after a checkpoint.
    }
  }
  return total;
}
