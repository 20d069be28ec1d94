import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type Database from "better-sqlite3";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import { type Core, handleText } from "../src/core/dispatch.js";
import type { Board } from "../src/core/ports/progress.js";
import type { Store } from "../src/core/ports/store.js";
import { basePoints } from "../src/core/rules/scoring.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { DAY_MS } from "../src/db/board-rules.js";
import { type OpenDatabase, openDatabase } from "../src/db/client.js";
import {
  type ChunkedRebuildReport,
  type RebuildReport,
  rebuildAggregates,
  rebuildAggregatesAtOnce,
} from "../src/db/rebuild.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { fixedClock } from "../test/fixed-clock.js";
import { seededRandom } from "../test/seeded-random.js";
import { benchLearner, commandCore } from "./core.js";
import { answersIn, type FreshAnswers, freshAnswers } from "./fresh-answers.js";
import { recordGoal } from "./goals.js";
import { type BenchOptions, measure } from "./measure.js";

const START_DATE = "2026-01-05";
const START_MIDNIGHT = Date.parse(START_DATE);
/** Week 1 opens with the module post at 09:00 UTC on the start date (the cohort's default schedule). */
const WEEK_ONE_AT = START_MIDNIGHT + 9 * 3_600_000;
/** Answers fall in the first 140 days: weeks 1–20. */
const SPAN_DAYS = 140;
/** The afternoon of the last day of week 20, so the current week's board is "week:20". */
export const NOW = new Date(WEEK_ONE_AT + 139 * DAY_MS + 6 * 3_600_000);
const CURRENT_WEEK = 20;
const TRACKS = [
  "dba",
  "sql-developer",
  "nosql-specialist",
  "system-architect",
  "distributed-systems-engineer",
  "performance-engineer",
  "data-architect",
  "scalability-engineer",
];
const WARMUP_REQUESTS = 200;
/** Cohorts and timed requests per board; quick has a tenth of the learners, 20 answers each on average, not 50. */
const SIZES = {
  full: {
    main: { members: 100_000, answers: 5_000_000 },
    small: { members: 10_000, answers: 500_000 },
    big: { members: 1_000_000, answers: 50_000_000 },
    requests: 2_000,
  },
  quick: {
    main: { members: 10_000, answers: 200_000 },
    small: { members: 1_000, answers: 20_000 },
    big: { members: 100_000, answers: 2_000_000 },
    requests: 500,
  },
};
export const BOARDS: Board[] = [{ kind: "all" }, { kind: "week", week: CURRENT_WEEK }];

function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const thousands = (n: number) => Math.round(n).toLocaleString("en-US");
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const boardName = (board: Board) => (board.kind === "week" ? `week:${board.week}` : board.kind);

/**
 * Answers per learner, skewed like a real cohort: many answer a handful, a few answer the whole bank.
 * Quantiles of bankSize·u^p, with p chosen so the total is `answers`, nudged to hit it exactly and shuffled.
 */
function answerCounts(members: number, answers: number, bankSize: number, random: () => number): Int32Array {
  const countsFor = (p: number) => {
    const counts = new Int32Array(members);
    for (let i = 0; i < members; i++) {
      counts[i] = Math.max(1, Math.min(bankSize, Math.floor(bankSize * ((i + 0.5) / members) ** p)));
    }
    return counts;
  };
  const total = (counts: Int32Array) => counts.reduce((sum, c) => sum + c, 0);
  let low = 0;
  let high = 1000;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (total(countsFor(mid)) > answers) low = mid;
    else high = mid;
  }
  const counts = countsFor(high);
  let missing = answers - total(counts);
  for (let i = members - 1; missing > 0 && i >= 0; i--) {
    const room = Math.min(missing, bankSize - (counts[i] ?? 0));
    counts[i] = (counts[i] ?? 0) + room;
    missing -= room;
  }
  // Activity must not follow member id: ties on a board are broken by id.
  for (let i = members - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = counts[i] ?? 0;
    counts[i] = counts[j] ?? 0;
    counts[j] = swap;
  }
  return counts;
}

/** The moderator (learner-0) is member 1; learner-n is member n + 1. */
const actorOfMember = (memberId: number) => benchLearner(memberId - 1);

export interface Generated {
  members: number;
  answers: number;
  /** Indexed by member id − 1: the learner answered `counts` bank items from `firstItem` on, wrapping. */
  counts: Int32Array;
  firstItem: Int32Array;
  generateMs: number;
  rebuild?: { ms: number; report: RebuildReport; chunked?: ChunkedRebuilds };
}

/** The chunked rebuild on the same file right after the one in one transaction. */
interface ChunkedRebuilds {
  /** From empty aggregate tables, where the one-transaction rebuild started: everything to write. */
  fromEmpty: { ms: number; report: ChunkedRebuildReport };
  /** Again, over the tables just derived: everything to check, nothing to write (the usual case). */
  again: { ms: number; report: ChunkedRebuildReport };
}

async function timedChunkedRebuild(database: OpenDatabase) {
  const started = performance.now();
  const report = await rebuildAggregates(database.db);
  return { ms: performance.now() - started, report };
}

/** How a cohort's aggregates are made: by `rebuildAggregatesAtOnce` over a full ledger, or only the measured boards. */
type Build = "ledger" | "measured-boards";

const LEHMER_MODULUS = 2_147_483_647;
/** A Lehmer step: integer hashing SQLite does itself, without a call back into JS per row. */
const lehmer = (x: string) => `((${x}) * 48271 % ${LEHMER_MODULUS})`;

/** One row per generated answer, with three independent hashes (day, time of day, right or wrong). */
function answersCte(bankSize: number): string {
  return `p AS (
      SELECT g.member_id, g.first_item, g.skill, g.track, s.j,
             ${lehmer(`(g.member_id * 7919 + s.j * 104729 + 12345) % ${LEHMER_MODULUS}`)} AS h1
      FROM gen g JOIN seq s ON s.j < g.answers),
    q AS (SELECT *, ${lehmer("h1")} AS h2 FROM p),
    r AS (SELECT *, ${lehmer("h2")} AS h3, (first_item + j) % ${bankSize} AS item,
                 ${WEEK_ONE_AT} + (h1 % ${SPAN_DAYS}) * ${DAY_MS} + (h2 % ${DAY_MS}) AS at FROM q)`;
}

/** Answers, then their ledger rows, in time order like a live ledger (created_at increases with id). */
function writeAnswersAndLedger(sqlite: Database.Database, cohort: { id: number; spaceId: number }): void {
  // Indexes keyed by member take random inserts from a load in time order; building them afterwards is far cheaper.
  const indexes = sqlite
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND name IN ('answers_scored_once', 'answers_member_question', 'points_ledger_member')`,
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  const bankSize = (sqlite.prepare("SELECT count(*) AS n FROM bank").get() as { n: number }).n;
  sqlite.transaction(() => {
    sqlite.exec(
      `WITH ${answersCte(bankSize)}
       INSERT INTO answers (member_id, question_id, response, correct, scored, created_at)
       SELECT r.member_id, b.id, 'b', r.h3 % 1000 < r.skill, r.h3 % 1000 < r.skill, r.at
       FROM r JOIN bank b ON b.idx = r.item
       ORDER BY r.at`,
    );
    sqlite.exec(
      `INSERT INTO points_ledger (space_id, member_id, cohort_id, answer_id, question_id, correct, points,
                                  reason, week, day, track_id, created_at)
       SELECT ${cohort.spaceId}, a.member_id, ${cohort.id}, a.id, a.question_id, a.correct,
              a.correct * b.points, 'quiz ' || a.question_id, (a.created_at - ${WEEK_ONE_AT}) / ${7 * DAY_MS} + 1,
              d.day, g.track, a.created_at
       FROM answers a
       JOIN bank b ON b.id = a.question_id
       JOIN gen g ON g.member_id = a.member_id
       JOIN days d ON d.idx = (a.created_at - ${START_MIDNIGHT}) / ${DAY_MS}
       ORDER BY a.id`,
    );
  })();
  for (const index of indexes) sqlite.exec(index.sql);
}

/**
 * The two measured boards ("all" and the current week) alone, from the same generated answers as
 * `answersCte` (the hashing is replayed exactly in JS), without storing answers or ledger: a million
 * learners' 50 million answers and their rebuild would take many minutes. Rows go in as the rebuild
 * writes them (member order), and board_counts and board_day_counts are derived from them with the rebuild's queries.
 */
function writeMeasuredBoards(
  sqlite: Database.Database,
  cohortId: number,
  learners: { counts: Int32Array; firstItem: Int32Array; skill: Int32Array },
  itemPoints: number[],
): void {
  const step = (x: number) => (x * 48271) % LEHMER_MODULUS;
  const insert = sqlite.prepare(
    "INSERT INTO board_entries (cohort_id, board, member_id, points, reached_at) VALUES (?, ?, ?, ?, ?)",
  );
  const weekBoard = `week:${CURRENT_WEEK}`;
  const reachedAt = (latestPaid: number, earliest: number) => (latestPaid >= 0 ? latestPaid : earliest);
  const weekRows: [number, number, number][] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < learners.counts.length; i++) {
      const memberId = i + 1;
      const first = learners.firstItem[i] ?? 0;
      const skill = learners.skill[i] ?? 0;
      let total = 0;
      let latestPaid = -1;
      let earliest = Number.POSITIVE_INFINITY;
      let weekTotal = 0;
      let weekLatestPaid = -1;
      let weekEarliest = Number.POSITIVE_INFINITY;
      for (let j = 0; j < (learners.counts[i] ?? 0); j++) {
        const h1 = step((memberId * 7919 + j * 104729 + 12345) % LEHMER_MODULUS);
        const h2 = step(h1);
        const h3 = step(h2);
        const at = WEEK_ONE_AT + (h1 % SPAN_DAYS) * DAY_MS + (h2 % DAY_MS);
        const points = h3 % 1000 < skill ? (itemPoints[(first + j) % itemPoints.length] ?? 0) : 0;
        total += points;
        earliest = Math.min(earliest, at);
        if (points > 0) latestPaid = Math.max(latestPaid, at);
        if (Math.floor((at - WEEK_ONE_AT) / (7 * DAY_MS)) + 1 === CURRENT_WEEK) {
          weekTotal += points;
          weekEarliest = Math.min(weekEarliest, at);
          if (points > 0) weekLatestPaid = Math.max(weekLatestPaid, at);
        }
      }
      insert.run(cohortId, "all", memberId, total, reachedAt(latestPaid, earliest));
      if (weekEarliest !== Number.POSITIVE_INFINITY) {
        weekRows.push([memberId, weekTotal, reachedAt(weekLatestPaid, weekEarliest)]);
      }
    }
    for (const [memberId, points, at] of weekRows) insert.run(cohortId, weekBoard, memberId, points, at);
    sqlite.exec(`INSERT INTO board_counts (cohort_id, board, points, members)
      SELECT cohort_id, board, points, count(*) FROM board_entries GROUP BY cohort_id, board, points`);
    sqlite.exec(`INSERT INTO board_day_counts (cohort_id, board, points, day, members)
      SELECT cohort_id, board, points, reached_at / ${DAY_MS}, count(*) FROM board_entries
      GROUP BY cohort_id, board, points, reached_at / ${DAY_MS}`);
  })();
}

/**
 * A cohort of `members` learners who gave `answers` answers, written with set-based SQL through the raw
 * handle (the core would take hours); the cohort itself is made by /cohort create, as a moderator would.
 */
export async function generateCohort(
  file: string,
  curriculum: Curriculum,
  members: number,
  answers: number,
  build: Build,
  chunked = false,
): Promise<Generated> {
  const started = performance.now();
  const database = openDatabase(file);
  const { sqlite } = database;
  try {
    // Only while generating: nothing here has to survive a crash.
    sqlite.pragma("synchronous = OFF");
    sqlite.pragma("cache_size = -1000000");
    sqlite.pragma("temp_store = MEMORY");
    const created = await handleText(
      commandCore(database, curriculum, fixedClock(NOW)),
      benchLearner(0),
      `/cohort create bench ${START_DATE} UTC`,
    );
    const cohort = sqlite.prepare("SELECT id, space_id AS spaceId FROM cohorts").get() as
      | { id: number; spaceId: number }
      | undefined;
    if (!cohort) throw new Error(`/cohort create failed: ${created?.text}`);

    const items = curriculum.bank.items;
    const random = seededRandom(members);
    const counts = answerCounts(members, answers, items.length, random);
    const firstItem = new Int32Array(members);
    const skill = new Int32Array(members);
    sqlite.exec(`
      CREATE TEMP TABLE gen (member_id INTEGER PRIMARY KEY, answers INTEGER, first_item INTEGER,
                             skill INTEGER, track TEXT);
      CREATE TEMP TABLE bank (idx INTEGER PRIMARY KEY, id TEXT UNIQUE, points INTEGER);
      CREATE TEMP TABLE days (idx INTEGER PRIMARY KEY, day TEXT);
      CREATE TEMP TABLE seq (j INTEGER PRIMARY KEY);`);
    sqlite.transaction(() => {
      const gen = sqlite.prepare("INSERT INTO gen VALUES (?, ?, ?, ?, ?)");
      for (let i = 0; i < members; i++) {
        firstItem[i] = Math.floor(random() * items.length);
        // One learner in five follows no track; the rest spread over the eight.
        const track = random() < 0.2 ? null : (TRACKS[Math.floor(random() * TRACKS.length)] ?? null);
        // Per mille of answers right: 35% to 95%.
        skill[i] = 350 + Math.floor(random() * 600);
        gen.run(i + 1, counts[i] ?? 1, firstItem[i] ?? 0, skill[i] ?? 0, track);
      }
      const bank = sqlite.prepare("INSERT INTO bank VALUES (?, ?, ?)");
      items.forEach((item, idx) => {
        bank.run(idx, item.id, basePoints[item.difficulty]);
      });
      const days = sqlite.prepare("INSERT INTO days VALUES (?, ?)");
      for (let d = 0; d <= SPAN_DAYS; d++) {
        days.run(d, new Date(START_MIDNIGHT + d * DAY_MS).toISOString().slice(0, 10));
      }
      const seq = sqlite.prepare("INSERT INTO seq VALUES (?)");
      for (let j = 0; j < items.length; j++) seq.run(j);

      sqlite.exec(
        `INSERT INTO members (id, space_id, external_id, display_name, cohort_id, created_at)
         SELECT member_id, ${cohort.spaceId}, 'learner-' || (member_id - 1), 'learner-' || (member_id - 1),
                ${cohort.id}, ${START_MIDNIGHT}
         FROM gen WHERE member_id > 1`,
      );
      sqlite.exec(
        `INSERT INTO track_memberships (member_id, track_id, joined_at)
         SELECT member_id, track, ${START_MIDNIGHT} FROM gen WHERE track IS NOT NULL`,
      );
    })();

    let rebuild: Generated["rebuild"];
    if (build === "ledger") {
      writeAnswersAndLedger(sqlite, cohort);
      // The rebuild as it was before the chunked one: one transaction, on a connection as the bot
      // opened it then (no memory map, SQLite's default page cache); the connection's own settings after.
      const settings = ["mmap_size", "cache_size"].map((name) => [
        name,
        sqlite.pragma(name, { simple: true }),
      ]);
      sqlite.pragma("mmap_size = 0");
      sqlite.pragma("cache_size = -2000");
      const rebuildStarted = performance.now();
      const report = rebuildAggregatesAtOnce(database.db);
      rebuild = { ms: performance.now() - rebuildStarted, report };
      for (const [name, value] of settings) sqlite.pragma(`${name} = ${value}`);
      if (chunked) {
        // Back to where the one transaction started, then the same derivation in chunks.
        sqlite.exec(
          "DELETE FROM board_entries; DELETE FROM board_counts; DELETE FROM board_day_counts; " +
            "DELETE FROM streaks; DELETE FROM activity_days; DELETE FROM question_stats;",
        );
        const fromEmpty = await timedChunkedRebuild(database);
        rebuild.chunked = { fromEmpty, again: await timedChunkedRebuild(database) };
      }
    } else {
      const itemPoints = items.map((item) => basePoints[item.difficulty]);
      writeMeasuredBoards(sqlite, cohort.id, { counts, firstItem, skill }, itemPoints);
    }
    sqlite.exec("DROP TABLE gen; DROP TABLE bank; DROP TABLE days; DROP TABLE seq;");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const rebuildMs =
      (rebuild?.ms ?? 0) + (rebuild?.chunked?.fromEmpty.ms ?? 0) + (rebuild?.chunked?.again.ms ?? 0);
    const generateMs = performance.now() - started - rebuildMs;
    return { members, answers, counts, firstItem, generateMs, ...(rebuild ? { rebuild } : {}) };
  } finally {
    database.close();
  }
}

export interface Latency {
  board: Board;
  onBoard: number;
  /** How many point totals the board has, and the most learners tied on one: own rank counts ties. */
  totals: number;
  mostTied: number;
  p50: number;
  p99: number;
}

/** One request as /leaderboard serves it: the top 10 and the asker's own rank, for askers of every rank. */
export async function topAndOwnRank(
  store: Store,
  sqlite: Database.Database,
  cohortId: number,
  board: Board,
  requests: number,
): Promise<Latency> {
  const key = boardName(board);
  const onBoard = (
    sqlite
      .prepare("SELECT member_id FROM board_entries WHERE cohort_id = ? AND board = ?")
      .pluck()
      .all(cohortId, key) as number[]
  ).sort((a, b) => a - b);
  const ties = sqlite
    .prepare(
      "SELECT count(*) AS totals, max(members) AS mostTied FROM board_counts WHERE cohort_id = ? AND board = ?",
    )
    .get(cohortId, key) as { totals: number; mostTied: number };
  const random = seededRandom(onBoard.length);
  const pick = () => onBoard[Math.floor(random() * onBoard.length)] ?? 0;
  const request = async (memberId: number) => {
    const top = await store.progress.top(cohortId, board, 10);
    const own = await store.progress.standing(cohortId, board, memberId);
    if (top.length === 0 || !own) throw new Error(`board ${key}: no standing for member ${memberId}`);
    return own;
  };

  // The figures only mean something if the ranks are right: check a few against a plain count.
  const countAhead = sqlite.prepare(
    `SELECT count(*) FROM board_entries WHERE cohort_id = ? AND board = ?
     AND (points > ? OR (points = ? AND (reached_at, member_id) < (?, ?)))`,
  );
  for (let i = 0; i < 5; i++) {
    const own = await request(pick());
    const expected =
      Number(
        countAhead.pluck().get(cohortId, key, own.points, own.points, own.reachedAt.getTime(), own.member.id),
      ) + 1;
    if (own.rank !== expected) {
      throw new Error(`board ${key}: member ${own.member.id} ranked ${own.rank}, counted ${expected}`);
    }
  }

  for (let i = 0; i < WARMUP_REQUESTS; i++) await request(pick());
  const times = new Float64Array(requests);
  for (let i = 0; i < requests; i++) {
    const memberId = pick();
    const start = performance.now();
    await request(memberId);
    times[i] = performance.now() - start;
  }
  times.sort();
  return {
    board,
    onBoard: onBoard.length,
    totals: ties.totals,
    mostTied: ties.mostTied,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
  };
}

async function measureBoards(file: string, curriculum: Curriculum, requests: number): Promise<Latency[]> {
  // A fresh connection with the store's own settings (cache size, synchronous), as the bot runs.
  const database = openDatabase(file);
  try {
    const store = commandCore(database, curriculum, fixedClock(NOW)).store;
    const cohortId = Number(database.sqlite.prepare("SELECT id FROM cohorts").pluck().get());
    const results: Latency[] = [];
    for (const board of BOARDS) {
      results.push(await topAndOwnRank(store, database.sqlite, cohortId, board, requests));
    }
    return results;
  } finally {
    database.close();
  }
}

/**
 * /answer through the real core and store on the big database: fresh (member, item) pairs over
 * learners of every activity, single-choice items, right and wrong answers alternating.
 */
export async function measureAnswers(
  core: Core,
  generated: Generated,
  rounds = { batches: 7, perBatch: 200, warmup: 50 },
  pairs: FreshAnswers = freshAnswers(core.curriculum, generated, answersIn(rounds)),
): Promise<{ perOpMs: number; opsPerSecond: number }> {
  const lines = pairs.take(answersIn(rounds));
  let next = 0;
  return measure(async () => {
    const pair = lines[next++];
    if (!pair) throw new Error("ran out of fresh (member, item) pairs");
    const reply = await handleText(core, actorOfMember(pair.memberId), pair.line);
    // An error reply would time the wrong path.
    if (!reply?.text?.startsWith("Right!") && !reply?.text?.startsWith("Not quite")) {
      throw new Error(`${pair.line} by member ${pair.memberId}: ${reply?.text}`);
    }
  }, rounds);
}

function fileSize(file: string): number {
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

/**
 * Leaderboards and the answer path on a 100,000-learner, 5,000,000-answer cohort, and how
 * top-10 + own rank grows from 10,000 to 1,000,000 learners (a tenth of the learners when quick).
 */
export async function benchProgress({ quick }: BenchOptions): Promise<void> {
  const sizes = quick ? SIZES.quick : SIZES.full;
  const benchStarted = performance.now();
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load: run npm run curriculum:check");
  const { curriculum } = loaded;
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-progress-"));
  try {
    const mainFile = join(dir, "main.db");
    const main = await generateCohort(
      mainFile,
      curriculum,
      sizes.main.members,
      sizes.main.answers,
      "ledger",
      true,
    );
    const mainSize = fileSize(mainFile);
    const mainBoards = await measureBoards(mainFile, curriculum, sizes.requests);

    const database = openDatabase(mainFile);
    let baseline: { perOpMs: number; opsPerSecond: number };
    let answering: { perOpMs: number; opsPerSecond: number };
    try {
      database.sqlite.exec("CREATE TABLE baseline (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
      const insert = database.sqlite.prepare("INSERT INTO baseline (v) VALUES (?)");
      baseline = await measure(() => insert.run("x"), { perBatch: 2000 });
      answering = await measureAnswers(commandCore(database, curriculum, fixedClock(NOW)), main);
    } finally {
      database.close();
    }

    const sorted = [...main.counts].sort((a, b) => a - b);
    const full = SIZES.full.main;
    const scale = quick
      ? `, quick run: the full run has ${thousands(full.members)} learners, ${thousands(full.answers)} answers`
      : "";
    const heading = `Progress at scale: ${thousands(main.members)} learners, ${thousands(main.answers)} answers, one cohort (SQLite file, WAL${scale})`;
    console.log(`\n${heading}  (ratio = time ÷ "baseline: one-row SQLite insert", same run)`);
    console.log(
      `  answers per learner: median ${quantile(sorted, 0.5)}, p90 ${quantile(sorted, 0.9)}, ` +
        `max ${quantile(sorted, 1)} of the ${curriculum.bank.items.length} items; 80% follow one of 8 tracks`,
    );
    console.log(
      `  generated (SQL, time order) in ${seconds(main.generateMs)}; database file ${(mainSize / 1e9).toFixed(2)} GB`,
    );
    if (main.rebuild) {
      const r = main.rebuild.report;
      console.log(
        `  rebuildAggregatesAtOnce (one transaction, connection as before: no memory map, default cache) over ${thousands(r.ledgerEntries)} ledger entries: ${seconds(main.rebuild.ms)} ` +
          `(${thousands(r.boardEntries)} board entries, ${thousands(r.streaks)} streaks, ${thousands(r.activityDays)} activity days)`,
      );
      const chunked = main.rebuild.chunked;
      for (const [how, run] of [
        ["from empty tables", chunked?.fromEmpty],
        ["again, nothing to write", chunked?.again],
      ] as const) {
        if (!run) continue;
        console.log(
          `  rebuildAggregates (chunked) ${how}: ${seconds(run.ms)}, ${(run.ms / main.rebuild.ms).toFixed(2)}× the one transaction; ` +
            `${thousands(run.report.writes)} write transactions, the longest ${run.report.longestWriteMs.toFixed(1)} ms ` +
            `(what a writer waits behind at most; readers never wait)`,
        );
      }
    }
    console.log(
      `  baseline: one-row SQLite insert           ${baseline.perOpMs.toFixed(4)} ms/op   ${thousands(baseline.opsPerSecond)} inserts/s`,
    );
    for (const result of mainBoards) {
      console.log(
        `  top 10 + own rank, board ${`"${boardName(result.board)}"`.padEnd(9)}  ` +
          `p50 ${result.p50.toFixed(3)} ms ${`${(result.p50 / baseline.perOpMs).toFixed(1)}×`.padStart(7)}   ` +
          `p99 ${result.p99.toFixed(3)} ms ${`${(result.p99 / baseline.perOpMs).toFixed(1)}×`.padStart(7)}   ` +
          `(${thousands(result.onBoard)} on the board, ${thousands(result.totals)} point totals, up to ${thousands(result.mostTied)} tied)`,
      );
    }
    console.log(
      `  /answer <id> <choice> (core + store)      ${answering.perOpMs.toFixed(4)} ms/op   ${thousands(answering.opsPerSecond)} answers/s   ` +
        `${(baseline.opsPerSecond / answering.opsPerSecond).toFixed(1)}× the insert's time`,
    );
    const answerRatio = baseline.opsPerSecond / answering.opsPerSecond;
    recordGoal({
      name: `/answer at ${thousands(main.members)} learners / ${thousands(main.answers)} answers ÷ one insert`,
      value: answerRatio,
      target: 100,
      ok: answerRatio <= 100,
      format: (n) => `${n.toFixed(1)}×`,
      bound: "≤",
    });
    // From empty tables, as the one transaction started: the chunked rebuild's slowest case.
    const rebuildRatio =
      (main.rebuild?.chunked?.fromEmpty.ms ?? Number.NaN) / (main.rebuild?.ms ?? Number.NaN);
    recordGoal({
      name: `rebuildAggregates over ${thousands(main.rebuild?.report.ledgerEntries ?? 0)} ledger entries, chunked ÷ one transaction (readers never blocked)`,
      value: rebuildRatio,
      target: 1 / 3,
      ok: rebuildRatio <= 1 / 3,
      format: (n) => `${n.toFixed(2)}×`,
      bound: "≤",
    });
    rmSync(mainFile, { force: true });
    rmSync(`${mainFile}-wal`, { force: true });
    rmSync(`${mainFile}-shm`, { force: true });

    const growth: { members: number; how: string; boards: Latency[] }[] = [];
    const smallFile = join(dir, "small.db");
    const small = await generateCohort(
      smallFile,
      curriculum,
      sizes.small.members,
      sizes.small.answers,
      "ledger",
    );
    growth.push({
      members: small.members,
      how: `${thousands(small.answers)} answers (the same skew), ledger + rebuildAggregatesAtOnce in ${seconds(small.rebuild?.ms ?? 0)}`,
      boards: await measureBoards(smallFile, curriculum, sizes.requests),
    });
    growth.push({
      members: main.members,
      how: "the cohort above",
      boards: mainBoards,
    });
    const bigFile = join(dir, "big.db");
    const big = await generateCohort(
      bigFile,
      curriculum,
      sizes.big.members,
      sizes.big.answers,
      "measured-boards",
    );
    growth.push({
      members: big.members,
      how:
        `${thousands(big.answers)} answers (the same skew), not stored: only the two measured boards ` +
        `written from them (no ledger, other boards or streaks), in ${seconds(big.generateMs)}`,
      boards: await measureBoards(bigFile, curriculum, sizes.requests),
    });

    console.log(
      `\nTop 10 + own rank as the board grows  (growth = time ÷ the same figure at ${thousands(small.members)} learners)`,
    );
    const reference = growth[0]?.boards ?? [];
    for (const point of growth) {
      console.log(`  ${thousands(point.members)} learners: ${point.how}`);
      point.boards.forEach((result, i) => {
        const base = reference[i];
        console.log(
          `    ${`"${boardName(result.board)}"`.padEnd(9)} ${thousands(result.onBoard).padStart(9)} on the board   ` +
            `p50 ${result.p50.toFixed(3)} ms ${`${(result.p50 / (base?.p50 ?? Number.NaN)).toFixed(2)}×`.padStart(6)}   ` +
            `p99 ${result.p99.toFixed(3)} ms ${`${(result.p99 / (base?.p99 ?? Number.NaN)).toFixed(2)}×`.padStart(6)}   ` +
            `(p50 ${(result.p50 / baseline.perOpMs).toFixed(1)}× the insert; up to ${thousands(result.mostTied)} tied)`,
        );
      });
    }
    console.log(`  progress bench run time: ${seconds(performance.now() - benchStarted)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runnable on its own (npx tsx bench/progress.ts) as well as from bench/index.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchProgress({ quick: process.argv.includes("--quick") });
}
