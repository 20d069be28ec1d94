import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  act,
  aggregateRows,
  scramble,
  seedWorld,
  type World,
} from "../../../test/contract/store/rebuild-world.js";
import { postgresDatabase, type TestDatabase } from "../../../test/postgres/database.js";
import { expectEveryPhaseFromZeroToAll } from "../../../test/rebuild-progress.js";
import { seededRandom } from "../../../test/seeded-random.js";
import type { Store } from "../../core/ports/store.js";
import type { RebuildProgress } from "../rebuild.js";
import { type OpenPostgres, openPostgres } from "./client.js";
import { rebuildPostgresAggregates } from "./rebuild.js";
import { createPostgresStore } from "./store.js";

let database: TestDatabase;
/** The rebuild's process and the bots' processes: pools of their own on one database. */
let rebuilder: OpenPostgres;
let bots: OpenPostgres;
let store: Store;
let other: Store;
const closeLater: OpenPostgres[] = [];

beforeAll(async () => {
  database = await postgresDatabase();
  rebuilder = await openPostgres(database.url);
  bots = await openPostgres(database.url, { migrate: false });
  store = createPostgresStore(bots);
  const third = await openPostgres(database.url, { migrate: false });
  closeLater.push(third);
  other = createPostgresStore(third);
});

afterEach(async () => {
  const tables = await rebuilder.pool.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  const names = tables.rows.map((t) => pg.escapeIdentifier(t.name)).join(", ");
  await rebuilder.pool.query(`TRUNCATE ${names} RESTART IDENTITY CASCADE`);
});

afterAll(async () => {
  for (const opened of [rebuilder, bots, ...closeLater]) await opened?.close();
  await database?.drop();
});

const query = async (statement: string) => (await rebuilder.pool.query(statement)).rows;
const aggregates = () => aggregateRows(query);

describe("rebuildPostgresAggregates", () => {
  it("given aggregates scrambled after learners answered and moved through the PostgreSQL store, gives back exactly what the store kept", async () => {
    const world = await seedWorld(store, seededRandom(7));
    const kept = await aggregates();
    expect(kept.board_entries.length).toBeGreaterThan(10);
    expect(kept.question_stats.length).toBeGreaterThan(5);
    await scramble(query, query, world);
    expect(await aggregates()).not.toEqual(kept);

    const report = await rebuildPostgresAggregates(rebuilder.pool, { chunkSize: 3, restRatio: 0 });
    expect(await aggregates()).toEqual(kept);
    expect(report).toMatchObject({
      ledgerEntries: 80,
      boardEntries: kept.board_entries.length,
      streaks: kept.streaks.length,
      activityDays: kept.activity_days.length,
      redone: 0,
    });
    expect(report.writes).toBeGreaterThan(10);
  });

  it("given every aggregate table emptied, derives them all again from the ledger", async () => {
    await seedWorld(store, seededRandom(11));
    const kept = await aggregates();
    await query(
      "TRUNCATE board_entries, board_counts, board_day_counts, streaks, activity_days, question_stats",
    );
    await rebuildPostgresAggregates(rebuilder.pool);
    expect(await aggregates()).toEqual(kept);
  });

  it("given answers and moves recorded from other connections all through it, ends equal to a second rebuild", async () => {
    const random = seededRandom(3);
    const world = await seedWorld(store, random);
    await scramble(query, query, world);
    const phases = new Map<RebuildProgress["phase"], number>();
    let phase: RebuildProgress["phase"] = "learners";
    let running = true;
    const worker = async (on: Store, seed: number) => {
      const own = seededRandom(seed);
      while (running) {
        await act(on, world, own, own() < 0.2 ? "move" : "answer");
        phases.set(phase, (phases.get(phase) ?? 0) + 1);
      }
    };
    const workers = [worker(store, 1), worker(other, 2), worker(other, 3)];
    try {
      await rebuildPostgresAggregates(rebuilder.pool, {
        chunkSize: 5,
        restRatio: 0,
        onProgress: (progress) => {
          phase = progress.phase;
        },
        // And one act between each pair of transactions, so every phase sees some for sure.
        betweenTransactions: () => act(other, world, random, random() < 0.3 ? "move" : "answer"),
      });
    } finally {
      running = false;
      await Promise.all(workers);
    }
    expect([...phases.keys()].sort()).toEqual(["boards", "learners", "questions"]);
    const after = await aggregates();
    const second = await rebuildPostgresAggregates(rebuilder.pool);
    expect(await aggregates()).toEqual(after);
    expect(second.ledgerEntries).toBeGreaterThan(200);
  });

  it("given a learner's member row held by another transaction, gives way after its lock timeout and finishes once it is released", async () => {
    const world = await seedWorld(store, seededRandom(5), 30);
    await query("UPDATE streaks SET current = current + 1");
    const kept = await aggregateRows(query);
    const holder = await bots.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM members WHERE id = $1 FOR UPDATE", [world.learners[0]?.id]);
      const rebuilt = rebuildPostgresAggregates(rebuilder.pool, { lockTimeoutMs: 20, restRatio: 0 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query("COMMIT");
      const report = await rebuilt;
      expect(report.redone).toBeGreaterThan(0);
    } finally {
      holder.release();
    }
    const rebuilt = await aggregates();
    expect(rebuilt.streaks).not.toEqual(kept.streaks);
    await rebuildPostgresAggregates(rebuilder.pool);
    expect(await aggregates()).toEqual(rebuilt);
  });

  it("reports each phase from 0 to all of it, in order", async () => {
    await seedWorld(store, seededRandom(13), 40);
    const events: RebuildProgress[] = [];
    const report = await rebuildPostgresAggregates(rebuilder.pool, {
      chunkSize: 4,
      onProgress: (progress) => events.push(progress),
    });
    expectEveryPhaseFromZeroToAll(events);
    expect(events.filter((e) => e.phase === "learners").at(-1)?.done).toBe(report.ledgerEntries);
    expect(events.filter((e) => e.phase === "boards").at(-1)?.done).toBe(report.boardEntries);
  });

  it("refuses a second rebuild while one runs on the same database, from any process", async () => {
    const world: World = await seedWorld(store, seededRandom(17), 20);
    let refused: unknown;
    await rebuildPostgresAggregates(rebuilder.pool, {
      chunkSize: 5,
      async betweenTransactions() {
        refused ??= await rebuildPostgresAggregates(bots.pool).catch((error: Error) => error);
      },
    });
    expect(String(refused)).toMatch(/already running on this database/);
    // The lock went with the first rebuild: a later one runs.
    await scramble(query, query, world);
    await expect(rebuildPostgresAggregates(bots.pool)).resolves.toMatchObject({ ledgerEntries: 18 });
  });
});
