import type { SqliteConnection } from "../db/client.js";
import { pingSqlite } from "../db/health.js";
import type { PgPool } from "../db/postgres/client.js";
import { pingPostgres } from "../db/postgres/health.js";
import { comparePostgresSchema } from "../db/postgres/schema-version.js";
import {
  compareSchema,
  type KnownMigration,
  type SchemaVerdict,
  shippedMigrations,
} from "../db/schema-version.js";
import { postgresMigrationsDir } from "../paths.js";
import type { Check } from "./http.js";

/** How /readyz asks the database whether it answers and holds this code's schema. */
export interface DatabaseProbe {
  ping(): Promise<Check>;
  schema(): Promise<Check>;
}

export interface ReadinessSources {
  database: DatabaseProbe;
  /** Each running adapter's connection state by name. */
  adapters: Record<string, () => boolean>;
  /** True once shutdown has begun: the bot should get no new traffic. */
  stopping(): boolean;
}

const PING_TIMEOUT_MS = 2_000;

function failed(error: unknown): Check {
  return { ok: false, detail: (error as Error).message };
}

function schemaCheck(verdict: SchemaVerdict): Check {
  if (!verdict.ok) return { ok: false, detail: `the database ${verdict.reason}` };
  if (verdict.pending.length > 0) return { ok: false, detail: `pending: ${verdict.pending.join(", ")}` };
  return { ok: true, detail: `${verdict.applied} applied` };
}

export function sqliteProbe(sqlite: SqliteConnection): DatabaseProbe {
  // The shipped migrations cannot change while the process runs: read and hashed once.
  const known = shippedMigrations();
  return {
    async ping() {
      if (!sqlite.open) return { ok: false, detail: "closed" };
      try {
        pingSqlite(sqlite);
        return { ok: true };
      } catch (error) {
        return failed(error);
      }
    },
    async schema() {
      if (!sqlite.open) return { ok: false, detail: "database closed" };
      return schemaCheck(compareSchema(sqlite, known));
    },
  };
}

export function postgresProbe(pool: PgPool): DatabaseProbe {
  const known: KnownMigration[] = shippedMigrations(postgresMigrationsDir);
  // A server that stops answering must turn /readyz red, not hang the probe.
  const inTime = <T>(work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, reject) => {
        setTimeout(() => reject(new Error(`no answer in ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS).unref();
      }),
    ]);
  return {
    async ping() {
      try {
        await inTime(pingPostgres(pool));
        return { ok: true };
      } catch (error) {
        return failed(error);
      }
    },
    async schema() {
      try {
        return schemaCheck(await inTime(comparePostgresSchema(pool, known)));
      } catch (error) {
        return failed(error);
      }
    },
  };
}

/** What /readyz reports: the database answers, its schema is current, every adapter is connected. */
export function readiness(sources: ReadinessSources): () => Promise<Record<string, Check>> {
  return async () => {
    const [database, migrations] = await Promise.all([sources.database.ping(), sources.database.schema()]);
    const checks: Record<string, Check> = { database, migrations };
    for (const [name, connected] of Object.entries(sources.adapters)) {
      checks[name] = connected() ? { ok: true } : { ok: false, detail: "not connected" };
    }
    checks.accepting = sources.stopping() ? { ok: false, detail: "shutting down" } : { ok: true };
    return checks;
  };
}
