import { parseArgs } from "node:util";
import { DiscordAPIError, HTTPError } from "discord.js";
import { formatConfigError, loadConfig } from "../../config/load.js";
import { commands } from "../../core/commands/registry.js";
import { deployCommands } from "./commands/deploy.js";

const USAGE = `Usage: npm run discord:deploy -- [--guild <server id>]

Registers Quorum's slash commands with Discord.
  --guild <id>   only in this server (17–20 digits); they appear at once
  (no --guild)   globally, in every server the bot is in; this can take up to an hour

Environment: DISCORD_TOKEN and DISCORD_APPLICATION_ID (required), DISCORD_API_URL (optional).`;

/** Exit codes: 0 registered, 1 Discord or the network refused, 2 bad arguments or environment. */
function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}

function describeFailure(error: unknown): string {
  if (error instanceof DiscordAPIError) {
    return `Discord refused the commands (HTTP ${error.status}): ${error.message}`;
  }
  if (error instanceof HTTPError) return `Discord answered HTTP ${error.status}: ${error.message}`;
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not reach Discord: ${reason}`;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let guildId: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { guild: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    guildId = values.guild;
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) {
    return usageError(`--guild must be a Discord server id (17–20 digits), not "${guildId}".`);
  }

  const loaded = loadConfig(env);
  if (!loaded.ok) return usageError(loaded.errors.map(formatConfigError).join("\n"));
  const discord = loaded.config.discord;
  if (!discord) return usageError("DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set.");

  try {
    const result = await deployCommands({
      token: discord.token,
      applicationId: discord.applicationId,
      apiUrl: discord.apiUrl,
      guildId,
      commands,
    });
    process.stdout.write(
      result.scope === "guild"
        ? `Registered ${result.count} commands in guild ${guildId}; guild commands appear at once.\n`
        : `Registered ${result.count} commands globally; global commands can take up to an hour to appear.\n`,
    );
    return 0;
  } catch (error) {
    // discord.js's errors name the method and route, never the token.
    process.stderr.write(`${describeFailure(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
