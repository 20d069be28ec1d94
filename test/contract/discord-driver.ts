import { discordNames } from "../../src/adapters/discord/commands/definitions.js";
import { argSpecs } from "../../src/core/commands/args.js";
import { parseLine } from "../../src/core/commands/parse.js";
import { commands } from "../../src/core/commands/registry.js";
import { startDiscordBot, textOf } from "../e2e/discord-bot.js";
import {
  type FakeUser,
  fakeUser,
  memberPermissions,
  moderatorPermissions,
  type OptionValue,
} from "../fakes/discord/index.js";
import { ledgerPoints, MODERATOR, SESSION_START, type Step } from "./session.js";
import type { SessionRun } from "./terminal-driver.js";

/** A text line as the slash command a Discord user would fill in. */
function asSlash(line: string) {
  const parsed = parseLine(line, commands);
  if (parsed.kind !== "command") throw new Error(`"${line}" is not a complete command`);
  const [name = "", subcommand] = (discordNames(commands).get(parsed.command) ?? "").split(" ");
  const options: Record<string, OptionValue> = {};
  for (const spec of argSpecs(parsed.command)) {
    const value = parsed.args[spec.name];
    if (value !== undefined) options[spec.name] = spec.type === "integer" ? Number(value) : value;
  }
  return { name, ...(subcommand ? { subcommand } : {}), options };
}

/** Plays the session through a local fake Discord: the real bot, slash commands as interactions. */
export async function runInDiscord(steps: readonly Step[]): Promise<SessionRun> {
  const bot = await startDiscordBot({ env: { QUORUM_CLOCK_START: SESSION_START } });
  const users = new Map<string, FakeUser>();
  const user = (name: string) => {
    const found = users.get(name) ?? fakeUser(name);
    users.set(name, found);
    return found;
  };
  const replies: string[] = [];
  let points: Record<string, number> = {};
  let run: Awaited<ReturnType<typeof bot.stop>>;
  try {
    await bot.fake.ready;
    for (const step of steps) {
      const reply = await bot.fake
        .slash({
          user: user(step.as),
          permissions: step.as === MODERATOR ? moderatorPermissions : memberPermissions,
          ...asSlash(step.line),
        })
        .final(60_000);
      replies.push(textOf(reply));
    }
    // Read before stopping: stopping removes the database with its folder.
    points = ledgerPoints(bot.databasePath);
  } finally {
    run = await bot.stop();
  }
  if (run && run.code !== 0) throw new Error(`the Discord bot exited ${run.code}: ${run.stderr}`);
  return { replies, points };
}
