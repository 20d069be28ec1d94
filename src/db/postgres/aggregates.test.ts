import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answer, cohortOf, learnerIn } from "../../../test/contract/store/learners.js";
import { postgresDatabase, type TestDatabase } from "../../../test/postgres/database.js";
import type { Store } from "../../core/ports/store.js";
import { placeOnBoards } from "./aggregates.js";
import { type OpenPostgres, openPostgres } from "./client.js";
import { createPostgresStore } from "./store.js";

// What the answer path reads once the learner's member row is locked, on PostgreSQL, where a move
// in another process may commit while the answer waits for that lock.

let database: TestDatabase;
let opened: OpenPostgres;
let store: Store;

beforeAll(async () => {
  database = await postgresDatabase();
  opened = await openPostgres(database.url);
  store = createPostgresStore(opened);
});

afterAll(async () => {
  await opened?.close();
  await database?.drop();
});

/** Resolves once some session of this database waits for a lock held by another. */
async function someoneWaitsForALock(): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const { rows } = await opened.pool.query<{ n: number }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (Number(rows[0]?.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("nobody waited for a lock");
}

describe("the answer path's place of the learner on PostgreSQL", () => {
  it("given the learner leaving their track while their answer waits for their member row, counts the answer off that track", async () => {
    const cohort = await cohortOf(store, "north");
    const ana = await learnerIn(store, "ana", cohort);
    await store.tracks.join(ana.id, "dba", new Date("2026-03-04T09:00:00Z"));
    await answer(store, ana, { minute: 0, points: 10 });

    // Another process leaves the track, as trackStore.leave does, and holds on before committing.
    const mover = await opened.pool.connect();
    try {
      await mover.query("BEGIN");
      await mover.query("SELECT id FROM members WHERE id = $1 FOR UPDATE", [ana.id]);
      await mover.query(
        "UPDATE track_memberships SET left_at = now() WHERE member_id = $1 AND left_at IS NULL",
        [ana.id],
      );
      await placeOnBoards(mover, ana.id);
      const answered = answer(store, ana, { minute: 1, points: 20, question: "q-late" });
      await someoneWaitsForALock();
      await mover.query("COMMIT");
      expect(await answered).toMatchObject({ stored: true, points: 20 });
    } finally {
      mover.release();
    }

    const { rows: ledger } = await opened.pool.query(
      "SELECT track_id FROM points_ledger WHERE member_id = $1 AND question_id = 'q-late'",
      [ana.id],
    );
    expect(ledger).toEqual([{ track_id: null }]);
    const { rows: boards } = await opened.pool.query(
      "SELECT board, points FROM board_entries WHERE member_id = $1 ORDER BY board",
      [ana.id],
    );
    expect(boards).toEqual([
      { board: "all", points: 30 },
      { board: "week:1", points: 30 },
    ]);
  });
});
