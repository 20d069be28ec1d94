import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AggregateSnapshot } from "../../../test/aggregate-snapshot.js";
import { aggregateRows, seedWorld } from "../../../test/contract/store/rebuild-world.js";
import { type Run, runProcess } from "../../../test/e2e/bot.js";
import { postgresDatabase, type TestDatabase } from "../../../test/postgres/database.js";
import { seededRandom } from "../../../test/seeded-random.js";
import { appRoot } from "../../paths.js";
import { openPostgres } from "./client.js";
import { createPostgresStore } from "./store.js";

function rebuildCli(env: Record<string, string>): Promise<Run> {
  return runProcess(process.execPath, ["--import", "tsx", join(appRoot, "src", "db", "rebuild-cli.ts")], env);
}

const databases: TestDatabase[] = [];
async function newDatabase(): Promise<TestDatabase> {
  const database = await postgresDatabase();
  databases.push(database);
  return database;
}

afterAll(async () => {
  for (const database of databases) await database.drop();
});

describe("npm run db:rebuild with DATABASE_URL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await newDatabase();
  });

  it("rebuilds the PostgreSQL database, reports each phase as it goes and how it ended, and never prints the password", async () => {
    const opened = await openPostgres(database.url);
    let kept: AggregateSnapshot;
    const query = async (statement: string) => (await opened.pool.query(statement)).rows;
    try {
      await seedWorld(createPostgresStore(opened), seededRandom(21), 30);
      kept = await aggregateRows(query);
      // A count and a tally the bot would never leave behind: the rebuild puts them right.
      await query("UPDATE board_counts SET members = members + 5");
      await query("UPDATE question_stats SET attempts = attempts * 2");
    } finally {
      await opened.close();
    }

    const run = await rebuildCli({ DATABASE_URL: database.url });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const url = new URL(database.url);
    expect(`${run.stdout}${run.stderr}`).not.toContain(decodeURIComponent(url.password));
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`Rebuilding in postgres://${url.host}/${database.name}`);
    for (const phase of ["learners' boards, streaks and active days", "board counts", "question tallies"]) {
      const of = lines.filter((line) => line.startsWith(`${phase}: `));
      expect(of[0], phase).toMatch(/: 0% \(0 of [\d,]+ /);
      expect(of.at(-1), phase).toMatch(/: 100% \(([\d,]+) of \1 /);
    }
    expect(lines.at(-1)).toMatch(
      /^Rebuilt from 27 ledger entries in [\d.]+ s: \d+ board entries, \d+ streaks, \d+ active days; \d+ write transactions, the longest \d+ ms\.$/,
    );

    const after = await openPostgres(database.url, { migrate: false });
    try {
      expect(await aggregateRows(async (statement) => (await after.pool.query(statement)).rows)).toEqual(
        kept,
      );
    } finally {
      await after.close();
    }
  });

  it("given a database without Quorum's tables, says so, creates none and exits 2", async () => {
    const empty = await newDatabase();
    const run = await rebuildCli({ DATABASE_URL: empty.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `No Quorum tables in postgres://${new URL(empty.url).host}/${empty.name}: nothing to rebuild (set DATABASE_URL to the bot's database).\n`,
    );
    const opened = await openPostgres(empty.url, { migrate: false });
    try {
      const { rows } = await opened.pool.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      expect(rows).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("given a password the server refuses, says it failed without printing either password and exits 1", async () => {
    const url = new URL(database.url);
    url.password = "not-the-password-4f9c1e";
    const run = await rebuildCli({ DATABASE_URL: url.href });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^db:rebuild failed: password authentication failed/);
    const printed = `${run.stdout}${run.stderr}`;
    expect(printed).not.toContain("not-the-password-4f9c1e");
    expect(printed).not.toContain(decodeURIComponent(new URL(database.url).password));
  });
});
