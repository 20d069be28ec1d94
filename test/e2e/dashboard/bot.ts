/**
 * The real bot for the dashboard's browser suite: a terminal chat with HTTP_PORT=0, on SQLite or on
 * PostgreSQL, its standard input held open to type chat lines while the browser opens its pages.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresDatabase, type TestDatabase } from "../../postgres/database.js";
import { RunningBot, startBot } from "../bot.js";
import { ChatLines } from "../two-process/terminal-pair.js";

export type StoreKind = "sqlite" | "postgres";

/** Every dashboard file runs its suite on both stores: `describe.each(stores)("… on %s", …)`. */
export const stores: readonly StoreKind[] = ["sqlite", "postgres"];

/** Mid-roadmap: a cohort that started on Mon 2026-03-02 is in its week 3 (of 20) then. */
export const CLOCK_START = "2026-03-18T10:00:00Z";
export const COHORT_START = "2026-03-02";

/** A browser test reads several pages with axe on each; two cores shared with other files can slow it well past vitest's 30 s. */
export const TEST_TIMEOUT_MS = 90_000;

/** How long the bot may take to leave after SIGTERM before it is killed by its pid. */
const STOP_GRACE_MS = 10_000;

export interface DashboardBot {
  readonly kind: StoreKind;
  /** The listener's address as `/dashboard` links name it, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** The chat: `say("@ana /dashboard")` resolves with the reply. */
  readonly chat: ChatLines;
  /** Where the terminal writes attachments (`/stats csv`'s file). */
  readonly filesDir: string;
  /** Where the data is: the SQLite file, or the PostgreSQL database's URL. */
  readonly database: { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };
  /** Stops the process by its pid (SIGTERM, then SIGKILL), drops its database and removes its folder. */
  stop(): Promise<void>;
}

function listeningOrigin(log: string): string | undefined {
  for (const line of log.split("\n")) {
    if (!line.includes('"http listening')) continue;
    const entry = JSON.parse(line) as { dashboard?: string };
    if (entry.dashboard) return entry.dashboard;
  }
  return undefined;
}

async function stopByPid(running: RunningBot): Promise<void> {
  const { child } = running.bot;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  child.stdin.end();
  process.kill(pid, "SIGTERM");
  const gone = await Promise.race([
    running.exited.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref()),
  ]);
  if (!gone) {
    process.kill(pid, "SIGKILL");
    await running.exited;
  }
}

/**
 * Starts the bot (terminal chat, HTTP_PORT=0, the clock at CLOCK_START) on the given store and waits
 * for its listener. Call `stop()` in afterAll; it is safe after a failed start too.
 */
export async function startDashboardBot(kind: StoreKind): Promise<DashboardBot> {
  const folder = mkdtempSync(join(tmpdir(), "quorum-dashboard-"));
  const filesDir = join(folder, "files");
  let postgres: TestDatabase | undefined;
  let running: RunningBot | undefined;
  const stop = async () => {
    try {
      if (running) await stopByPid(running);
    } finally {
      await postgres?.drop();
      rmSync(folder, { recursive: true, force: true });
    }
  };
  try {
    const databasePath = join(folder, "quorum.db");
    if (kind === "postgres") postgres = await postgresDatabase();
    running = new RunningBot(
      startBot({
        DATABASE_PATH: databasePath,
        ...(postgres ? { DATABASE_URL: postgres.url } : {}),
        FILES_DIR: filesDir,
        HTTP_PORT: "0",
        LOG_LEVEL: "info",
        QUORUM_CLOCK_START: CLOCK_START,
      }),
    );
    const chat = new ChatLines(running.bot.child);
    const origin = await running.waitForLog(listeningOrigin, "listen for the dashboard");
    return {
      kind,
      origin,
      chat,
      filesDir,
      database: postgres ? { kind: "postgres", url: postgres.url } : { kind: "sqlite", path: databasePath },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The one-time link a `/dashboard` reply prints. */
export function linkIn(reply: string): string {
  const link = /https?:\/\/\S+\/signin\/[\w-]{43}/.exec(reply)?.[0];
  if (!link) throw new Error(`No sign-in link in the reply:\n${reply}`);
  return link;
}

/** `/dashboard` said as `user` (undefined: the terminal's moderator); resolves with the link. */
export async function dashboardLink(bot: DashboardBot, user?: string): Promise<string> {
  return linkIn(await bot.chat.say(user ? `@${user} /dashboard` : "/dashboard"));
}
