/** Reads of the shared database with `pg`: what was stored of the answers, and the aggregates against the ledger. */
import pg from "pg";
import { expect } from "vitest";
import { openPostgres } from "../../../src/db/postgres/client.js";
import { rebuildPostgresAggregates } from "../../../src/db/postgres/rebuild.js";
import { type AggregateSnapshot, aggregateTables } from "../../aggregate-snapshot.js";

/** Runs `work` with one connection to the database, closed after. */
export async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One stored answer, by the learner's external id. */
export interface StoredAnswerRow {
  learner: string;
  question: string;
  correct: boolean;
  scored: boolean;
  eventKey: string | null;
}

/** What the shared database holds of the answers: every row, and the checks that must come out 0. */
export interface AnswerAudit {
  answers: StoredAnswerRow[];
  /** Answers with no ledger entry, or more than one. */
  answersWithoutOneLedgerEntry: number;
  /** Ledger entries that point at no answer (answers are only ever ledgered through one). */
  ledgerWithoutAnswer: number;
  /** Ledger entries whose learner, question or rightness differ from their answer's. */
  ledgerDisagreeing: number;
  /** (learner, question) pairs scored more than once: by `scored` rows, or by ledger entries with points. */
  scoredMoreThanOnce: number;
  /** Points per learner (display name) from the ledger. */
  pointsByLearner: Record<string, number>;
}

export async function auditAnswers(url: string, platform = "slack"): Promise<AnswerAudit> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<StoredAnswerRow>(
      `SELECT m.external_id AS learner, a.question_id AS question, a.correct, a.scored, a.event_key AS "eventKey"
       FROM answers a JOIN members m ON m.id = a.member_id JOIN spaces s ON s.id = m.space_id
       WHERE s.platform = $1 ORDER BY a.id`,
      [platform],
    );
    const count = async (text: string) => Number((await client.query<{ n: string }>(text)).rows[0]?.n ?? 0);
    const points = await client.query<{ name: string; points: string }>(
      `SELECT m.display_name AS name, sum(l.points) AS points FROM points_ledger l
       JOIN members m ON m.id = l.member_id GROUP BY m.display_name`,
    );
    return {
      answers: rows,
      answersWithoutOneLedgerEntry: await count(
        `SELECT count(*) AS n FROM answers a
         WHERE (SELECT count(*) FROM points_ledger l WHERE l.answer_id = a.id) <> 1`,
      ),
      ledgerWithoutAnswer: await count(
        `SELECT count(*) AS n FROM points_ledger l
         WHERE l.answer_id IS NULL OR NOT EXISTS (SELECT 1 FROM answers a WHERE a.id = l.answer_id)`,
      ),
      ledgerDisagreeing: await count(
        `SELECT count(*) AS n FROM points_ledger l JOIN answers a ON a.id = l.answer_id
         WHERE l.question_id IS DISTINCT FROM a.question_id OR l.correct <> a.correct OR l.member_id <> a.member_id`,
      ),
      scoredMoreThanOnce: await count(
        `SELECT count(*) AS n FROM (
           SELECT a.member_id, a.question_id FROM answers a LEFT JOIN points_ledger l ON l.answer_id = a.id
           GROUP BY a.member_id, a.question_id
           HAVING count(*) FILTER (WHERE a.scored) > 1 OR count(*) FILTER (WHERE l.points > 0) > 1
         ) twice`,
      ),
      pointsByLearner: Object.fromEntries(points.rows.map((row) => [row.name, Number(row.points)])),
    };
  });
}

type AggregateRows = AggregateSnapshot;

/** The aggregates as they are stored, each table in its order. */
async function storedAggregates(client: pg.Client): Promise<AggregateRows> {
  const read = async (table: keyof typeof aggregateTables) =>
    (await client.query(`SELECT * FROM ${table} ORDER BY ${aggregateTables[table]}`)).rows;
  return {
    board_entries: await read("board_entries"),
    board_counts: await read("board_counts"),
    board_day_counts: await read("board_day_counts"),
    streaks: await read("streaks"),
    activity_days: await read("activity_days"),
    question_stats: await read("question_stats"),
  };
}

/**
 * Expects the aggregates the bots kept beside the ledger (board entries and their counts, streaks,
 * activity days, question stats) to be exactly what PostgreSQL's db:rebuild derives from the ledger:
 * snapshots before and after a rebuild compared whole. Call it on a quiet database (no answer in flight).
 */
export async function expectAggregatesEqualRebuild(url: string): Promise<AggregateRows> {
  const kept = await withDatabase(url, storedAggregates);
  expect(kept.board_entries.length, "the bots kept no board entries").toBeGreaterThan(0);
  const postgres = await openPostgres(url, { migrate: false });
  try {
    await rebuildPostgresAggregates(postgres.pool);
  } finally {
    await postgres.close();
  }
  expect(await withDatabase(url, storedAggregates)).toEqual(kept);
  return kept;
}
