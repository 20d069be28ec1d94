import { readFileSync } from "node:fs";
import { join } from "node:path";
import { count, getTableName, is, sql } from "drizzle-orm";
import { PgTable, getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { SQLiteTable, getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDatabase, type TestDatabase } from "../../../test/postgres/database.js";
import { postgresMigrationsDir } from "../../paths.js";
import * as sqliteSchema from "../schema.js";
import { type OpenPostgres, openPostgres } from "./client.js";
import * as postgresSchema from "./schema.js";
import { answers, cohorts, members, pointsLedger, spaces } from "./schema.js";

const columnsByTable = (tables: [string, string[]][]) =>
  Object.fromEntries(tables.map(([table, columns]) => [table, [...columns].sort()]).sort());

const sqliteColumns = columnsByTable(
  Object.values(sqliteSchema)
    .filter((value) => is(value, SQLiteTable))
    .map((table) => [getTableName(table), sqliteTableConfig(table).columns.map((column) => column.name)]),
);

const postgresColumns = columnsByTable(
  Object.values(postgresSchema)
    .filter((value) => is(value, PgTable))
    .map((table) => [getTableName(table), pgTableConfig(table).columns.map((column) => column.name)]),
);

const journalEntries = (): unknown[] =>
  JSON.parse(readFileSync(join(postgresMigrationsDir, "meta", "_journal.json"), "utf8")).entries;

async function appliedMigrations(opened: OpenPostgres): Promise<number> {
  const { rows } = await opened.pool.query("SELECT count(*) AS applied FROM drizzle.__drizzle_migrations");
  return rows[0].applied;
}

let database: TestDatabase;
let opened: OpenPostgres;

beforeAll(async () => {
  database = await postgresDatabase();
  opened = await openPostgres(database.url);
});

afterAll(async () => {
  await opened?.close();
  await database?.drop();
});

describe("openPostgres", () => {
  it("given an empty database, opening it applies the migrations and every SQLite table exists with the same columns", async () => {
    const { rows } = await opened.pool.query<{ table_name: string; columns: string[] }>(
      `SELECT table_name, array_agg(column_name::text) AS columns FROM information_schema.columns
       WHERE table_schema = 'public' GROUP BY table_name`,
    );
    const migrated = columnsByTable(rows.map((row) => [row.table_name, row.columns]));
    expect(migrated).toEqual(sqliteColumns);
    expect(postgresColumns).toEqual(sqliteColumns);
    expect(await appliedMigrations(opened)).toBe(journalEntries().length);
  });

  it("given two processes opening one fresh database at once, both succeed and the migrations run once", async () => {
    const fresh = await postgresDatabase();
    try {
      const opens = await Promise.allSettled([openPostgres(fresh.url), openPostgres(fresh.url)]);
      const both = opens.flatMap((open) => (open.status === "fulfilled" ? [open.value] : []));
      try {
        expect(opens.map((open) => (open.status === "fulfilled" ? "opened" : String(open.reason)))).toEqual([
          "opened",
          "opened",
        ]);
        for (const each of both) expect(await appliedMigrations(each)).toBe(journalEntries().length);
      } finally {
        await Promise.all(both.map((each) => each.close()));
      }
    } finally {
      await fresh.drop();
    }
  });

  it("given migrate: false, opening leaves an empty database empty", async () => {
    const fresh = await postgresDatabase();
    try {
      const unmigrated = await openPostgres(fresh.url, { migrate: false });
      const { rows } = await unmigrated.pool.query("SELECT to_regclass('public.spaces') AS spaces");
      await unmigrated.close();
      expect(rows).toEqual([{ spaces: null }]);
    } finally {
      await fresh.drop();
    }
  });
});

describe("values read back", () => {
  const reachedAt = new Date(Date.UTC(2026, 2, 4, 9, 30, 15, 123));
  let spaceId: number;
  let memberId: number;

  beforeAll(async () => {
    const [space] = await opened.db
      .insert(spaces)
      .values({ platform: "terminal", externalId: "local", name: "Local", createdAt: reachedAt })
      .returning();
    if (!space) throw new Error("no space inserted");
    spaceId = space.id;
    const [member] = await opened.db
      .insert(members)
      .values({ spaceId, externalId: "ana", displayName: "Ana", createdAt: reachedAt })
      .returning();
    if (!member) throw new Error("no member inserted");
    memberId = member.id;
    await opened.db
      .insert(pointsLedger)
      .values(
        [3, 4, 5].map((points) => ({ spaceId, memberId, points, reason: "answer", createdAt: reachedAt })),
      );
  });

  it("given count(*) and sum over integers (int8) and avg (numeric), node-postgres returns numbers", async () => {
    const { rows } = await opened.pool.query(
      "SELECT count(*) AS entries, sum(points) AS total, avg(points) AS mean FROM points_ledger",
    );
    expect(rows).toEqual([{ entries: 3, total: 12, mean: 4 }]);
  });

  it("given the same aggregates through Drizzle, they are numbers too", async () => {
    const selected = await opened.db
      .select({ entries: count(), total: sql<number>`sum(${pointsLedger.points})` })
      .from(pointsLedger);
    const executed = await opened.db.execute(
      sql`SELECT count(*) AS entries, avg(points) AS mean FROM points_ledger`,
    );
    expect(selected).toEqual([{ entries: 3, total: 12 }]);
    expect(executed.rows).toEqual([{ entries: 3, mean: 4 }]);
  });

  it("given the pool's number parsers, pg's global parsers are left as they were", () => {
    expect(pg.types.getTypeParser(pg.types.builtins.INT8, "text")("12")).toBe("12");
  });

  it("given an instant written as a Date, it reads back as the same Date whatever the session's zone", async () => {
    const read = await opened.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL TIME ZONE 'Pacific/Chatham'`);
      return tx.select({ createdAt: spaces.createdAt }).from(spaces).where(sql`${spaces.id} = ${spaceId}`);
    });
    expect(read[0]?.createdAt).toBeInstanceOf(Date);
    expect(read[0]?.createdAt.toISOString()).toBe(reachedAt.toISOString());
  });

  it("given a cohort start date that is not YYYY-MM-DD, the date check refuses it", async () => {
    const cohort = (startDate: string) => ({
      spaceId,
      name: startDate,
      nameKey: startDate,
      startDate,
      timezone: "UTC",
      createdAt: reachedAt,
    });
    await expect(opened.db.insert(cohorts).values(cohort("2026-3-4"))).rejects.toMatchObject({
      cause: { code: "23514", constraint: "cohorts_start_date_format" },
    });
    await expect(opened.db.insert(cohorts).values(cohort("2026-03-04"))).resolves.toBeDefined();
  });

  it("given a second scored answer to one question, answers_scored_once refuses it; unscored ones are kept", async () => {
    const answer = (scored: boolean) => ({
      memberId,
      questionId: "w1-q1",
      response: "b",
      correct: scored,
      scored,
      createdAt: reachedAt,
    });
    await opened.db.insert(answers).values([answer(false), answer(false), answer(true)]);
    await expect(opened.db.insert(answers).values(answer(true))).rejects.toMatchObject({
      cause: { code: "23505", constraint: "answers_scored_once" },
    });
  });
});
