import { dirname, join } from "node:path";
import { pino } from "pino";
import { createDiscordAdapter, type DiscordAdapter } from "./adapters/discord/index.js";
import { createSlackAdapter, type SlackAdapter } from "./adapters/slack/index.js";
import { runTerminalChat } from "./adapters/terminal/chat.js";
import { TerminalConsole } from "./adapters/terminal/console.js";
import { terminalOutbox } from "./adapters/terminal/outbox.js";
import { formatConfigError, loadConfig } from "./config.js";
import { systemClock } from "./core/clock.js";
import { commands } from "./core/commands/index.js";
import type { Core } from "./core/dispatch.js";
import type { ChatOutbox, Platform } from "./core/ports.js";
import { defaultLimits } from "./core/sandbox.js";
import { Grader } from "./core/services/grader.js";
import { OutboundQueue } from "./core/services/outbound.js";
import { Scheduler } from "./core/services/scheduler.js";
import { formatCurriculumError, loadCurriculum } from "./curriculum/load.js";
import { openDatabase } from "./db/client.js";
import { createStore } from "./db/store.js";
import { createPictureRenderer } from "./pictures/resvg.js";
import { shiftedClock } from "./runtime/clock.js";
import { startTimer } from "./runtime/timer.js";
import { closeSandboxes, createSandboxes } from "./sandbox/index.js";

/** Exit code for a configuration the program cannot start with. */
const EXIT_CONFIG = 2;

/** Scheduled posts per second: under Discord's global 50/s, Slack's bursts, and anything for a terminal. */
const DEFAULT_POST_RATES: Record<Platform, number> = { discord: 40, slack: 20, terminal: 1000 };

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

  let database: ReturnType<typeof openDatabase>;
  try {
    database = openDatabase(config.databasePath);
  } catch (error) {
    fail([
      `Configuration error: DATABASE_PATH ${config.databasePath} cannot be opened: ${(error as Error).message}.`,
    ]);
  }
  logger.info({ databasePath: config.databasePath }, "database ready");

  const clock = config.clockStart ? shiftedClock(config.clockStart) : systemClock;
  const store = createStore(database.db);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const terminal = new TerminalConsole(process.stdout, interactive && !process.env.NO_COLOR);
  const rate = config.postRatePerSecond;
  const queue = new OutboundQueue({
    ratePerSecond: rate === undefined ? DEFAULT_POST_RATES : { discord: rate, slack: rate, terminal: rate },
    defaultRatePerSecond: rate ?? 20,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onError: (error) => logger.error({ err: error }, "outbound send failed"),
  });
  const pictures = createPictureRenderer();
  const discord: DiscordAdapter | undefined = config.discord
    ? createDiscordAdapter({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        moderatorRole: config.discord.moderatorRole,
        deferAfterMs: config.discord.deferAfterMs,
        logger,
      })
    : undefined;
  const outboxes: Partial<Record<Platform, ChatOutbox>> = terminalOnly
    ? { terminal: terminalOutbox(terminal, config.filesDir) }
    : {};
  if (discord) outboxes.discord = discord.outbox;
  const slack: SlackAdapter | undefined = config.slack
    ? createSlackAdapter({ ...config.slack, logger })
    : undefined;
  if (slack) outboxes.slack = slack.outbox;
  const scheduler = new Scheduler({
    store,
    pictures,
    curriculum: curriculum.curriculum,
    clock,
    logger,
    queue,
    outboxes,
    catchUpMs: config.catchUpMs,
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    ...(config.failpoint === "after-claim"
      ? {
          afterClaim: (posts) => {
            if (posts.length > 0) process.kill(process.pid, "SIGKILL");
          },
        }
      : {}),
  });

  const sandboxes = createSandboxes();
  const grader = new Grader({
    sandboxes,
    datasets: curriculum.curriculum.bank.datasets,
    limits: defaultLimits,
    logger,
  });

  const core: Core = {
    curriculum: curriculum.curriculum,
    store,
    clock,
    logger,
    settings: { defaultTimezone: config.defaultTimezone },
    scheduler,
    grader,
    pictures,
    commands,
  };

  let timer: ReturnType<typeof startTimer> | undefined;
  const closeAll = async () => {
    timer?.stop();
    await discord?.stop();
    await slack?.stop();
    await closeSandboxes(sandboxes);
    database.close();
  };

  if (!terminalOnly) {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      void closeAll().finally(() => process.exit(0));
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    try {
      await discord?.start(core);
    } catch (error) {
      logger.error({ err: error }, "discord login failed");
      await closeAll();
      fail([`Discord: could not connect: ${(error as Error).message}. Check DISCORD_TOKEN.`]);
    }
    try {
      await slack?.start(core);
    } catch (error) {
      logger.error({ err: error }, "slack start failed");
      await closeAll();
      fail([
        `Slack: could not start: ${(error as Error).message}. Check SLACK_BOT_TOKEN, and SLACK_PORT in HTTP mode.`,
      ]);
    }
    // Posts wait for the platform: before login its channels are unknown, and a catch-up post would fail.
    timer = startTimer(scheduler, clock, logger);
    await scheduler.tick();
    return;
  }

  process.once("SIGTERM", () => {
    logger.info({ signal: "SIGTERM" }, "shutting down");
    void closeAll().finally(() => process.exit(0));
  });

  timer = startTimer(scheduler, clock, logger);
  // What is due at start-up (catch-up after downtime, claimed but unsent posts) goes out before input is read.
  const settle = async () => {
    await scheduler.tick();
    await queue.drain();
  };
  await settle();
  await runTerminalChat({
    core,
    input: process.stdin,
    terminal,
    interactive,
    settle,
    filesDir: config.filesDir,
    ...(config.databasePath === ":memory:"
      ? {}
      : { historyPath: join(dirname(config.databasePath), ".quorum_history") }),
  });
  await settle();
  await closeAll();
}

main().catch((error: unknown) => {
  process.stderr.write(`Quorum stopped: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
