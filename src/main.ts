import { dirname, join } from "node:path";
import { pino } from "pino";
import { runTerminalChat } from "./adapters/terminal/chat.js";
import { formatConfigError, loadConfig } from "./config.js";
import { systemClock } from "./core/clock.js";
import { commands } from "./core/commands/index.js";
import type { Core } from "./core/dispatch.js";
import { formatCurriculumError, loadCurriculum } from "./curriculum/load.js";
import { openDatabase } from "./db/client.js";
import { createStore } from "./db/store.js";

/** Exit code for a configuration the program cannot start with. */
const EXIT_CONFIG = 2;

function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(EXIT_CONFIG);
}

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) fail(loaded.errors.map(formatConfigError));
  const config = loaded.config;

  const terminalOnly = config.adapters.length === 1 && config.adapters[0] === "terminal";
  // The terminal chat prints replies on stdout; logs go to stderr and stay quiet unless asked for.
  const logger = pino(
    { level: config.logLevel ?? (terminalOnly ? "warn" : "info"), base: null },
    pino.destination({ fd: 2, sync: true }),
  );

  // The curriculum is checked before the database is touched, so a broken file writes nothing.
  const curriculum = loadCurriculum(config.curriculumDir);
  if (!curriculum.ok) {
    fail([
      ...curriculum.errors.map((e) => `Curriculum error: ${formatCurriculumError(e)}`),
      `CURRICULUM_DIR ${config.curriculumDir} has ${curriculum.errors.length} error(s); npm run curriculum:check lists them.`,
    ]);
  }

  const unbuilt = config.adapters.filter((adapter) => adapter !== "terminal");
  if (unbuilt.length > 0) {
    fail([
      `Configuration error: credentials for ${unbuilt.join(" and ")} are set, but this build of Quorum only has the terminal chat; unset them to use it.`,
    ]);
  }

  let database: ReturnType<typeof openDatabase>;
  try {
    database = openDatabase(config.databasePath);
  } catch (error) {
    fail([
      `Configuration error: DATABASE_PATH ${config.databasePath} cannot be opened: ${(error as Error).message}.`,
    ]);
  }
  logger.info({ databasePath: config.databasePath }, "database ready");

  const core: Core = {
    curriculum: curriculum.curriculum,
    store: createStore(database.db),
    clock: systemClock,
    logger,
    settings: { defaultTimezone: config.defaultTimezone },
    commands,
  };

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    database.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const color = interactive && !process.env.NO_COLOR;
  await runTerminalChat({
    core,
    input: process.stdin,
    output: process.stdout,
    interactive,
    color,
    ...(config.databasePath === ":memory:"
      ? {}
      : { historyPath: join(dirname(config.databasePath), ".quorum_history") }),
  });
  database.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`Quorum stopped: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
