import { dirname, join } from "node:path";
import type { DiscordAdapter } from "./adapters/discord/adapter.js";
import type { SlackAdapter } from "./adapters/slack/adapter.js";
import { runTerminalChat } from "./adapters/terminal/chat.js";
import { TerminalConsole } from "./adapters/terminal/console.js";
import { terminalOutbox } from "./adapters/terminal/outbox.js";
import type { dashboardListener } from "./adapters/web/listener.js";
import { formatConfigError, loadConfig } from "./config/load.js";
import { commands } from "./core/commands/registry.js";
import type { Core } from "./core/dispatch.js";
import { Grader } from "./core/grading/grader.js";
import type { ChannelDirectory } from "./core/ports/channels.js";
import { systemClock } from "./core/ports/clock.js";
import type { Platform } from "./core/ports/identity.js";
import type { ChatOutbox } from "./core/ports/outbox.js";
import { defaultLimits } from "./core/sandbox.js";
import { OutboundQueue } from "./core/schedules/outbound.js";
import { Scheduler } from "./core/schedules/scheduler.js";
import { WorkGate } from "./core/work-gate.js";
import { loadCurriculumCached } from "./curriculum/cache.js";
import { formatCurriculumError } from "./curriculum/load.js";
import { describePostgresUrl } from "./db/postgres/client.js";
import { createPictureRenderer } from "./pictures/resvg.js";
import { startDailyBackups } from "./runtime/backups.js";
import { shiftedClock } from "./runtime/clock.js";
import { openStoreDatabase, type StoreDatabase } from "./runtime/database.js";
import { type OpsServer, startOpsServer } from "./runtime/http.js";
import { answer } from "./runtime/http-guard.js";
import { createLogger, wantsPrettyLogs } from "./runtime/logger.js";
import { secretScrubber } from "./runtime/logger-text.js";
import { createPrometheusMetrics } from "./runtime/metrics.js";
import { readiness } from "./runtime/readiness.js";
import { SHUTDOWN_DEADLINE_MS, shutDown } from "./runtime/shutdown.js";
import { startTimer } from "./runtime/timer.js";
import { closeSandboxes, createSandboxes } from "./sandbox/sandboxes.js";

/** Exit code for a configuration the program cannot start with. */
const EXIT_CONFIG = 2;

/** Scheduled posts per second: under Discord's global 50/s, Slack's bursts, and anything for a terminal. */
const DEFAULT_POST_RATES: Record<Platform, number> = { discord: 40, slack: 20, terminal: 1000 };

function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(EXIT_CONFIG);
}

/** Known once the configuration is read, so even a crash report cannot print them. */
let secrets: string[] = [];
/** The bot's log once it exists, for failures that happen outside any handler. */
let log: ReturnType<typeof createLogger> | undefined;

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) fail(loaded.errors.map(formatConfigError));
  const config = loaded.config;

  const terminalOnly = config.adapters.length === 1 && config.adapters[0] === "terminal";
  // The terminal chat prints replies on stdout; logs go to stderr and stay quiet unless asked for.
  secrets = [
    config.discord?.token,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    // A driver error may quote the URL it was given; its password must not reach the log.
    config.databaseUrl && decodeURIComponent(new URL(config.databaseUrl).password),
  ].filter((secret): secret is string => Boolean(secret));
  const logger = createLogger({
    level: config.logLevel ?? (terminalOnly ? "warn" : "info"),
    pretty: wantsPrettyLogs(process.env, Boolean(process.stderr.isTTY)),
    secrets,
  });
  log = logger;

  // The curriculum is checked before the database is touched, so a broken file writes nothing.
  // Checked once per change of the files: later starts read the checked result beside the database.
  const curriculum = loadCurriculumCached(
    config.curriculumDir,
    config.databasePath === ":memory:" ? undefined : join(dirname(config.databasePath), ".cache"),
  );
  if (!curriculum.ok) {
    fail([
      ...curriculum.errors.map((e) => `Curriculum error: ${formatCurriculumError(e)}`),
      `CURRICULUM_DIR ${config.curriculumDir} has ${curriculum.errors.length} error(s); npm run curriculum:check lists them.`,
    ]);
  }

  let database: StoreDatabase;
  try {
    database = await openStoreDatabase(config);
  } catch (error) {
    const variable = config.databaseUrl
      ? `DATABASE_URL ${describePostgresUrl(config.databaseUrl)}`
      : `DATABASE_PATH ${config.databasePath}`;
    fail([`Configuration error: ${variable} cannot be opened: ${(error as Error).message}.`]);
  }
  logger.info({ database: database.kind, where: database.where }, "database ready");

  const clock = config.clockStart ? shiftedClock(config.clockStart) : systemClock;
  const { store } = database;
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
  const gate = new WorkGate();
  const prometheus = createPrometheusMetrics({
    queueDepth: () => queue.size,
    databaseBytes: () => database.bytes(),
  });
  const { metrics } = prometheus;
  const pictures = createPictureRenderer();
  // discord.js and Bolt are loaded only when configured: each costs most of a second and tens of MB.
  const discord: DiscordAdapter | undefined = config.discord
    ? (await import("./adapters/discord/adapter.js")).createDiscordAdapter({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        moderatorRole: config.discord.moderatorRole,
        deferAfterMs: config.discord.deferAfterMs,
        shards: config.discord.shards,
        logger,
      })
    : undefined;
  const outboxes: Partial<Record<Platform, ChatOutbox>> = terminalOnly
    ? { terminal: terminalOutbox(terminal, config.filesDir) }
    : {};
  if (discord) outboxes.discord = discord.outbox;
  const slack: SlackAdapter | undefined = config.slack
    ? (await import("./adapters/slack/adapter.js")).createSlackAdapter({ ...config.slack, logger })
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
    metrics,
    sending: { owner: database.owner, leaseMs: config.senderLeaseMs },
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    ...(config.failpoint === "after-claim"
      ? {
          afterClaim: (posts) => {
            if (posts.length > 0) process.kill(process.pid, "SIGKILL");
          },
        }
      : {}),
  });

  const { queueCapacity, idleMs, postgres, ...sandboxLimits } = config.sandbox;
  const sandboxes = createSandboxes({
    onQueueWait: prometheus.sandboxQueueWait,
    queueCapacity,
    postgres,
    ...(idleMs > 0 ? { idleMs } : {}),
  });
  const grader = new Grader({
    sandboxes,
    datasets: curriculum.curriculum.bank.datasets,
    limits: { ...defaultLimits, ...sandboxLimits },
    logger,
    metrics,
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
    metrics,
    gate,
  };

  let timer: ReturnType<typeof startTimer> | undefined;
  let ops: OpsServer | undefined;
  let stopping = false;
  const input = new AbortController();
  if (config.backup.dailyAt && !database.sqlite) {
    logger.warn({}, "BACKUP_DAILY_AT is ignored on PostgreSQL: back it up with pg_dump or base backups");
  }
  const backups =
    config.backup.dailyAt && database.sqlite && config.databasePath !== ":memory:"
      ? startDailyBackups({
          source: database.sqlite,
          dir: config.backup.dir,
          dailyAt: config.backup.dailyAt,
          keep: config.backup.keep,
          now: () => clock.now(),
          logger,
        })
      : undefined;
  const release = async () => {
    // Sends in flight have finished: another process may take this one's rights and posts at once.
    await scheduler
      .release()
      .catch((error: unknown) => logger.warn({ err: error }, "sending rights not released"));
    await backups?.stop();
    await slack?.stop();
    await discord?.stop();
    await closeSandboxes(sandboxes);
    await pictures.close();
    await ops?.close();
    await database.close();
  };
  const stop = async (signal: string): Promise<never> => {
    stopping = true;
    logger.info({ signal }, "signal received");
    // If anything hangs past the deadline, leave anyway: the orchestrator would SIGKILL next.
    setTimeout(() => {
      logger.error({}, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    const report = await shutDown({
      stopIntake: async () => {
        timer?.stop();
        input.abort();
        slack?.stopAccepting();
      },
      gate,
      closeQueue: () => queue.close(),
      release,
      logger,
    });
    process.exit(report.finished ? 0 : 1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    void stop(signal).catch((error: unknown) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    });
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);

  if (config.http) {
    const adapters: Record<string, () => boolean> = {};
    if (discord) adapters.discord = () => discord.connected();
    if (slack) adapters.slack = () => slack.connected();
    // The dashboard needs its own address for links; with HTTP_PORT=0 that is known only once listening.
    let pages: ReturnType<typeof dashboardListener> | undefined;
    const { publicUrl, ...listen } = config.http;
    try {
      ops = await startOpsServer(
        {
          readiness: readiness({ database: database.probe, adapters, stopping: () => stopping }),
          metrics: prometheus.render,
          metricsContentType: prometheus.contentType,
        },
        {
          ...listen,
          logger,
          pages: (req, res) =>
            pages ? pages(req, res) : answer(res, 503, "starting; try again in a moment"),
        },
      );
    } catch (error) {
      await release();
      fail([`HTTP_PORT ${config.http.port}: could not listen: ${(error as Error).message}.`]);
    }
    // Hono and the pages load only with the listener: a bot without HTTP_PORT starts without them.
    const web = await import("./adapters/web/listener.js");
    const url = web.dashboardUrl(publicUrl, config.http.host, ops.port);
    core.settings.dashboardUrl = url;
    const directories: Partial<Record<Platform, ChannelDirectory>> = {
      ...(discord ? { discord: discord.channels } : {}),
      ...(slack ? { slack: slack.channels } : {}),
    };
    pages = web.dashboardListener(core, {
      publicUrl: url,
      channels: {
        // A chat platform's channel is checked by that platform; the terminal has no channel ids to check.
        check: (target) =>
          directories[target.platform]?.check(target) ??
          Promise.resolve({ ok: true, channelExternalId: target.channelExternalId }),
      },
    });
    if (!publicUrl && config.http.host !== "127.0.0.1" && config.http.host !== "localhost") {
      logger.warn({ url }, "PUBLIC_URL is not set: /dashboard links point at this machine's own address");
    }
    logger.info(
      { host: config.http.host, dashboard: url, port: ops.port },
      "http listening (/healthz, /readyz, /metrics, and the dashboard)",
    );
  }

  if (!terminalOnly) {
    try {
      await discord?.start(core);
    } catch (error) {
      logger.error({ err: error }, "discord login failed");
      await release();
      fail([`Discord: could not connect: ${(error as Error).message}. Check DISCORD_TOKEN.`]);
    }
    try {
      await slack?.start(core);
    } catch (error) {
      logger.error({ err: error }, "slack start failed");
      await release();
      fail([
        `Slack: could not start: ${(error as Error).message}. Check SLACK_BOT_TOKEN, and SLACK_PORT in HTTP mode.`,
      ]);
    }
    // Posts wait for the platform: before login its channels are unknown, and a catch-up post would fail.
    timer = startTimer(scheduler, clock, logger, scheduler.renewEveryMs);
    await scheduler.tick();
    return;
  }

  timer = startTimer(scheduler, clock, logger, scheduler.renewEveryMs);
  // What is due at start-up (catch-up after downtime, claimed but unsent posts) goes out before input is read.
  const settle = async () => {
    if (stopping) return;
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
    signal: input.signal,
    ...(config.databasePath === ":memory:"
      ? {}
      : { historyPath: join(dirname(config.databasePath), ".quorum_history") }),
  });
  // A signal ended the input: its own shutdown closes everything and exits.
  if (stopping) return;
  await settle();
  timer.stop();
  await queue.close();
  await release();
}

/** The last words of a process that cannot go on, with secrets and token-shaped URLs scrubbed. */
function crashReport(error: unknown): void {
  const report = `Quorum stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`${secretScrubber(secrets)(report)}\n`);
}

// Node's own printer would write the error (and a request's headers with it) past the scrubber.
process.on("uncaughtException", (error) => {
  crashReport(error);
  process.exit(1);
});
// A promise nobody awaited failed: what it was doing is over, the rest of the bot is not.
process.on("unhandledRejection", (reason) => {
  if (!log) {
    crashReport(reason);
    process.exit(1);
  }
  log.error({ err: reason }, "unhandled rejection");
});

main().catch((error: unknown) => {
  crashReport(error);
  process.exit(1);
});
