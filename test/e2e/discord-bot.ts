/**
 * The real bot against the fake Discord, for the Discord end-to-end suites: one fake, commands
 * deployed to each of its servers, and the bot as a child process. One per describe block.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REST, Routes } from "discord.js";
import { deployCommands } from "../../src/adapters/discord/commands/deploy.js";
import { commands } from "../../src/core/commands/registry.js";
import type { QuizItem } from "../../src/core/curriculum/bank.js";
import {
  type FakeDiscord,
  type FakeGuild,
  type FakeUser,
  type StoredMessage,
  startFakeDiscord,
} from "../fakes/discord/index.js";
import { realCurriculum } from "../helpers.js";
import { type Run, RunningBot, startBot } from "./bot.js";

const token = "fake-discord-token-for-tests";

export interface DiscordBotOptions {
  /** The fake's servers; default one server with #general and #announcements. */
  guilds?: FakeGuild[];
  /** More environment for the bot, e.g. QUORUM_CLOCK_START or DISCORD_DEFER_AFTER_MS. */
  env?: Record<string, string>;
}

export interface DiscordBot {
  fake: FakeDiscord;
  /** The SQLite file the bot writes. */
  databasePath: string;
  /** The first server, and its first channel (#general). */
  guildId: string;
  channelId: string;
  /** Everything the running bot has logged so far (pino JSON lines on stderr). */
  log(): string;
  /** Stops the bot and starts it again on the same database and fake, with other environment. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Stops the bot, the fake, and removes the database folder. */
  stop(): Promise<Run | undefined>;
}

/** Registers the commands in each of the fake's servers (guild scope: the fake then knows each option's type). */
export async function deployToEveryServer(discord: FakeDiscord): Promise<void> {
  for (const { id } of discord.guilds) {
    await deployCommands({
      token,
      applicationId: discord.applicationId,
      apiUrl: discord.apiUrl,
      guildId: id,
      commands,
    });
  }
}

/** Starts a fake Discord, registers the commands in each of its servers, and starts the bot on it. */
export async function startDiscordBot(options: DiscordBotOptions = {}): Promise<DiscordBot> {
  const fake = await startFakeDiscord(options.guilds ? { guilds: options.guilds } : {});
  const folder = mkdtempSync(join(tmpdir(), "quorum-discord-e2e-"));
  const databasePath = join(folder, "quorum.db");
  const [guild] = fake.guilds;
  const channelId = guild?.channels[0]?.id;
  if (!guild || !channelId) throw new Error("The fake needs a server with a channel.");

  await deployToEveryServer(fake);

  const launch = async (env: Record<string, string>): Promise<RunningBot> => {
    const running = new RunningBot(
      startBot({
        DISCORD_TOKEN: token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DATABASE_PATH: databasePath,
        LOG_LEVEL: "info",
        ...env,
      }),
    );
    await running.waitForLog((log) => (log.includes('"discord connected"') ? true : undefined), "connect");
    return running;
  };

  let current: RunningBot | undefined;
  try {
    current = await launch(options.env ?? {});
  } catch (error) {
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }

  return {
    fake,
    databasePath,
    guildId: guild.id,
    channelId,
    log: () => current?.log ?? "",
    async restart(env = {}) {
      await current?.stop();
      current = undefined;
      current = await launch(env);
    },
    async stop() {
      const run = await current?.stop();
      current = undefined;
      await fake.close();
      rmSync(folder, { recursive: true, force: true });
      return run;
    },
  };
}

/** Creates a server role as a server admin would, in Server Settings; the bot hears of it on the gateway. */
export async function createServerRole(fake: FakeDiscord, guildId: string, name: string): Promise<string> {
  const rest = new REST({ api: fake.apiUrl }).setToken(token);
  const role = (await rest.post(Routes.guildRoles(guildId), { body: { name } })) as { id: string };
  return role.id;
}

/** A moderator creates a cohort in the first server, as any suite's setup does; gives the reply. */
export function createCohort(
  discord: DiscordBot,
  moderator: { user: FakeUser; permissions: string },
  options: { name: string; start?: string },
): Promise<StoredMessage> {
  return discord.fake.slash({ ...moderator, name: "cohort", subcommand: "create", options }).final();
}

/** Everything a message says, in reading order: content, titles, descriptions, fields, footers. */
export function textOf(message: Pick<StoredMessage, "body">): string {
  const parts: string[] = [];
  if (message.body.content) parts.push(message.body.content);
  for (const embed of message.body.embeds ?? []) {
    if (embed.title) parts.push(embed.title);
    if (embed.description) parts.push(embed.description);
    for (const field of embed.fields ?? []) parts.push(field.name, field.value);
    if (embed.footer) parts.push(embed.footer.text);
  }
  return parts.join("\n");
}

/** Every button on a message, flattened out of its rows. */
export function buttonsOf(
  message: Pick<StoredMessage, "body">,
): { style: number; label?: string; custom_id?: string; url?: string }[] {
  const rows = (message.body.components ?? []) as { components?: unknown[] }[];
  return rows.flatMap(
    (row) => (row.components ?? []) as { style: number; custom_id?: string; url?: string }[],
  );
}

/** What the bot posted into a channel by itself (scheduled posts), leaving out interaction replies. */
export function postsIn(fake: FakeDiscord, channelId: string): StoredMessage[] {
  return fake.messagesIn(channelId).filter((message) => message.interactionToken === null);
}

/** The quiz item a question id names, from the real curriculum. */
export function quizItem(id: string): QuizItem {
  const item = realCurriculum().bank.items.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`The curriculum has no quiz item ${id}`);
  return item;
}

/** The `/answer` buttons of a question message, split into the right one and the wrong ones. */
export function answerButtons(message: Pick<StoredMessage, "body">): { right: string; wrong: string[] } {
  const ids = buttonsOf(message)
    .map((button) => button.custom_id ?? "")
    .filter((id) => id.startsWith("run:/answer "));
  const [, questionId] = ids[0]?.split(" ") ?? [];
  if (!questionId) throw new Error(`No /answer buttons on ${JSON.stringify(message.body)}`);
  const item = quizItem(questionId);
  const isRight = (choice: string) =>
    item.kind === "single"
      ? choice === item.answer
      : item.kind === "true-false"
        ? choice === String(item.answer)
        : false;
  // A button sends the bank's choice id ("key:b"); true/false buttons send the word.
  const right = ids.find((id) => isRight((id.split(" ")[2] ?? "").replace(/^key:/, "")));
  if (!right) throw new Error(`No single right button for ${questionId} (a ${item.kind} question)`);
  return { right, wrong: ids.filter((id) => id !== right) };
}
