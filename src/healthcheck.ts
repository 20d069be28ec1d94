import { loadConfig } from "./config/load.js";
import { sqliteFileHealthy } from "./db/health.js";

// The container's health check. With the HTTP listener on, the bot's own /readyz decides (database,
// migrations, adapters connected); without it, the database must open intact and migrated.
const loaded = loadConfig(process.env);
if (!loaded.ok) process.exit(1);
const { http, databasePath } = loaded.config;

async function ready(): Promise<boolean> {
  if (http) {
    const host = http.host === "0.0.0.0" || http.host === "::" ? "127.0.0.1" : http.host;
    const res = await fetch(`http://${host}:${http.port}/readyz`, { signal: AbortSignal.timeout(4_000) });
    return res.status === 200;
  }
  return sqliteFileHealthy(databasePath);
}

ready().then(
  (ok) => process.exit(ok ? 0 : 1),
  () => process.exit(1),
);
