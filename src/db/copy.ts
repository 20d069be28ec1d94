import type Database from "better-sqlite3";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { PoolClient } from "pg";
import { openDatabase } from "./client.js";
import { openPostgres } from "./postgres/client.js";
import * as to from "./postgres/schema.js";
import * as from from "./schema.js";

// `npm run db:copy`: every row of a stopped SQLite deployment into an empty PostgreSQL database, in one
// transaction, checked against the source before it commits.

/** Tables in an order that satisfies their foreign keys (cohorts' creator is set once members exist). */
const PAIRS: readonly (readonly [source: Table, target: Table])[] = [
  [from.spaces, to.spaces],
  [from.cohorts, to.cohorts],
  [from.members, to.members],
  [from.trackMemberships, to.trackMemberships],
  [from.schedules, to.schedules],
  [from.scheduleSkips, to.scheduleSkips],
  [from.posts, to.posts],
  [from.questionsDelivered, to.questionsDelivered],
  [from.answers, to.answers],
  [from.pointsLedger, to.pointsLedger],
  [from.boardEntries, to.boardEntries],
  [from.boardCounts, to.boardCounts],
  [from.boardDayCounts, to.boardDayCounts],
  [from.streaks, to.streaks],
  [from.activityDays, to.activityDays],
  [from.questionStats, to.questionStats],
  [from.reviews, to.reviews],
];
const TABLES = PAIRS.map(([source, target]) => ({ source, target, name: getTableName(source) }));
type TablePair = (typeof TABLES)[number];

const BATCH = 1_000;

/** Sums that must come out the same on both sides, beside every table's row count. */
const TOTALS = {
  "points in the ledger": "SELECT coalesce(sum(points), 0) AS total FROM points_ledger",
  "points on boards": "SELECT coalesce(sum(points), 0) AS total FROM board_entries",
  "learners counted on boards": "SELECT coalesce(sum(members), 0) AS total FROM board_counts",
  "scored answers": "SELECT count(*) AS total FROM answers WHERE scored",
  "active days": "SELECT coalesce(sum(activities), 0) AS total FROM activity_days",
};

export type CopyResult = { ok: true; rows: Record<string, number> } | { ok: false; reason: string };

export interface CopyProgress {
  table: string;
  rows: number;
}

/** Copies every row; refuses a target with any row in it and a source another process has open. */
export async function copySqliteToPostgres(
  sqlitePath: string,
  postgresUrl: string,
  onProgress: (progress: CopyProgress) => void = () => {},
): Promise<CopyResult> {
  // Migrated first, as the bot would on start, so both sides have this version's tables.
  const source = openDatabase(sqlitePath);
  const target = await openPostgres(postgresUrl, { maxConnections: 1 });
  try {
    const locked = lockSource(source.sqlite, sqlitePath);
    if (!locked.ok) return locked;
    const conn = await target.pool.connect();
    try {
      await conn.query("BEGIN");
      const occupied = await firstOccupiedTable(conn);
      if (occupied) {
        await conn.query("ROLLBACK");
        return {
          ok: false,
          reason: `the target database already holds Quorum data (table ${occupied} has rows); copy into an empty database`,
        };
      }
      const rows: Record<string, number> = {};
      for (const table of TABLES) {
        rows[table.name] = await copyTable(source.sqlite, conn, table, (count) =>
          onProgress({ table: table.name, rows: count }),
        );
      }
      await restoreCohortCreators(source.sqlite, conn);
      await advanceIdentities(conn);
      const mismatch = await compare(source.sqlite, conn);
      if (mismatch) {
        await conn.query("ROLLBACK");
        return { ok: false, reason: `the copy does not match the source (${mismatch}); nothing was kept` };
      }
      await conn.query("COMMIT");
      return { ok: true, rows };
    } catch (error) {
      await conn.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      conn.release();
    }
  } finally {
    await target.close();
    source.close();
  }
}

/** Holds SQLite's exclusive lock for the whole copy; a running bot has the file open and makes this fail. */
function lockSource(sqlite: Database.Database, path: string): CopyResult {
  try {
    sqlite.pragma("busy_timeout = 0");
    sqlite.pragma("locking_mode = EXCLUSIVE");
    sqlite.exec("BEGIN EXCLUSIVE");
    sqlite.exec("COMMIT");
    return { ok: true, rows: {} };
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      return {
        ok: false,
        reason: `${path} is in use by another process, most likely the bot; stop it first`,
      };
    }
    throw error;
  }
}

async function firstOccupiedTable(conn: PoolClient): Promise<string | undefined> {
  for (const { name } of TABLES) {
    const found = await conn.query(`SELECT 1 FROM ${name} LIMIT 1`);
    if (found.rowCount) return name;
  }
  return undefined;
}

/** One table, read row by row from SQLite and inserted in batches through both schemas' own column mappings. */
async function copyTable(
  sqlite: Database.Database,
  conn: PoolClient,
  table: TablePair,
  onBatch: (copied: number) => void,
): Promise<number> {
  const sourceColumns = Object.entries(getTableColumns(table.source));
  const targetColumns = getTableColumns(table.target);
  const names = sourceColumns.map(([, column]) => column.name);
  const quoted = names.map((name) => `"${name}"`).join(", ");
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const start = values.length;
      values.push(...row);
      return `(${row.map((_, i) => `$${start + i + 1}`).join(", ")})`;
    });
    await conn.query(`INSERT INTO ${table.name} (${quoted}) VALUES ${tuples.join(", ")}`, values);
    copied += batch.length;
    batch = [];
    onBatch(copied);
  };
  const read = sqlite.prepare(`SELECT ${quoted} FROM ${table.name} ORDER BY rowid`).raw(true);
  for (const raw of read.iterate() as Iterable<unknown[]>) {
    batch.push(
      sourceColumns.map(([property, column], i) => {
        const value = raw[i];
        // The creator is set after members exist (cohorts and members refer to each other).
        if (table.source === from.cohorts && property === "createdBy") return null;
        if (value === null || value === undefined) return null;
        const decoded = column.mapFromDriverValue(value);
        const targetColumn = targetColumns[property];
        if (!targetColumn) throw new Error(`${table.name} has no column for ${property}`);
        return targetColumn.mapToDriverValue(decoded);
      }),
    );
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return copied;
}

async function restoreCohortCreators(sqlite: Database.Database, conn: PoolClient): Promise<void> {
  const creators = sqlite
    .prepare("SELECT id, created_by AS createdBy FROM cohorts WHERE created_by IS NOT NULL")
    .all() as { id: number; createdBy: number }[];
  for (const { id, createdBy } of creators) {
    await conn.query("UPDATE cohorts SET created_by = $1 WHERE id = $2", [createdBy, id]);
  }
}

/** New rows after the copy get ids past the copied ones. */
async function advanceIdentities(conn: PoolClient): Promise<void> {
  for (const { name, target } of TABLES) {
    if (!("id" in getTableColumns(target))) continue;
    await conn.query(
      `SELECT setval(pg_get_serial_sequence('${name}', 'id'), coalesce((SELECT max(id) FROM ${name}), 0) + 1, false)`,
    );
  }
}

/** The first difference between source and copy in row counts or totals, if any. */
async function compare(sqlite: Database.Database, conn: PoolClient): Promise<string | undefined> {
  const checks: [string, string][] = [
    ...TABLES.map(({ name }): [string, string] => [
      `rows in ${name}`,
      `SELECT count(*) AS total FROM ${name}`,
    ]),
    ...Object.entries(TOTALS),
  ];
  for (const [what, statement] of checks) {
    const expected = Number((sqlite.prepare(statement).get() as { total: number }).total);
    const actual = Number((await conn.query<{ total: string | number }>(statement)).rows[0]?.total);
    if (expected !== actual) return `${what}: ${expected} in SQLite, ${actual} in PostgreSQL`;
  }
  return undefined;
}
