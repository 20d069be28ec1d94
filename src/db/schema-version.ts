import { readFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrationsDir } from "../paths.js";

export interface KnownMigration {
  tag: string;
  when: number;
  hash: string;
}

/** This code's migrations, oldest first, with the hash drizzle records for each when it applies it. */
export function shippedMigrations(dir: string = migrationsDir): KnownMigration[] {
  const journal = JSON.parse(readFileSync(join(dir, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  const files = readMigrationFiles({ migrationsFolder: dir });
  return journal.entries.map((entry, index) => ({
    tag: entry.tag,
    when: entry.when,
    hash: files[index]?.hash ?? "",
  }));
}

export type SchemaVerdict = { ok: true; applied: number; pending: string[] } | { ok: false; reason: string };

/** Whether the migrations a SQLite database records are this code's, in order, and none of them newer. */
export function compareSchema(sqlite: Database.Database, known: KnownMigration[]): SchemaVerdict {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) {
    return { ok: false, reason: "is not a Quorum database: it has no __drizzle_migrations table" };
  }
  const rows = sqlite
    .prepare("SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at, id")
    .all() as RecordedMigration[];
  return compareRecorded(rows, known);
}

export interface RecordedMigration {
  hash: string;
  createdAt: number | string;
}

/** Whether the migrations a database records (oldest first) are `known`'s, in order, and none newer. */
export function compareRecorded(rows: RecordedMigration[], known: KnownMigration[]): SchemaVerdict {
  if (rows.length === 0) {
    return { ok: false, reason: "is not a Quorum database: no migration was ever applied to it" };
  }
  const newest = known.at(-1);
  for (const [index, row] of rows.entries()) {
    const when = Number(row.createdAt);
    const expected = known[index];
    if (newest === undefined || when > newest.when) {
      return {
        ok: false,
        reason:
          `comes from a newer version of Quorum: it has migrations this version does not know ` +
          `(${rows.length} applied, this version has ${known.length}); restore it with that version`,
      };
    }
    if (expected === undefined || expected.when !== when) {
      const match = known.find((migration) => migration.when === when);
      return {
        ok: false,
        reason: match
          ? `has an inconsistent schema: migration ${match.tag} is applied but ${expected?.tag ?? "an earlier one"} is not`
          : `has a migration this version does not know (recorded at ${when}); it was made by another build of Quorum`,
      };
    }
    if (expected.hash !== row.hash) {
      return {
        ok: false,
        reason: `has a different migration ${expected.tag} than this version (its SQL was changed after it was applied)`,
      };
    }
  }
  return { ok: true, applied: rows.length, pending: known.slice(rows.length).map((m) => m.tag) };
}
