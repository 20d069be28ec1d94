import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { postgresDatabase } from "./database.js";

async function rowsOf(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("the test run's PostgreSQL", () => {
  it("given the admin URL, the server answers select 1, on 127.0.0.1 only, in UTF-8", async () => {
    const rows = await rowsOf(
      inject("postgresAdminUrl"),
      "SELECT 1 AS one, current_setting('listen_addresses') AS listening, current_setting('server_encoding') AS encoding",
    );
    expect(rows).toEqual([{ one: 1, listening: "127.0.0.1", encoding: "UTF8" }]);
  });

  it("given two databases from the helper, a table made in one is not in the other", async () => {
    const [first, second] = await Promise.all([postgresDatabase(), postgresDatabase()]);
    try {
      expect(first.name).not.toBe(second.name);
      await rowsOf(first.url, "CREATE TABLE only_here (id integer)");
      expect(await rowsOf(first.url, "SELECT to_regclass('only_here') IS NOT NULL AS found")).toEqual([
        { found: true },
      ]);
      expect(await rowsOf(second.url, "SELECT to_regclass('only_here') IS NOT NULL AS found")).toEqual([
        { found: false },
      ]);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });

  it("given a database with a session still connected, drop ends the session and removes the database", async () => {
    const database = await postgresDatabase();
    const session = new pg.Client({ connectionString: database.url });
    const sessionEnded = new Promise<Error>((resolve) => session.on("error", resolve));
    await session.connect();
    await database.drop();
    expect((await sessionEnded).message).toMatch(/terminat/i);
    const left = await rowsOf(
      inject("postgresAdminUrl"),
      `SELECT count(*)::int AS left FROM pg_database WHERE datname = '${database.name}'`,
    );
    expect(left).toEqual([{ left: 0 }]);
    await session.end().catch(() => undefined);
  });
});
