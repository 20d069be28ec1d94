import type { Pool, PoolClient } from "pg";
import { streakFold } from "../../core/rules/streak.js";
import type { ChunkedRebuildReport, RebuildOptions, RebuildPhase } from "../rebuild.js";
import { migrationLockKey } from "./client.js";
import { type QuestionKey, type RebuildChunks, rebuildChunks } from "./rebuild-chunks.js";

// `npm run db:rebuild` on PostgreSQL: the aggregates that rebuild.ts derives on SQLite (boards and
// their counts, streaks, active days, question tallies), derived from the ledger in short
// transactions while the bots keep answering, on any number of processes.

export interface PostgresRebuildOptions extends Pick<RebuildOptions, "chunkSize" | "onProgress"> {
  /**
   * Board-count transactions hold every writer off both count tables: after one of t ms, the next
   * starts no sooner than restRatio·t ms later (default 1), so answers queued behind it get through.
   */
  restRatio?: number;
  /**
   * How long a transaction of the rebuild waits for a lock (default 2000 ms); past that it rolls
   * back, gives way and runs again, so answers never queue long behind a rebuild that is waiting.
   */
  lockTimeoutMs?: number;
  /** Runs after every transaction (tests record answers and moves here). */
  betweenTransactions?: (between: { phase: RebuildPhase }) => void | Promise<void>;
}

const MAX = Number.MAX_SAFE_INTEGER;
/** Held for the whole rebuild, by the session that runs it: one rebuild per database at a time. */
const rebuildLockKey = migrationLockKey + 1;
// Deadlock, serialization failure and lock timeout: the transaction did nothing; it is run again.
const RETRYABLE = new Set(["40P01", "40001", "55P03"]);
const MAX_RUNS = 20;

const isRetryable = (error: unknown) =>
  typeof error === "object" && error !== null && RETRYABLE.has(String((error as { code?: unknown }).code));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Derives every aggregate from the ledger on PostgreSQL in short transactions on one connection of
 * `pool`: readers never wait, answers and moves recorded meanwhile (by this process or any other)
 * are kept, and it ends equal to a derivation from the ledger. Three passes:
 * - learners, by ranges of member ids (every id in exactly one range): their member rows locked
 *   FOR UPDATE in id order, as the answer path and moves lock them, so none of them answers or
 *   moves meanwhile; their board entries, active days and streaks (the core's streak fold) derived
 *   from their ledger entries, only the differences written, and board counts moved by them with
 *   single-statement upserts in the answer path's order;
 * - boards, by ranges of points on each (cohort, board): entries of learners no longer in that
 *   cohort dropped (those learners locked first), then the counts derived from the entries with both
 *   count tables locked against writers for that one short transaction (fixing any drift from before);
 * - questions: how far each tally is from the ledger, measured in one statement (one snapshot), then
 *   added to the tallies range by range; answers add to a tally and the ledger in one transaction, so
 *   that distance holds whatever is answered between the measure and the write.
 * Refuses to start while another rebuild runs on the same database.
 */
export async function rebuildPostgresAggregates(
  pool: Pool,
  options: PostgresRebuildOptions = {},
): Promise<ChunkedRebuildReport> {
  const client = await pool.connect();
  // A rebuild that failed ends its session: PostgreSQL drops its work tables and its lock with it.
  let destroy = true;
  try {
    const locked = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
      rebuildLockKey,
    ]);
    if (!locked.rows[0]?.ok) {
      destroy = false;
      throw new Error("a rebuild is already running on this database");
    }
    const q = rebuildChunks(client);
    await q.setUp();
    const report = await passes(client, q, options);
    await q.tearDown();
    await client.query("SELECT pg_advisory_unlock($1)", [rebuildLockKey]);
    destroy = false;
    return report;
  } finally {
    client.release(destroy);
  }
}

async function passes(
  client: PoolClient,
  q: RebuildChunks,
  options: PostgresRebuildOptions,
): Promise<ChunkedRebuildReport> {
  const chunkSize = Math.max(1, options.chunkSize ?? 5_000);
  const restRatio = options.restRatio ?? 1;
  const lockTimeoutMs = Math.max(1, Math.round(options.lockTimeoutMs ?? 2_000));
  const stats = { writes: 0, longestWriteMs: 0, redone: 0 };
  let nextWriteAt = 0;
  let phase: RebuildPhase = "learners";

  /** One transaction, run again (after a pause) when a deadlock or a lock wait ended it. */
  const write = async <T>(work: () => Promise<T>, holdsCounts = false): Promise<T> => {
    for (let run = 1; ; run++) {
      const rest = nextWriteAt - performance.now();
      if (holdsCounts && rest > 0) await sleep(rest);
      const started = performance.now();
      try {
        await client.query("BEGIN");
        await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
        const result = await work();
        await client.query("COMMIT");
        const took = performance.now() - started;
        stats.writes += 1;
        stats.longestWriteMs = Math.max(stats.longestWriteMs, took);
        if (holdsCounts) nextWriteAt = performance.now() + took * restRatio;
        await turn();
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (run >= MAX_RUNS || !isRetryable(error)) throw error;
        stats.redone += 1;
        await sleep(Math.min(1_000, 10 * 2 ** run));
      }
    }
  };
  const turn = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await options.betweenTransactions?.({ phase });
  };
  const report = (now: RebuildPhase, done: number, total: number) => {
    phase = now;
    options.onProgress?.({ phase, done, total: Math.max(total, done) });
  };

  const entries = await q.ledgerEntries();
  const folds = { day: streakFold("day"), week: streakFold("week") };
  let after = -MAX;
  let done = 0;
  report("learners", 0, entries);
  while (after < MAX) {
    const from = after;
    const upTo = await q.nextMemberBound(from, chunkSize);
    done += await write(() => q.learners(from, upTo, folds));
    after = upTo;
    report("learners", done, entries);
  }
  report("learners", done, done);

  const boards = await q.boards();
  const boardTotal = await q.boardEntries();
  done = 0;
  report("boards", 0, boardTotal);
  for (const { cohortId, board } of boards) {
    let high = MAX;
    while (high > -MAX) {
      const top = high;
      const low = await q.nextPointsBound(cohortId, board, top, chunkSize);
      const strays = await q.strays(cohortId, board, low, top);
      if (strays.length > 0) await write(() => q.dropStrays(cohortId, board, low, top, strays));
      done += await write(() => q.boardCounts(cohortId, board, low, top), true);
      high = low;
      report("boards", done, boardTotal);
    }
  }
  report("boards", done, done);

  phase = "questions";
  const pairs = await q.measureQuestions();
  // Answers recorded from here to each write are what the measured distances must survive.
  await turn();
  done = 0;
  report("questions", 0, pairs);
  let from: QuestionKey = [-MAX, ""];
  for (;;) {
    const start = from;
    const to = await q.nextQuestionBound(start, chunkSize);
    done += await write(() => q.questionStats(start, to));
    if (to[0] === MAX) break;
    report("questions", done, pairs);
    from = to;
  }
  report("questions", done, done);
  return { ...(await q.counts()), ...stats };
}
