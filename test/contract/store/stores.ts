import pg from "pg";
import { afterAll, afterEach, describe } from "vitest";
import type { Store } from "../../../src/core/ports/store.js";
import { openDatabase } from "../../../src/db/client.js";
import { openPostgres } from "../../../src/db/postgres/client.js";
import { rebuildPostgresAggregates } from "../../../src/db/postgres/rebuild.js";
import { createPostgresStore } from "../../../src/db/postgres/store.js";
import { rebuildAggregates } from "../../../src/db/rebuild.js";
import { createStore } from "../../../src/db/store.js";
import { tempDatabase } from "../../helpers.js";
import { postgresDatabase, type TestDatabase } from "../../postgres/database.js";

// One store contract, two stores: every test in this folder runs on SQLite and on PostgreSQL.

export type StoreKind = "sqlite" | "postgres";

export interface OpenStore {
  kind: StoreKind;
  store: Store;
  /** Another store on the same database through connections of its own, as another process would have. */
  another(): Promise<Store>;
  /** Rows of a read-only statement written in SQL both engines read the same; for checks only. */
  query<T>(statement: string): Promise<T[]>;
  /** Runs a statement that changes rows, to leave tables as the store never would (drift to repair). */
  write(statement: string): Promise<void>;
  /** Derives the aggregates from the ledger again, in small chunks, as `npm run db:rebuild` does. */
  rebuild(): Promise<void>;
}

async function openSqlite(): Promise<OpenStore> {
  const database = tempDatabase();
  return {
    kind: "sqlite",
    store: createStore(database.db),
    async another() {
      const second = openDatabase(database.path, { migrate: false });
      closers.push(async () => second.close());
      return createStore(second.db);
    },
    async query<T>(statement: string) {
      return database.sqlite.prepare(statement).all() as T[];
    },
    async write(statement: string) {
      database.sqlite.prepare(statement).run();
    },
    async rebuild() {
      await rebuildAggregates(database.db, { chunkSize: 3, restRatio: 0 });
    },
  };
}

const closers: (() => Promise<void>)[] = [];
let database: TestDatabase | undefined;

async function openPostgresStore(): Promise<OpenStore> {
  database ??= await postgresDatabase();
  const first = await openPostgres(database.url);
  closers.push(() => first.close());
  // One database per test file, emptied for each test: tables are cheaper to empty than databases to make.
  const tables = await first.pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  const names = tables.rows.map((t) => pg.escapeIdentifier(t.name)).join(", ");
  if (names) await first.pool.query(`TRUNCATE ${names} RESTART IDENTITY CASCADE`);
  const url = database.url;
  return {
    kind: "postgres",
    store: createPostgresStore(first),
    async another() {
      const second = await openPostgres(url, { migrate: false });
      closers.push(() => second.close());
      return createPostgresStore(second);
    },
    async query<T>(statement: string) {
      return (await first.pool.query(statement)).rows as T[];
    },
    async write(statement: string) {
      await first.pool.query(statement);
    },
    async rebuild() {
      await rebuildPostgresAggregates(first.pool, { chunkSize: 3, restRatio: 0 });
    },
  };
}

/** Runs `body` once per store kind, with `open()` giving a fresh, empty store of that kind. */
export function describeStores(title: string, body: (open: () => Promise<OpenStore>) => void): void {
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await database?.drop();
    database = undefined;
  });
  describe.each<StoreKind>(["sqlite", "postgres"])(`${title} on %s`, (kind) => {
    body(kind === "sqlite" ? openSqlite : openPostgresStore);
  });
}
