import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { loadConfig } from "./load.js";

describe("config", () => {
  it("given an empty environment, starts the terminal chat with the defaults", () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.adapters).toEqual(["terminal"]);
    expect(result.config.databasePath).toMatch(/data[/\\]quorum\.db$/);
    expect(result.config.defaultTimezone).toBe("UTC");
    expect(result.config.logLevel).toBeUndefined();
  });

  it("given an unknown LOG_LEVEL, names the variable and the allowed values", () => {
    const result = loadConfig({ LOG_LEVEL: "loud" });
    expect(result).toEqual({
      ok: false,
      errors: [
        { variable: "LOG_LEVEL", message: "must be one of fatal, error, warn, info, debug, trace, silent" },
      ],
    });
  });

  it("given a DATABASE_PATH that is a folder, says to name a file", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "db"));
    const result = loadConfig({ DATABASE_PATH: join(dir, "db") });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.variable).toBe("DATABASE_PATH");
  });

  it("given a DATABASE_URL that is not PostgreSQL's, says what one looks like", () => {
    for (const url of ["mysql://db/quorum", "quorum.db", "postgres://"]) {
      const result = loadConfig({ DATABASE_URL: url });
      expect(result).toEqual({
        ok: false,
        errors: [
          {
            variable: "DATABASE_URL",
            message: "must be a PostgreSQL URL, e.g. postgres://quorum:secret@db.internal:5432/quorum",
          },
        ],
      });
    }
  });

  it("given a PostgreSQL DATABASE_URL, keeps it; without one the store stays SQLite", () => {
    const url = "postgresql://quorum:secret@db.internal:5432/quorum";
    const result = loadConfig({ DATABASE_URL: url });
    expect(result.ok && result.config.databaseUrl).toBe(url);
    const plain = loadConfig({ DATABASE_URL: "" });
    expect(plain.ok && plain.config.databaseUrl).toBeUndefined();
  });

  it("given a Discord token without an application id, asks for the id", () => {
    const result = loadConfig({ DISCORD_TOKEN: "a-token-long-enough" });
    expect(result).toEqual({
      ok: false,
      errors: [{ variable: "DISCORD_APPLICATION_ID", message: "must be set when DISCORD_TOKEN is set" }],
    });
  });

  it("given complete Discord and Slack credentials, starts both and not the terminal", () => {
    const result = loadConfig({
      DISCORD_TOKEN: "a-token-long-enough",
      DISCORD_APPLICATION_ID: "123456789012345678",
      SLACK_BOT_TOKEN: "xoxb-123",
      SLACK_SIGNING_SECRET: "a-signing-secret",
    });
    expect(result.ok && result.config.adapters).toEqual(["discord", "slack"]);
  });

  describe("Discord shards", () => {
    const discord = { DISCORD_TOKEN: "a-token-long-enough", DISCORD_APPLICATION_ID: "123456789012345678" };
    const errorsOf = (env: Record<string, string>) => {
      const result = loadConfig({ ...discord, ...env });
      return result.ok ? [] : result.errors;
    };

    it("given neither DISCORD_SHARDS nor DISCORD_SHARD_COUNT, leaves sharding to discord.js (one shard)", () => {
      const result = loadConfig(discord);
      expect(result.ok && result.config.discord?.shards).toBeUndefined();
    });

    it("given DISCORD_SHARDS 0, 2 and DISCORD_SHARD_COUNT 4, runs shards 0 and 2 of 4", () => {
      const result = loadConfig({ ...discord, DISCORD_SHARDS: " 0, 2", DISCORD_SHARD_COUNT: "4" });
      expect(result.ok && result.config.discord?.shards).toEqual({ ids: [0, 2], count: 4 });
    });

    it("given only one of the two, asks for the other", () => {
      expect(errorsOf({ DISCORD_SHARDS: "0" })).toEqual([
        { variable: "DISCORD_SHARD_COUNT", message: "must be set when DISCORD_SHARDS is set, e.g. 2" },
      ]);
      expect(errorsOf({ DISCORD_SHARD_COUNT: "2" })).toEqual([
        { variable: "DISCORD_SHARDS", message: "must be set when DISCORD_SHARD_COUNT is set, e.g. 0,1" },
      ]);
    });

    it("given DISCORD_SHARDS that are not whole numbers separated by commas, shows the form", () => {
      for (const shards of ["0,,1", "one", "-1", "0;1", "1.5"]) {
        expect(errorsOf({ DISCORD_SHARDS: shards, DISCORD_SHARD_COUNT: "2" })).toEqual([
          { variable: "DISCORD_SHARDS", message: "must be shard ids separated by commas, e.g. 0,1" },
        ]);
      }
    });

    it("given a DISCORD_SHARD_COUNT that is not a whole number of at least 1, says so", () => {
      const count = (value: string) => errorsOf({ DISCORD_SHARDS: "0", DISCORD_SHARD_COUNT: value });
      expect(count("two")).toEqual([
        {
          variable: "DISCORD_SHARD_COUNT",
          message: "must be the number of shards across all processes, e.g. 2",
        },
      ]);
      expect(count("1.5")).toEqual([
        { variable: "DISCORD_SHARD_COUNT", message: "must be a whole number of shards" },
      ]);
      expect(count("0")).toEqual([{ variable: "DISCORD_SHARD_COUNT", message: "must be at least 1" }]);
    });

    it("given a shard id not below DISCORD_SHARD_COUNT, says which ids there are", () => {
      expect(errorsOf({ DISCORD_SHARDS: "0,2", DISCORD_SHARD_COUNT: "2" })).toEqual([
        {
          variable: "DISCORD_SHARDS",
          message: "must be ids from 0 to 1 (below DISCORD_SHARD_COUNT, 2); 2 is not",
        },
      ]);
    });

    it("given a shard named twice, asks for each once", () => {
      expect(errorsOf({ DISCORD_SHARDS: "1,0,1", DISCORD_SHARD_COUNT: "2" })).toEqual([
        { variable: "DISCORD_SHARDS", message: "must name each shard once; 1 is repeated" },
      ]);
    });
  });

  it("given an empty variable, treats it as unset", () => {
    const result = loadConfig({ LOG_LEVEL: "", DISCORD_TOKEN: "" });
    expect(result.ok && result.config.adapters).toEqual(["terminal"]);
  });

  it("given a misspelt default zone, rejects it", () => {
    const result = loadConfig({ DEFAULT_TIMEZONE: "Europe/Berlinn" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.variable).toBe("DEFAULT_TIMEZONE");
  });

  it("given no HTTP_PORT, the HTTP listener is off; given one, it listens on loopback unless told otherwise", () => {
    const off = loadConfig({});
    expect(off.ok && off.config.http).toBeUndefined();
    const on = loadConfig({ HTTP_PORT: "8080" });
    expect(on.ok && on.config.http).toEqual({ port: 8080, host: "127.0.0.1" });
    const everywhere = loadConfig({ HTTP_PORT: "0", HTTP_HOST: "0.0.0.0" });
    expect(everywhere.ok && everywhere.config.http).toEqual({ port: 0, host: "0.0.0.0" });
  });

  it("given a bad HTTP_PORT or backup setting, names the variable and the right form", () => {
    const result = loadConfig({ HTTP_PORT: "70000", BACKUP_DAILY_AT: "3am", BACKUP_KEEP: "0" });
    expect(result).toEqual({
      ok: false,
      errors: [
        { variable: "HTTP_PORT", message: "must be from 0 to 65535" },
        { variable: "BACKUP_DAILY_AT", message: "must be a UTC time of day as HH:MM, e.g. 03:00" },
        { variable: "BACKUP_KEEP", message: "must be at least 1" },
      ],
    });
  });

  it("given no sandbox settings, an attempt gets 2 s, 256 MiB and 1,000 rows, 64 may wait per engine, and an idle engine stops after 10 minutes", () => {
    const result = loadConfig({});
    expect(result.ok && result.config.sandbox).toEqual({
      timeMs: 2_000,
      memoryMb: 256,
      maxRows: 1_000,
      queueCapacity: 64,
      idleMs: 600_000,
      postgres: { spare: false, optimize: false },
    });
  });

  it("given SANDBOX_POSTGRES_SPARE and SANDBOX_POSTGRES_OPTIMIZE, PostgreSQL trades memory for latency as asked", () => {
    const fast = loadConfig({ SANDBOX_POSTGRES_SPARE: "on", SANDBOX_POSTGRES_OPTIMIZE: "on" });
    expect(fast.ok && fast.config.sandbox.postgres).toEqual({ spare: true, optimize: true });
    const roomy = loadConfig({ SANDBOX_POSTGRES_SPARE: "auto" });
    expect(roomy.ok && roomy.config.sandbox.postgres).toEqual({ spare: "auto", optimize: false });
    const lean = loadConfig({ SANDBOX_POSTGRES_SPARE: "", SANDBOX_POSTGRES_OPTIMIZE: "off" });
    expect(lean.ok && lean.config.sandbox.postgres).toEqual({ spare: false, optimize: false });
  });

  it("given a bad PostgreSQL memory setting, names the variable and the values it takes", () => {
    expect(loadConfig({ SANDBOX_POSTGRES_SPARE: "yes", SANDBOX_POSTGRES_OPTIMIZE: "2" })).toEqual({
      ok: false,
      errors: [
        {
          variable: "SANDBOX_POSTGRES_SPARE",
          message: "must be off, on or auto (a spare only while the machine has memory available for it)",
        },
        { variable: "SANDBOX_POSTGRES_OPTIMIZE", message: "must be off or on" },
      ],
    });
  });

  it("given SANDBOX_IDLE_MS 0, idle engines are never stopped; a negative one is refused with the right form", () => {
    const never = loadConfig({ SANDBOX_IDLE_MS: "0" });
    expect(never.ok && never.config.sandbox.idleMs).toBe(0);
    expect(loadConfig({ SANDBOX_IDLE_MS: "-5" })).toEqual({
      ok: false,
      errors: [{ variable: "SANDBOX_IDLE_MS", message: "must be 0 (never) or more" }],
    });
  });

  it("given bad sandbox settings, names each variable and the right form", () => {
    const result = loadConfig({ SANDBOX_TIME_MS: "2s", SANDBOX_MEMORY_MB: "8", SANDBOX_QUEUE: "1.5" });
    expect(result).toEqual({
      ok: false,
      errors: [
        { variable: "SANDBOX_TIME_MS", message: "must be milliseconds, e.g. 2000" },
        { variable: "SANDBOX_MEMORY_MB", message: "must be at least 32" },
        { variable: "SANDBOX_QUEUE", message: "must be a whole number of attempts" },
      ],
    });
  });

  it("given no backup settings, backups go beside the database, seven kept, none daily", () => {
    const dir = tempDir();
    const result = loadConfig({ DATABASE_PATH: join(dir, "quorum.db") });
    expect(result.ok && result.config.backup).toEqual({
      dir: join(dir, "backups"),
      dailyAt: undefined,
      keep: 7,
    });
  });
});
