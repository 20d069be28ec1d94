import { REST, Routes } from "discord.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { slashCommands } from "./definitions.js";

export interface DeployOptions {
  token: string;
  applicationId: string;
  /** Discord's API base, e.g. https://discord.com/api (the default); tests point it at a local server. */
  apiUrl?: string | undefined;
  /** Register in one server, where they appear at once, instead of globally. */
  guildId?: string | undefined;
  commands: readonly AnyCommand[];
}

export interface DeployResult {
  scope: "global" | "guild";
  /** Top-level slash commands registered. */
  count: number;
}

/**
 * Replaces the application's slash commands with those derived from the core, in one PUT, so
 * commands removed from the core disappear from Discord too. Rejects with discord.js's error.
 */
export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const body = slashCommands(options.commands);
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  await rest.put(route, { body });
  return { scope: options.guildId ? "guild" : "global", count: body.length };
}
