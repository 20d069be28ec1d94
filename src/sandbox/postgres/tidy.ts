/**
 * What an engine child keeps in memory after attempts, given back. Single-user PostgreSQL runs no
 * checkpointer and no autovacuum, and its files live in PGlite's in-memory file system, so without
 * this a child only grows:
 * - the WAL every dataset setup and every rolled-back write attempt wrote stays until a checkpoint
 *   (measured: 20 rolled-back inserts of 50,000 rows left 93 MB of WAL);
 * - the rows a rolled-back write attempt inserted stay in the table's file, dead, until a VACUUM
 *   (the same 20 attempts: a 68 MB table, back to 8 kB after VACUUM).
 * Past a threshold, the sandbox (as the superuser, after the attempt's ROLLBACK) vacuums the
 * dataset's tables and checkpoints; the file system then frees the truncated table and the WAL.
 */
import { quoteLiteral, type Session } from "./session.js";

const MiB = 1024 * 1024;
/** A checkpoint once this much WAL was written since the last one. */
const checkpointAfterWalBytes = 8 * MiB;
/** A VACUUM once a dataset's relations are this much larger than after its setup. */
const vacuumAfterGrowthBytes = 4 * MiB;

/** The WAL written since the last checkpoint, in bytes (a column of the sandbox's own SELECT). */
export const walColumn =
  "pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_insert_lsn(), (SELECT redo_lsn FROM pg_catalog.pg_control_checkpoint()))";

/** The size of a schema's tables and indexes, in bytes (a column of the sandbox's own SELECT). */
export function sizeColumn(schema: string): string {
  return `(SELECT coalesce(sum(pg_catalog.pg_relation_size(c.oid)), 0) FROM pg_catalog.pg_class c WHERE c.relnamespace = ${quoteLiteral(schema)}::pg_catalog.regnamespace)`;
}

export class Tidy {
  /** Per loaded schema: its size after setup, and the VACUUM of its tables. */
  private readonly loaded = new Map<string, { bytes: number; vacuum: string | null }>();

  constructor(private readonly session: Session) {}

  /** Remembers a dataset just set up (`tables`: quoted, schema-qualified names), then tidies. */
  async setUp(schema: string, tables: string[]): Promise<void> {
    const r = await this.session.own(`SELECT ${sizeColumn(schema)}, ${walColumn}`);
    const [bytes, wal] = r.rows[0] ?? [];
    this.loaded.set(schema, {
      bytes: Number(bytes ?? 0),
      vacuum: tables.length > 0 ? `VACUUM ${tables.join(", ")}` : null,
    });
    await this.after(schema, wal, null);
  }

  /** After an attempt: `wal` and `size` as the two columns above read them (size: null if not read). */
  async after(
    schema: string,
    wal: string | null | undefined,
    size: string | null | undefined,
  ): Promise<void> {
    const kept = this.loaded.get(schema);
    const grown = kept?.vacuum && size != null && Number(size) > kept.bytes + vacuumAfterGrowthBytes;
    // VACUUM runs outside a transaction block: a statement of its own.
    if (grown && kept.vacuum) await this.session.own(kept.vacuum);
    if (grown || Number(wal ?? 0) > checkpointAfterWalBytes) await this.session.own("CHECKPOINT");
  }
}
