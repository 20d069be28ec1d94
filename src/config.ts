import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { canonicalTimeZone } from "./core/rules/time.js";
import { defaultCurriculumDir } from "./paths.js";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// An empty variable counts as unset, as in most .env tooling.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const token = (what: string) => z.string().trim().min(10, `must be ${what}`);

const isPostgresUrl = (text: string) => {
  try {
    const url = new URL(text);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
};

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const Env = z.object({
  DATABASE_PATH: z
    .string()
    .trim()
    .min(1, "must be a file path, e.g. ./data/quorum.db")
    .default("./data/quorum.db")
    .refine((path) => !path.includes("\0"), { error: "must not contain a NUL character", abort: true })
    .refine((path) => path === ":memory:" || !/[/\\]$/.test(path), {
      error: "must name a file, not a folder (e.g. ./data/quorum.db)",
      abort: true,
    })
    .refine(
      (path) => path === ":memory:" || !isDirectory(path),
      "is a folder; name a file inside it, e.g. ./data/quorum.db",
    ),
  DATABASE_URL: optional(
    z.string().trim().refine(isPostgresUrl, {
      error: "must be a PostgreSQL URL, e.g. postgres://quorum:secret@db.internal:5432/quorum",
    }),
  ),
  FILES_DIR: z
    .string()
    .trim()
    .min(1, "must be a folder path, e.g. ./data/files")
    .optional()
    .describe("where the terminal chat writes pictures and exports (default: files/ beside the database)"),
  CURRICULUM_DIR: z
    .string()
    .trim()
    .default(defaultCurriculumDir)
    .refine(isDirectory, "must be a folder holding roadmap.yaml, tracks.yaml, projects.yaml and weeks/"),
  LOG_LEVEL: optional(z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` })),
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .default("UTC")
    .refine(
      (zone) => canonicalTimeZone(zone) !== undefined,
      "must be an IANA time zone, e.g. Europe/Berlin or UTC",
    ),
  CATCH_UP_HOURS: z.coerce
    .number({ error: "must be a number of hours, e.g. 24" })
    .min(0, "must be 0 or more hours")
    .max(24 * 14, "must be at most 336 hours (two weeks)")
    .default(24),
  SENDER_LEASE_SECONDS: z.coerce
    .number({ error: "must be a number of seconds, e.g. 30" })
    .int("must be a whole number of seconds")
    .min(3, "must be at least 3 seconds")
    .max(600, "must be at most 600 seconds")
    .default(30),
  POST_RATE_PER_SECOND: optional(
    z.coerce
      .number({ error: "must be a number, e.g. 20" })
      .positive("must be more than 0")
      .max(1000, "must be at most 1000"),
  ),
  QUORUM_CLOCK_START: optional(
    z.iso.datetime({ offset: true, error: "must be an ISO instant, e.g. 2026-03-02T08:59:00Z" }),
  ),
  QUORUM_FAILPOINT: optional(z.enum(["after-claim"], { error: "must be after-claim (tests only)" })),
  DISCORD_TOKEN: optional(token("a Discord bot token")),
  DISCORD_APPLICATION_ID: optional(
    z.string().regex(/^\d{17,20}$/, "must be a Discord application id (17–20 digits)"),
  ),
  DISCORD_API_URL: optional(z.url({ error: "must be a URL, e.g. https://discord.com/api" })),
  DISCORD_MODERATOR_ROLE: z
    .string()
    .trim()
    .min(1, "must be a role id or name, e.g. 123456789012345678 or Quorum Moderator")
    .max(100, "must be at most 100 characters (Discord's limit for role names)")
    .default("Quorum Moderator"),
  DISCORD_DEFER_AFTER_MS: z.coerce
    .number({ error: "must be a number of milliseconds, e.g. 1000" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be 0 or more")
    .max(2500, "must be at most 2500 (Discord allows 3 seconds to answer)")
    .default(1000),
  DISCORD_SHARDS: optional(
    z
      .string()
      .trim()
      .regex(/^\d+(\s*,\s*\d+)*$/, "must be shard ids separated by commas, e.g. 0,1")
      .transform((list) => list.split(",").map(Number)),
  ),
  DISCORD_SHARD_COUNT: optional(
    z.coerce
      .number({ error: "must be the number of shards across all processes, e.g. 2" })
      .int("must be a whole number of shards")
      .min(1, "must be at least 1"),
  ),
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, "must be a Slack bot token starting with xoxb-")),
  SLACK_SIGNING_SECRET: optional(token("the Slack app's signing secret")),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-/, "must be a Slack app-level token starting with xapp-"),
  ),
  SLACK_API_URL: optional(z.url({ error: "must be a URL, e.g. https://slack.com/api/" })),
  SLACK_PORT: z.coerce
    .number({ error: "must be a port number, e.g. 3000" })
    .int("must be a whole port number")
    .min(0, "must be from 0 to 65535")
    .max(65_535, "must be from 0 to 65535")
    .default(3000),
  HTTP_PORT: optional(
    z.coerce
      .number({ error: "must be a port number, e.g. 8080" })
      .int("must be a whole port number")
      .min(0, "must be from 0 to 65535")
      .max(65_535, "must be from 0 to 65535"),
  ),
  HTTP_HOST: z
    .string()
    .trim()
    .min(1, "must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0")
    .default("127.0.0.1"),
  BACKUP_DIR: z.string().trim().min(1, "must be a folder path, e.g. ./data/backups").optional(),
  BACKUP_DAILY_AT: optional(
    z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a UTC time of day as HH:MM, e.g. 03:00"),
  ),
  BACKUP_KEEP: z.coerce
    .number({ error: "must be a number of backups, e.g. 7" })
    .int("must be a whole number of backups")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .default(7),
  SANDBOX_TIME_MS: z.coerce
    .number({ error: "must be milliseconds, e.g. 2000" })
    .int("must be a whole number of milliseconds")
    .min(100, "must be at least 100")
    .max(60_000, "must be at most 60000")
    .default(2_000),
  SANDBOX_MEMORY_MB: z.coerce
    .number({ error: "must be MiB, e.g. 256" })
    .int("must be a whole number of MiB")
    .min(32, "must be at least 32")
    .max(4_096, "must be at most 4096")
    .default(256),
  SANDBOX_MAX_ROWS: z.coerce
    .number({ error: "must be a number of rows, e.g. 1000" })
    .int("must be a whole number of rows")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .default(1_000),
  SANDBOX_QUEUE: z.coerce
    .number({ error: "must be a number of attempts, e.g. 64" })
    .int("must be a whole number of attempts")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000")
    .default(64),
  SANDBOX_IDLE_MS: z.coerce
    .number({ error: "must be milliseconds, e.g. 600000 (0: never)" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be 0 (never) or more")
    .max(86_400_000, "must be at most 86400000 (a day)")
    .default(600_000),
  SANDBOX_POSTGRES_SPARE: optional(
    z.enum(["off", "on", "auto"], {
      error: "must be off, on or auto (a spare only while the machine has memory available for it)",
    }),
  ),
  SANDBOX_POSTGRES_OPTIMIZE: optional(z.enum(["off", "on"], { error: "must be off or on" })),
  SLACK_MODERATORS: z
    .string()
    .trim()
    .default("")
    .refine((list) => list === "" || /^[UW][A-Z0-9]{2,}(\s*,\s*[UW][A-Z0-9]{2,})*$/.test(list), {
      error: "must be Slack user ids separated by commas, e.g. U012ABCDEF,U034GHIJKL",
    }),
});

export type AdapterName = "terminal" | "discord" | "slack";

export interface Config {
  databasePath: string;
  /** PostgreSQL as the shared store of several processes; unset means SQLite at `databasePath`. */
  databaseUrl: string | undefined;
  /** Where the terminal chat writes pictures and exports. */
  filesDir: string;
  curriculumDir: string;
  /** Unset means the adapter's default: quiet in the terminal chat, info elsewhere. */
  logLevel: (typeof logLevels)[number] | undefined;
  defaultTimezone: string;
  /** Posts missed by less than this while the bot was down are still sent. */
  catchUpMs: number;
  /** Scheduled posts per second per platform; unset means each platform's own default. */
  postRatePerSecond: number | undefined;
  /** How long a process's right to send a platform's posts, and its lease on a post, last unrenewed. */
  senderLeaseMs: number;
  /** Start the clock at this instant (tests and demos); it then runs at real speed. */
  clockStart: Date | undefined;
  /** Health, readiness and metrics over HTTP; off when unset. */
  http: { port: number; host: string } | undefined;
  backup: {
    /** Where `npm run db:backup` (no path given) and the daily backup write. */
    dir: string;
    /** UTC time of day (HH:MM) for the daily backup; unset means no daily backup. */
    dailyAt: string | undefined;
    /** Daily backups kept; older ones are deleted after each new one. */
    keep: number;
  };
  /** What one graded attempt may take, and how many may wait per engine. */
  /** `idleMs`: an engine with no attempt for this long stops its processes (0: never). */
  sandbox: {
    timeMs: number;
    memoryMb: number;
    maxRows: number;
    queueCapacity: number;
    idleMs: number;
    /**
     * Memory traded for PostgreSQL latency (both off by default): a started spare engine (`"auto"`:
     * only while the machine has room), and PGlite's code optimized by V8 (about 100 MB more per engine).
     */
    postgres: { spare: boolean | "auto"; optimize: boolean };
  };
  /** Tests only: stop the process at a named point, to prove recovery. */
  failpoint: "after-claim" | undefined;
  discord?: {
    token: string;
    applicationId: string;
    apiUrl: string | undefined;
    /** A role id, or a name looked up once per server; its members may run moderator commands too. */
    moderatorRole: string;
    /** Replies still being worked on after this long are deferred, then edited in. */
    deferAfterMs: number;
    /** The gateway shards this process runs, of `count` across all processes; unset: one shard, 0 of 1. */
    shards: { ids: number[]; count: number } | undefined;
  };
  slack?: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    /** HTTP mode listens here for /slack/events. */
    port: number;
    /** Members (user ids) who may run moderator commands, besides workspace admins and owners. */
    moderators: string[];
  };
  /** Which adapters start: those whose credentials are complete; the terminal when none are. */
  adapters: AdapterName[];
}

export interface ConfigError {
  variable: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

/** Reads the environment once; every problem names its variable and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "environment"),
      message: issue.message,
    }));
    return { ok: false, errors };
  }
  const e = parsed.data;
  const errors: ConfigError[] = [];
  const requires = (set: string, needed: string, value: unknown) => {
    if (value === undefined) errors.push({ variable: needed, message: `must be set when ${set} is set` });
  };

  if (e.DISCORD_TOKEN !== undefined)
    requires("DISCORD_TOKEN", "DISCORD_APPLICATION_ID", e.DISCORD_APPLICATION_ID);
  if (e.DISCORD_APPLICATION_ID !== undefined)
    requires("DISCORD_APPLICATION_ID", "DISCORD_TOKEN", e.DISCORD_TOKEN);
  errors.push(...shardErrors(e.DISCORD_SHARDS, e.DISCORD_SHARD_COUNT));
  if (
    e.SLACK_BOT_TOKEN !== undefined &&
    e.SLACK_SIGNING_SECRET === undefined &&
    e.SLACK_APP_TOKEN === undefined
  ) {
    errors.push({
      variable: "SLACK_SIGNING_SECRET",
      message: "must be set when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)",
    });
  }
  if (e.SLACK_BOT_TOKEN === undefined && (e.SLACK_SIGNING_SECRET ?? e.SLACK_APP_TOKEN) !== undefined) {
    errors.push({ variable: "SLACK_BOT_TOKEN", message: "must be set when other SLACK_ variables are set" });
  }
  if (errors.length > 0) return { ok: false, errors };

  const config: Config = {
    databasePath: e.DATABASE_PATH === ":memory:" ? e.DATABASE_PATH : resolve(e.DATABASE_PATH),
    databaseUrl: e.DATABASE_URL,
    curriculumDir: resolve(e.CURRICULUM_DIR),
    filesDir: resolve(
      e.FILES_DIR ??
        (e.DATABASE_PATH === ":memory:"
          ? join(tmpdir(), "quorum-files")
          : join(dirname(e.DATABASE_PATH), "files")),
    ),
    logLevel: e.LOG_LEVEL,
    defaultTimezone: canonicalTimeZone(e.DEFAULT_TIMEZONE) ?? "UTC",
    catchUpMs: e.CATCH_UP_HOURS * 3_600_000,
    postRatePerSecond: e.POST_RATE_PER_SECOND,
    senderLeaseMs: e.SENDER_LEASE_SECONDS * 1000,
    clockStart: e.QUORUM_CLOCK_START === undefined ? undefined : new Date(e.QUORUM_CLOCK_START),
    failpoint: e.QUORUM_FAILPOINT,
    http: e.HTTP_PORT === undefined ? undefined : { port: e.HTTP_PORT, host: e.HTTP_HOST },
    backup: {
      dir: resolve(
        e.BACKUP_DIR ??
          (e.DATABASE_PATH === ":memory:"
            ? join(tmpdir(), "quorum-backups")
            : join(dirname(e.DATABASE_PATH), "backups")),
      ),
      dailyAt: e.BACKUP_DAILY_AT,
      keep: e.BACKUP_KEEP,
    },
    sandbox: {
      timeMs: e.SANDBOX_TIME_MS,
      memoryMb: e.SANDBOX_MEMORY_MB,
      maxRows: e.SANDBOX_MAX_ROWS,
      queueCapacity: e.SANDBOX_QUEUE,
      idleMs: e.SANDBOX_IDLE_MS,
      postgres: {
        spare: e.SANDBOX_POSTGRES_SPARE === "auto" ? "auto" : e.SANDBOX_POSTGRES_SPARE === "on",
        optimize: e.SANDBOX_POSTGRES_OPTIMIZE === "on",
      },
    },
    adapters: [],
  };
  if (e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID) {
    config.discord = {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      apiUrl: e.DISCORD_API_URL,
      moderatorRole: e.DISCORD_MODERATOR_ROLE,
      deferAfterMs: e.DISCORD_DEFER_AFTER_MS,
      shards:
        e.DISCORD_SHARDS && e.DISCORD_SHARD_COUNT
          ? { ids: e.DISCORD_SHARDS, count: e.DISCORD_SHARD_COUNT }
          : undefined,
    };
    config.adapters.push("discord");
  }
  if (e.SLACK_BOT_TOKEN) {
    config.slack = {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      port: e.SLACK_PORT,
      moderators: e.SLACK_MODERATORS === "" ? [] : e.SLACK_MODERATORS.split(",").map((id) => id.trim()),
    };
    config.adapters.push("slack");
  }
  if (config.adapters.length === 0) config.adapters.push("terminal");
  return { ok: true, config };
}

/** Both or neither, each id below the count and named once: discord.js would drop the rest silently. */
function shardErrors(ids: number[] | undefined, count: number | undefined): ConfigError[] {
  if (ids === undefined && count === undefined) return [];
  if (ids === undefined) {
    return [{ variable: "DISCORD_SHARDS", message: "must be set when DISCORD_SHARD_COUNT is set, e.g. 0,1" }];
  }
  if (count === undefined) {
    return [{ variable: "DISCORD_SHARD_COUNT", message: "must be set when DISCORD_SHARDS is set, e.g. 2" }];
  }
  const tooHigh = ids.find((id) => id >= count);
  if (tooHigh !== undefined) {
    const message = `must be ids from 0 to ${count - 1} (below DISCORD_SHARD_COUNT, ${count}); ${tooHigh} is not`;
    return [{ variable: "DISCORD_SHARDS", message }];
  }
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) {
    return [{ variable: "DISCORD_SHARDS", message: `must name each shard once; ${repeated} is repeated` }];
  }
  return [];
}

export function formatConfigError(error: ConfigError): string {
  return `Configuration error: ${error.variable} ${error.message}.`;
}
