import { existsSync } from "node:fs";
import { formatConfigError, loadConfig } from "../config/load.js";
import { openDatabase } from "./client.js";
import { describePostgresUrl, openPostgres } from "./postgres/client.js";
import { rebuildPostgresAggregates } from "./postgres/rebuild.js";
import {
  type ChunkedRebuildReport,
  type RebuildPhase,
  type RebuildProgress,
  rebuildAggregates,
} from "./rebuild.js";

// `npm run db:rebuild`: derives leaderboards, streaks, the heat-map and /stats tallies from the
// ledger again, in the bot's database: the SQLite file, or PostgreSQL when DATABASE_URL is set.
// Safe while the bots run: chunk by chunk in short transactions, so their answers get in between
// and are kept; readers never wait. Progress on stdout. Exit 0 done, 1 failed, 2 nothing to rebuild.

const phases: Record<RebuildPhase, string> = {
  learners: "learners' boards, streaks and active days",
  boards: "board counts",
  questions: "question tallies",
};
const units: Record<RebuildPhase, string> = {
  learners: "ledger entries",
  boards: "board entries",
  questions: "(cohort, question) pairs",
};
const n = (value: number) => value.toLocaleString("en-US");
/** At most one line a second, and the first and last of each phase. */
const EVERY_MS = 1000;
let last = { phase: "", at: 0 };
const ended = new Set<RebuildPhase>();

function onProgress({ phase, done, total }: RebuildProgress): void {
  const now = performance.now();
  if (ended.has(phase)) return;
  if (done >= total) ended.add(phase);
  else if (phase === last.phase && now - last.at < EVERY_MS) return;
  last = { phase, at: now };
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  console.log(`${phases[phase]}: ${percent}% (${n(done)} of ${n(total)} ${units[phase]})`);
}

async function timed(rebuild: () => Promise<ChunkedRebuildReport>): Promise<void> {
  const started = performance.now();
  const report = await rebuild();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Rebuilt from ${n(report.ledgerEntries)} ledger entries in ${seconds} s: ` +
      `${n(report.boardEntries)} board entries, ${n(report.streaks)} streaks, ` +
      `${n(report.activityDays)} active days; ${n(report.writes)} write transactions, the longest ` +
      `${report.longestWriteMs.toFixed(0)} ms.`,
  );
}

async function onSqlite(path: string): Promise<number> {
  if (path !== ":memory:" && !existsSync(path)) {
    console.error(`No database at ${path}: nothing to rebuild (set DATABASE_PATH to the bot's file).`);
    return 2;
  }
  const database = openDatabase(path);
  try {
    await timed(() => rebuildAggregates(database.db, { onProgress }));
    return 0;
  } finally {
    database.close();
  }
}

async function onPostgres(url: string): Promise<number> {
  const where = describePostgresUrl(url);
  const probe = await openPostgres(url, { migrate: false, maxConnections: 1 });
  let present = false;
  try {
    const found = await probe.pool.query<{ present: boolean }>(
      "SELECT to_regclass('points_ledger') IS NOT NULL AS present",
    );
    present = found.rows[0]?.present === true;
  } finally {
    await probe.close();
  }
  if (!present) {
    console.error(
      `No Quorum tables in ${where}: nothing to rebuild (set DATABASE_URL to the bot's database).`,
    );
    return 2;
  }
  // Pending migrations of this version apply first, as when the bot starts.
  const database = await openPostgres(url, { maxConnections: 1 });
  try {
    console.log(`Rebuilding in ${where}`);
    await timed(() => rebuildPostgresAggregates(database.pool, { onProgress }));
    return 0;
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const error of loaded.errors) console.error(formatConfigError(error));
    return 2;
  }
  const { databaseUrl, databasePath } = loaded.config;
  return databaseUrl ? onPostgres(databaseUrl) : onSqlite(databasePath);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only the message's first line: nothing the driver adds, and never the URL's password.
    console.error(`db:rebuild failed: ${String((error as Error).message ?? error).split("\n")[0]}`);
    process.exitCode = 1;
  },
);
