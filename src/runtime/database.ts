import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Store } from "../core/ports/store.js";
import { onDiskBytes, openDatabase, type SqliteConnection } from "../db/client.js";
import { describePostgresUrl, openPostgres } from "../db/postgres/client.js";
import { createPostgresStore } from "../db/postgres/store.js";
import { createStore } from "../db/store.js";
import { type DatabaseProbe, postgresProbe, sqliteProbe } from "./readiness.js";

/** The store the bot runs on, with what operations need of its database. */
export interface StoreDatabase {
  kind: "sqlite" | "postgres";
  store: Store;
  probe: DatabaseProbe;
  /** Where it is, safe to log: a file path, or a PostgreSQL host, port and database without credentials. */
  where: string;
  /**
   * Who this process is to the others on the database, for sending rights and post leases: on
   * PostgreSQL each run of each process is its own; a SQLite file has one process, the same after a restart.
   */
  owner: string;
  /** The SQLite connection (daily backups); absent on PostgreSQL, whose backups are its own. */
  sqlite?: SqliteConnection;
  /** Bytes on disk for the metric; undefined when the database does not say. */
  bytes(): number | undefined;
  close(): Promise<void>;
}

/** PostgreSQL when `databaseUrl` is set, else the SQLite file; both migrated before they are returned. */
export async function openStoreDatabase(config: {
  databasePath: string;
  databaseUrl: string | undefined;
}): Promise<StoreDatabase> {
  if (config.databaseUrl) {
    const postgres = await openPostgres(config.databaseUrl);
    return {
      kind: "postgres",
      store: createPostgresStore(postgres),
      probe: postgresProbe(postgres.pool),
      where: describePostgresUrl(config.databaseUrl),
      owner: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
      bytes: () => undefined,
      close: () => postgres.close(),
    };
  }
  const sqlite = openDatabase(config.databasePath);
  return {
    kind: "sqlite",
    store: createStore(sqlite.db),
    probe: sqliteProbe(sqlite.sqlite),
    where: config.databasePath,
    owner: "local",
    sqlite: sqlite.sqlite,
    bytes: () => onDiskBytes(config.databasePath),
    close: async () => sqlite.close(),
  };
}
