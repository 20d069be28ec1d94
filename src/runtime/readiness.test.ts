import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { postgresDatabase, type TestDatabase } from "../../test/postgres/database.js";
import { openPostgres } from "../db/postgres/client.js";
import { postgresProbe, readiness } from "./readiness.js";

const dropped: TestDatabase[] = [];
afterEach(async () => {
  for (const database of dropped.splice(0)) await database.drop();
});

async function fresh(): Promise<TestDatabase> {
  const database = await postgresDatabase();
  dropped.push(database);
  return database;
}

describe("readiness on PostgreSQL", () => {
  it("given a migrated database, reports it answering with its migrations applied", async () => {
    const database = await fresh();
    const opened = await openPostgres(database.url);
    try {
      const checks = await readiness({
        database: postgresProbe(opened.pool),
        adapters: {},
        stopping: () => false,
      })();
      expect(checks.database).toEqual({ ok: true });
      expect(checks.migrations).toMatchObject({ ok: true, detail: expect.stringMatching(/^\d+ applied$/) });
    } finally {
      await opened.close();
    }
  });

  it("given a database Quorum never migrated, is not ready and says why", async () => {
    const database = await fresh();
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      const probe = postgresProbe(pool);
      expect(await probe.ping()).toEqual({ ok: true });
      expect(await probe.schema()).toEqual({
        ok: false,
        detail: "the database is not a Quorum database: it has no drizzle.__drizzle_migrations table",
      });
    } finally {
      await pool.end();
    }
  });

  it("given a pool that can no longer reach the server, reports the database down", async () => {
    const database = await fresh();
    const opened = await openPostgres(database.url);
    await opened.close();
    const probe = postgresProbe(opened.pool);
    expect(await probe.ping()).toMatchObject({ ok: false });
    expect(await probe.schema()).toMatchObject({ ok: false });
  });
});
