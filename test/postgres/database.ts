import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Ends every session still connected to it, then drops it. */
  drop(): Promise<void>;
}

async function asAdmin(statement: (admin: pg.Client) => string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  try {
    await admin.query(statement(admin));
  } finally {
    await admin.end();
  }
}

/**
 * A new database of its own on the run's PostgreSQL (see global-setup.ts), e.g. one per test file:
 * `beforeAll(async () => { database = await postgresDatabase(); })` and `afterAll(() => database.drop())`.
 */
export async function postgresDatabase(): Promise<TestDatabase> {
  const name = `quorum_test_${randomBytes(8).toString("hex")}`;
  await asAdmin((admin) => `CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  const url = new URL(inject("postgresAdminUrl"));
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    drop: () => asAdmin((admin) => `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`),
  };
}
