import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { openDatabase } from "../src/db/client.js";
import { copySqliteToPostgres } from "../src/db/copy.js";
import { openPostgres } from "../src/db/postgres/client.js";
import { createPostgresStore } from "../src/db/postgres/store.js";
import { createStore } from "../src/db/store.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { fixedClock } from "../test/fixed-clock.js";
import {
  startTestPostgres,
  stopOrphanedServers,
  type TestPostgres,
} from "../test/postgres/embedded-server.js";
import { commandCore, storeCore } from "./core.js";
import { answersIn, freshAnswers } from "./fresh-answers.js";
import { type BenchOptions, measure } from "./measure.js";
import { answerThroughput, printThroughput } from "./processes.js";
import {
  BOARDS,
  boardName,
  generateCohort,
  measureAnswers,
  NOW,
  seconds,
  thousands,
  topAndOwnRank,
} from "./progress.js";
import { benchSchedule, benchScheduler, createDueCohorts, type PlanningFigures } from "./schedule.js";

/** db:copy inserts in batches of 1,000 rows (1,000,000 answers took 2.5 min): the SQLite section's 5,000,000 would take over 10. */
const SIZES = {
  full: {
    members: 50_000,
    answers: 500_000,
    requests: 2_000,
    answerRounds: { batches: 7, perBatch: 200, warmup: 50 },
    processes: { answers: 2_000, warmup: 80, inFlight: 8, timeoutMs: 300_000 },
  },
  quick: {
    members: 2_000,
    answers: 20_000,
    requests: 200,
    answerRounds: { batches: 5, perBatch: 40, warmup: 20 },
    processes: { answers: 240, warmup: 24, inFlight: 8, timeoutMs: 60_000 },
  },
};

const ms = (n: number) => `${n.toFixed(3)} ms`;
const times = (n: number) => `${n.toFixed(1)}×`;

/** A new empty database on the bench's server, as an operator would create one for Quorum. */
async function createDatabase(server: TestPostgres, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** The answer path and top 10 + own rank on the same cohort in SQLite and, copied by db:copy, in PostgreSQL. */
async function progressBeside(server: TestPostgres, curriculum: Curriculum, quick: boolean): Promise<void> {
  const sizes = quick ? SIZES.quick : SIZES.full;
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-postgres-"));
  try {
    const file = join(dir, "cohort.db");
    const generated = await generateCohort(file, curriculum, sizes.members, sizes.answers, "ledger");
    const url = await createDatabase(server, "quorum_bench_progress");
    const copyStarted = performance.now();
    const copied = await copySqliteToPostgres(file, url);
    if (!copied.ok) throw new Error(`db:copy into the bench PostgreSQL failed: ${copied.reason}`);
    const copyMs = performance.now() - copyStarted;

    const sqlite = openDatabase(file);
    const postgres = await openPostgres(url);
    try {
      // Planner statistics as autovacuum would gather soon after a copy, so plans are not guessed from empty tables.
      await postgres.pool.query("ANALYZE");
      const sqliteStore = createStore(sqlite.db);
      const pgStore = createPostgresStore(postgres);
      const cohortId = Number(sqlite.sqlite.prepare("SELECT id FROM cohorts").pluck().get());
      sqlite.sqlite.exec("CREATE TABLE baseline (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
      const insert = sqlite.sqlite.prepare("INSERT INTO baseline (v) VALUES (?)");
      const baseline = await measure(() => insert.run("x"), { perBatch: 2000 });
      await postgres.pool.query("CREATE TABLE baseline (id serial PRIMARY KEY, v text NOT NULL)");
      const pgInsert = await measure(() => postgres.pool.query("INSERT INTO baseline (v) VALUES ('x')"), {
        perBatch: 200,
      });
      // Ranks on PostgreSQL are checked against a count in SQLite: the same rows, so the same answer.
      const boards = [];
      for (const board of BOARDS) {
        boards.push({
          board,
          sqlite: await topAndOwnRank(sqliteStore, sqlite.sqlite, cohortId, board, sizes.requests),
          postgres: await topAndOwnRank(pgStore, sqlite.sqlite, cohortId, board, sizes.requests),
        });
      }
      // Both start from the same rows, so the same fresh (member, item) pairs are fresh on both.
      const pgPairs = freshAnswers(curriculum, generated, answersIn(sizes.answerRounds));
      const sqliteAnswer = await measureAnswers(
        commandCore(sqlite, curriculum, fixedClock(NOW)),
        generated,
        sizes.answerRounds,
      );
      const pgAnswer = await measureAnswers(
        storeCore(pgStore, curriculum, fixedClock(NOW)),
        generated,
        sizes.answerRounds,
        pgPairs,
      );
      // Bot processes of their own on the same database, answering pairs still fresh after the above.
      const throughput = await answerThroughput(
        postgres.pool,
        url,
        pgPairs,
        curriculum,
        NOW,
        sizes.processes,
      );

      const full = `${quick ? `quick run: the full run has ${thousands(SIZES.full.members)} learners, ${thousands(SIZES.full.answers)} answers; ` : ""}`;
      const scale = `${full}scaled down from the SQLite section's ${thousands(quick ? 200_000 : 5_000_000)} answers: db:copy would take too long`;
      console.log(
        `\nPostgreSQL beside SQLite: ${thousands(generated.members)} learners, ${thousands(generated.answers)} answers, one cohort (${scale})` +
          `  (ratio = time ÷ "baseline: one-row SQLite insert", same run; PG/SQLite = PostgreSQL's time ÷ SQLite's on the same rows)`,
      );
      console.log(
        `  embedded PostgreSQL on 127.0.0.1 (fsync off); cohort generated in SQLite, then db:copy in ${seconds(copyMs)} ` +
          `(${thousands(copied.rows.answers ?? 0)} answers, ${thousands(copied.rows.points_ledger ?? 0)} ledger rows)`,
      );
      console.log(
        `  baseline: one-row SQLite insert ${baseline.perOpMs.toFixed(4)} ms/op; one-row PostgreSQL insert (autocommit) ` +
          `${pgInsert.perOpMs.toFixed(4)} ms/op (${times(pgInsert.perOpMs / baseline.perOpMs)})`,
      );
      const line = (name: string, sqliteMs: number, pgMs: number) =>
        console.log(
          `  ${name.padEnd(36)} SQLite ${ms(sqliteMs).padStart(10)} ${times(sqliteMs / baseline.perOpMs).padStart(7)}   ` +
            `PostgreSQL ${ms(pgMs).padStart(10)} ${times(pgMs / baseline.perOpMs).padStart(7)}   ` +
            `PG/SQLite ${(pgMs / sqliteMs).toFixed(2)}×`,
        );
      line("/answer <id> <choice> (core + store)", sqliteAnswer.perOpMs, pgAnswer.perOpMs);
      for (const { board, sqlite: s, postgres: p } of boards) {
        const name = `top 10 + own rank "${boardName(board)}"`;
        line(`${name} p50`, s.p50, p.p50);
        line(`${name} p99`, s.p99, p.p99);
      }
      printThroughput(throughput);
    } finally {
      await postgres.close();
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scheduler's planning of as many due cohorts as the SQLite section, on PostgreSQL. */
async function planningBeside(
  server: TestPostgres,
  curriculum: Curriculum,
  sqlite: PlanningFigures,
  quick: boolean,
): Promise<void> {
  const url = await createDatabase(server, "quorum_bench_schedule");
  const postgres = await openPostgres(url);
  try {
    const store = createPostgresStore(postgres);
    const createStarted = performance.now();
    // One after another, as on SQLite: one moderator's creations at once can deadlock on their member row.
    await createDueCohorts(store, sqlite.cohortCount);
    const createMs = performance.now() - createStarted;
    await postgres.pool.query("ANALYZE");
    const { scheduler, queue } = benchScheduler(store, curriculum);
    const planStarted = performance.now();
    const report = await scheduler.tick();
    const planMs = performance.now() - planStarted;
    await queue.drain();
    // The same cohorts due at the same clock: any other count would time different work.
    if (report.claimed !== sqlite.claimed) {
      throw new Error(`PostgreSQL claimed ${report.claimed} posts, SQLite ${sqlite.claimed}`);
    }
    const cohorts = thousands(sqlite.cohortCount);
    console.log(
      `\nScheduler on PostgreSQL: ${cohorts} cohorts due in one minute${quick ? " (quick run: 10,000 in the full run)" : ""} (made one store.cohorts.create transaction each in ${seconds(createMs)})` +
        `  (ratio = time ÷ "${cohorts} one-row SQLite inserts", same run)`,
    );
    console.log(
      `  baseline: ${cohorts} one-row SQLite inserts (500 per txn)  ${sqlite.baselineMs.toFixed(1)} ms   1.00×`,
    );
    console.log(
      `  plan + claim + enqueue (${report.claimed} posts)  SQLite ${sqlite.planMs.toFixed(1)} ms ${times(sqlite.planMs / sqlite.baselineMs)}   ` +
        `PostgreSQL ${planMs.toFixed(1)} ms ${times(planMs / sqlite.baselineMs)}   PG/SQLite ${(planMs / sqlite.planMs).toFixed(2)}×`,
    );
  } finally {
    await postgres.close();
  }
}

/**
 * The answer path, top 10 + own rank and due-cohort planning on an embedded PostgreSQL of its own,
 * beside SQLite's figures from the same run; the server is stopped by pid when done or on Ctrl-C.
 */
export async function benchPostgres({ quick }: BenchOptions, planning: PlanningFigures): Promise<void> {
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load: run npm run curriculum:check");
  for (const line of await stopOrphanedServers()) console.warn(line);
  const server = await startTestPostgres();
  // Ctrl-C must not leave the server running: stop it, then exit as interrupted.
  const onInterrupt = () => {
    // Ctrl-C reaches the server too, so queries in flight fail as it goes: only the stop is left to do.
    process.on("uncaughtException", () => {});
    process.on("unhandledRejection", () => {});
    void server.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", onInterrupt);
  try {
    await progressBeside(server, loaded.curriculum, quick);
    await planningBeside(server, loaded.curriculum, planning, quick);
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    await server.stop();
  }
}

// Runnable on its own (npx tsx bench/postgres.ts [--quick]), with the SQLite planning measured first.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = { quick: process.argv.includes("--quick") };
  await benchPostgres(options, await benchSchedule(options));
}
