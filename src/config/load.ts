import { z } from "zod";
import { type DiscordConfig, discordConfig, discordEnv, discordErrors } from "./discord.js";
import type { ConfigError } from "./fields.js";
import { httpEnv, type RuntimeConfig, runtimeConfig, runtimeEnv } from "./runtime.js";
import { type SandboxConfig, sandboxConfig, sandboxEnv } from "./sandbox.js";
import { type SlackConfig, slackConfig, slackEnv, slackErrors, slackModeratorsEnv } from "./slack.js";
import { backupEnv, type StorageConfig, storageConfig, storageEnv } from "./storage.js";

/** Every variable, area by area; problems are reported in this order. */
const Env = z.object({
  ...storageEnv,
  ...runtimeEnv,
  ...discordEnv,
  ...slackEnv,
  ...httpEnv,
  ...backupEnv,
  ...sandboxEnv,
  ...slackModeratorsEnv,
});

export type AdapterName = "terminal" | "discord" | "slack";

export interface Config extends StorageConfig, RuntimeConfig {
  sandbox: SandboxConfig;
  discord?: DiscordConfig;
  slack?: SlackConfig;
  /** Which adapters start: those whose credentials are complete; the terminal when none are. */
  adapters: AdapterName[];
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
  const errors = [...discordErrors(e), ...slackErrors(e)];
  if (errors.length > 0) return { ok: false, errors };

  const config: Config = {
    ...storageConfig(e),
    ...runtimeConfig(e),
    sandbox: sandboxConfig(e),
    adapters: [],
  };
  const discord = discordConfig(e);
  if (discord) {
    config.discord = discord;
    config.adapters.push("discord");
  }
  const slack = slackConfig(e);
  if (slack) {
    config.slack = slack;
    config.adapters.push("slack");
  }
  if (config.adapters.length === 0) config.adapters.push("terminal");
  return { ok: true, config };
}

export function formatConfigError(error: ConfigError): string {
  return `Configuration error: ${error.variable} ${error.message}.`;
}
