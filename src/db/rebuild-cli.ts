import { existsSync } from "node:fs";
import { formatConfigError, loadConfig } from "../config.js";
import { openDatabase } from "./client.js";
import { type RebuildPhase, rebuildAggregates } from "./rebuild.js";

// `npm run db:rebuild`: derives leaderboards, streaks, the heat-map and /stats tallies from the
// ledger again. Safe while the bot runs: chunk by chunk, each derived without a lock and written in
// a short transaction, so the bot's answers get in between; readers never wait. Progress on stdout.

const config = loadConfig(process.env);
if (!config.ok) {
  for (const error of config.errors) console.error(formatConfigError(error));
  process.exit(2);
}
const path = config.config.databasePath;
if (path !== ":memory:" && !existsSync(path)) {
  console.error(`No database at ${path}: nothing to rebuild (set DATABASE_PATH to the bot's file).`);
  process.exit(2);
}

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

const database = openDatabase(path);
try {
  const started = performance.now();
  const report = await rebuildAggregates(database.db, {
    onProgress({ phase, done, total }) {
      const now = performance.now();
      if (ended.has(phase)) return;
      if (done >= total) ended.add(phase);
      else if (phase === last.phase && now - last.at < EVERY_MS) return;
      last = { phase, at: now };
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      console.log(`${phases[phase]}: ${percent}% (${n(done)} of ${n(total)} ${units[phase]})`);
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Rebuilt from ${n(report.ledgerEntries)} ledger entries in ${seconds} s: ` +
      `${n(report.boardEntries)} board entries, ${n(report.streaks)} streaks, ` +
      `${n(report.activityDays)} active days; ${n(report.writes)} write transactions, the longest ` +
      `${report.longestWriteMs.toFixed(0)} ms.`,
  );
} finally {
  database.close();
}
