import type pg from "pg";
import {
  compareRecorded,
  type KnownMigration,
  type RecordedMigration,
  type SchemaVerdict,
} from "../schema-version.js";

/** Whether the migrations a PostgreSQL database records are this code's, in order, and none of them newer. */
export async function comparePostgresSchema(pool: pg.Pool, known: KnownMigration[]): Promise<SchemaVerdict> {
  const table = await pool.query("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present");
  if (!table.rows[0]?.present) {
    return { ok: false, reason: "is not a Quorum database: it has no drizzle.__drizzle_migrations table" };
  }
  const rows = await pool.query<RecordedMigration>(
    `SELECT hash, created_at AS "createdAt" FROM drizzle.__drizzle_migrations ORDER BY created_at, id`,
  );
  return compareRecorded(rows.rows, known);
}
