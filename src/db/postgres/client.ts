import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { postgresMigrationsDir } from "../../paths.js";
import * as schema from "./schema.js";

/** A connection pool, for the code outside src/db that holds one (readiness) without importing the driver. */
export type PgPool = pg.Pool;

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** Drizzle over one transaction's connection. */
export const drizzleOn = (conn: pg.PoolClient) => drizzle(conn, { schema });

export interface OpenPostgres {
  db: PgDb;
  pool: pg.Pool;
  /** Waits for checked-out connections to come back, then closes every connection. */
  close(): Promise<void>;
}

export interface OpenPostgresOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Connections the pool may hold at once (default 10). */
  maxConnections?: number;
  /** An idle pooled connection failed (the server restarted, say); the pool has already dropped it. */
  onIdleConnectionError?: (error: Error) => void;
}

/** Any fixed number shared by every Quorum process: the session-level advisory lock that serialises migrations. */
export const migrationLockKey = 0x71756f72756d; // "quorum" in ASCII

// node-postgres reads int8 (count(*), sum of integers) and numeric as strings; Quorum's values fit a number.
const { INT8, NUMERIC } = pg.types.builtins;
const asNumber = (value: string) => Number(value);
type TypeFormat = Parameters<typeof pg.types.getTypeParser>[1];

function numberParserFor(oid: number, format: TypeFormat): ((value: string) => number) | undefined {
  return (oid === INT8 || oid === NUMERIC) && (format ?? "text") === "text" ? asNumber : undefined;
}

/** The pool's own parsers: pg's defaults, but int8 and numeric as numbers. Global pg.types stay untouched. */
const numberTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: TypeFormat) =>
    numberParserFor(oid, format) ?? pg.types.getTypeParser(oid, format),
};

type QueryTypes = { getTypeParser: (oid: number, format?: TypeFormat) => unknown };

/**
 * A pg.Client that keeps int8 and numeric as numbers even when a query brings its own parsers:
 * Drizzle passes per-query types (to keep timestamps raw) that fall back to pg's global parsers.
 */
class NumberParsingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: forwards every overload of pg's query unchanged.
  override query(...args: any[]): any {
    const [config] = args;
    if (
      typeof config === "object" &&
      config !== null &&
      typeof config.submit !== "function" &&
      config.types
    ) {
      const own: QueryTypes = config.types;
      args[0] = {
        ...config,
        types: {
          getTypeParser: (oid: number, format?: TypeFormat) =>
            numberParserFor(oid, format) ?? own.getTypeParser(oid, format),
        },
      };
    }
    return (super.query as (...forwarded: unknown[]) => unknown)(...args);
  }
}

/**
 * Connects a pool to the PostgreSQL at `url` and applies pending migrations, so a fresh database
 * needs no set-up; several processes opening at once migrate one after another.
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<OpenPostgres> {
  if (options.migrate ?? true) await migrateWithLock(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: numberTypes,
    Client: NumberParsingClient,
  });
  // Without a listener an idle connection's error would crash the process; the pool replaces it.
  pool.on("error", options.onIdleConnectionError ?? (() => {}));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/** Migrates on one dedicated connection holding the advisory lock, released on the way out. */
async function migrateWithLock(url: string): Promise<void> {
  const client = new NumberParsingClient({ connectionString: url, types: numberTypes });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    await migrate(drizzle(client, { schema }), { migrationsFolder: postgresMigrationsDir });
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]);
  } finally {
    // Ending the session also releases the lock when migrating failed.
    await client.end();
  }
}

/** A PostgreSQL URL with its user and password left out, safe to print. */
export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  return `postgres://${parsed.host}${parsed.pathname}`;
}
