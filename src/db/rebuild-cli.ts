import { existsSync } from "node:fs";
import { formatConfigError, loadConfig } from "../config.js";
import { rebuildAggregates } from "./aggregates.js";
import { openDatabase } from "./client.js";

// `npm run db:rebuild`: derives leaderboards, streaks, the heat-map and /stats tallies from the
// ledger again. Safe while the bot runs: it is one transaction, and readers see before or after.

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
const database = openDatabase(path);
try {
  const started = performance.now();
  const report = rebuildAggregates(database.db);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Rebuilt from ${report.ledgerEntries.toLocaleString("en-US")} ledger entries in ${seconds} s: ` +
      `${report.boardEntries.toLocaleString("en-US")} board entries, ${report.streaks.toLocaleString("en-US")} streaks, ` +
      `${report.activityDays.toLocaleString("en-US")} active days.`,
  );
} finally {
  database.close();
}
