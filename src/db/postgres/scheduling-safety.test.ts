import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cohortNamed, monday } from "../../../test/contract/store/scheduling-fixtures.js";
import { postgresDatabase, type TestDatabase } from "../../../test/postgres/database.js";
import type { Store } from "../../core/ports.js";
import { type OpenPostgres, openPostgres } from "./client.js";
import { createPostgresStore } from "./store.js";

// What PostgreSQL guarantees beyond SQLite, where one process sends every post and these races cannot happen.

let database: TestDatabase;
let first: OpenPostgres;
let second: OpenPostgres;
/** Two stores on one database through pools of their own, as two processes have. */
let stores: [Store, Store];

beforeAll(async () => {
  database = await postgresDatabase();
  first = await openPostgres(database.url);
  second = await openPostgres(database.url, { migrate: false });
  stores = [createPostgresStore(first), createPostgresStore(second)];
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await database?.drop();
});

describe("scheduling across processes on PostgreSQL", () => {
  it("given one fire's daily question chosen through two processes at once, one is stored and each gets that one", async () => {
    const [one, two] = stores;
    const cohort = await cohortNamed(one, "daily");
    const closesAt = new Date(monday.getTime() + 86_400_000);
    const chosen = await Promise.all(
      ["q1", "q2", "q3", "q4"].map((questionId, i) =>
        (i % 2 ? two : one).deliveries.create({
          spaceId: cohort.spaceId,
          cohortId: cohort.id,
          questionId,
          week: 1,
          deliveredAt: monday,
          closesAt,
        }),
      ),
    );
    expect(new Set(chosen.map((d) => d.id)).size).toBe(1);
    expect(new Set(chosen.map((d) => d.questionId)).size).toBe(1);
    expect(await one.deliveries.usedByCohort(cohort.id)).toEqual(new Set([chosen[0]?.questionId]));
  });

  it("given a post one process sent, another process's late retry or failure leaves it sent", async () => {
    const [one, two] = stores;
    const cohort = await cohortNamed(one, "sent");
    const post = await one.posts.claim(
      { cohortId: cohort.id, week: 1, kind: "manual", dueAt: monday },
      monday,
    );
    if (!post) throw new Error("not claimed");
    const sentAt = new Date(monday.getTime() + 1_000);
    await one.posts.markSent(post.id, sentAt, "m-1");
    await two.posts.markRetry(post.id, 1, new Date(monday.getTime() + 60_000), "503");
    await two.posts.markFailed(post.id, 2, "forbidden");
    expect(await one.posts.forCohort(cohort.id)).toEqual([
      { ...post, status: "sent", sentAt, attempts: 0, nextAttemptAt: null, error: null },
    ]);
  });
});
