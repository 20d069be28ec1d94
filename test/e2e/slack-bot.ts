/**
 * The real bot against the fake Slack, for the Slack end-to-end suites: one fake workspace, the bot
 * as a child process in HTTP mode on a port it picks, and a sender that signs requests towards it.
 * One per describe block.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { ledgerPoints } from "../contract/session.js";
import {
  type FakeSlack,
  type FakeSlackChannel,
  type FakeSlackUser,
  type Person,
  type Place,
  type ResponsePost,
  type SentInteraction,
  type SlackSender,
  type StoredMessage,
  slackSender,
  startFakeSlack,
} from "../fakes/slack/index.js";
import { realCurriculum } from "../helpers.js";
import { type Run, RunningBot, startBot } from "./bot.js";

export const botToken = "xoxb-fake-slack-token-for-tests";
export const signingSecret = "fake-slack-signing-secret-for-tests";

/** The line the bot logs once its HTTP endpoint is bound; it carries the port. */
const LISTENING = "slack listening (HTTP mode)";

export interface SlackBotOptions {
  /** The fake's people; default an owner (olive), an admin (adrian) and members ada and grace. */
  users?: FakeSlackUser[];
  channels?: FakeSlackChannel[];
  /** More environment for the bot, e.g. QUORUM_CLOCK_START or SLACK_MODERATORS. */
  env?: Record<string, string>;
}

export interface SlackBot {
  fake: FakeSlack;
  /** Signs and sends requests to the running bot (a new one after each restart: the port changes). */
  readonly slack: SlackSender;
  /** The SQLite file the bot writes. */
  databasePath: string;
  /** #general, where the suites work by default. */
  channelId: string;
  /** The port the running bot bound. */
  port(): number;
  /** Everything the running bot has logged so far (pino JSON lines on stderr). */
  log(): string;
  /** The bot's process, for tests that signal it themselves. */
  running(): RunningBot;
  /** `/quorum <text>` from someone, and its first reply through the response_url. */
  command(user: Person, text: string, channel?: Place): Promise<Reply>;
  /** Stops the bot and starts it again on the same database and fake, with other environment. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Stops the bot, the fake, and removes the database folder. */
  stop(): Promise<Run | undefined>;
}

/** A sent interaction with its first reply. */
export interface Reply {
  sent: SentInteraction;
  /** Where the command was run. */
  channelId: string;
  post: ResponsePost;
  /** Everything the reply's blocks say, in reading order. */
  text: string;
}

/** The port from the bot's "listening" line, once there is one; undefined before. */
export function boundPort(log: string): number | undefined {
  for (const line of log.split("\n")) {
    if (!line.includes(LISTENING)) continue;
    const { port } = JSON.parse(line) as { port?: unknown };
    if (typeof port === "number") return port;
  }
  return undefined;
}

/** Starts a fake Slack workspace and the bot on it, listening for Slack's requests on a free port. */
export async function startSlackBot(options: SlackBotOptions = {}): Promise<SlackBot> {
  const fake = await startFakeSlack({
    token: botToken,
    ...(options.users ? { users: options.users } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
  });
  const folder = mkdtempSync(join(tmpdir(), "quorum-slack-e2e-"));
  const databasePath = join(folder, "quorum.db");
  const channelId = fake.channels[0]?.id;
  if (!channelId) throw new Error("The fake needs a channel.");

  const launch = async (env: Record<string, string>) => {
    const running = new RunningBot(
      startBot({
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: "0",
        DATABASE_PATH: databasePath,
        LOG_LEVEL: "info",
        ...env,
      }),
    );
    const port = await running.waitForLog(boundPort, "listen");
    const sender = slackSender({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, fake });
    return { running, port, sender };
  };

  let current: Awaited<ReturnType<typeof launch>> | undefined;
  try {
    current = await launch(options.env ?? {});
  } catch (error) {
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const live = () => {
    if (!current) throw new Error("The Slack bot is not running.");
    return current;
  };

  return {
    fake,
    databasePath,
    channelId,
    get slack() {
      return live().sender;
    },
    port: () => live().port,
    log: () => current?.running.log ?? "",
    running: () => live().running,
    async command(user, text, channel = channelId) {
      const sent = await live().sender.slashCommand({ user, channel, text });
      if (sent.status !== 200) throw new Error(`/quorum ${text} was answered ${sent.status}: ${sent.body}`);
      const [post] = await sent.responses(1);
      if (!post) throw new Error(`/quorum ${text} got no reply`);
      const where = typeof channel === "string" ? channel : channel.id;
      return { sent, channelId: where, post, text: blocksText(post.body.blocks ?? []) };
    },
    async restart(env = {}) {
      await current?.running.stop();
      current = undefined;
      current = await launch(env);
    },
    async stop() {
      const run = await current?.running.stop();
      current = undefined;
      await fake.close();
      rmSync(folder, { recursive: true, force: true });
      return run;
    },
  };
}

/** A workspace member whose display name is their handle, so boards and the ledger name them so. */
export function slackMember(name: string, extra: Partial<FakeSlackUser> = {}): FakeSlackUser {
  const id = `U0${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
  return { id, name, realName: name, displayName: name, tz: "UTC", ...extra };
}

/** The message a reply through a response_url became, as the channel (or the one person) sees it. */
export function storedReply(bot: SlackBot, reply: Reply): StoredMessage {
  const found = bot.fake
    .messagesIn(reply.channelId)
    .filter((message) => message.via === "response_url" && message.text === reply.post.body.text)
    .at(-1);
  if (!found) throw new Error(`The reply to ${reply.post.source} is not in ${reply.channelId}.`);
  return found;
}

/** A learner's points from the bot's own ledger, by display name; 0 before any. */
export function pointsOf(bot: SlackBot, displayName: string): number {
  return ledgerPoints(bot.databasePath)[displayName] ?? 0;
}

/** How many times the bot has published someone's Home tab. */
export function homePublishes(bot: SlackBot, user: FakeSlackUser): number {
  return bot.fake.callsNamed("views.publish").filter((call) => call.args.user_id === user.id).length;
}

type Json = Record<string, unknown>;

function textIn(element: unknown): string | undefined {
  const text = (element as Json | undefined)?.text;
  return typeof text === "string" ? text : undefined;
}

/** Everything blocks say, in reading order: headers, sections and their fields, context lines. */
export function blocksText(blocks: readonly unknown[]): string {
  const parts: string[] = [];
  for (const block of blocks as Json[]) {
    const text = textIn(block.text);
    if (text !== undefined) parts.push(text);
    for (const field of Array.isArray(block.fields) ? block.fields : []) parts.push(textIn(field) ?? "");
    if (block.type === "context") {
      for (const element of Array.isArray(block.elements) ? block.elements : [])
        parts.push(textIn(element) ?? "");
    }
  }
  return parts.join("\n");
}

export interface SlackButton {
  action_id: string;
  text: string;
  value?: string;
  url?: string;
  style?: string;
}

/** Every button in blocks: those in actions blocks and any beside a section. */
export function buttonsIn(blocks: readonly unknown[]): SlackButton[] {
  return (blocks as Json[]).flatMap((block) => {
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory] as (
      | Json
      | undefined
    )[];
    return elements
      .filter((element): element is Json => element?.type === "button")
      .map((element) => ({
        action_id: String(element.action_id),
        text: textIn(element.text) ?? "",
        ...(typeof element.value === "string" ? { value: element.value } : {}),
        ...(typeof element.url === "string" ? { url: element.url } : {}),
        ...(typeof element.style === "string" ? { style: element.style } : {}),
      }));
  });
}

/** The quiz answer buttons of a question, split into the right one and the wrong ones. */
export function answerButtons(blocks: readonly unknown[]): { right: SlackButton; wrong: SlackButton[] } {
  const answers = buttonsIn(blocks).filter((button) => button.value?.startsWith("/answer "));
  const [, questionId] = answers[0]?.value?.split(" ") ?? [];
  if (!questionId) throw new Error(`No /answer buttons in ${JSON.stringify(blocks)}`);
  const item = realCurriculum().bank.items.find((candidate) => candidate.id === questionId);
  if (!item) throw new Error(`The curriculum has no quiz item ${questionId}`);
  const isRight = (choice: string) =>
    item.kind === "single"
      ? choice === item.answer
      : item.kind === "true-false"
        ? choice === String(item.answer)
        : false;
  // A button sends the bank's choice id ("key:b"); true/false buttons send the word.
  const right = answers.find((button) => isRight((button.value?.split(" ")[2] ?? "").replace(/^key:/, "")));
  if (!right) throw new Error(`No single right button for ${questionId} (a ${item.kind} question)`);
  return { right, wrong: answers.filter((button) => button !== right) };
}

/** The solution of a challenge, on one line as a slash command carries it. */
export function solutionOf(id: string): string {
  const challenge = realCurriculum().bank.challenges.find((candidate) => candidate.id === id);
  if (!challenge) throw new Error(`The curriculum has no challenge ${id}`);
  return challenge.solution.replace(/\s+/g, " ").trim();
}

/** Waits until the bot's log has a JSON line that `matches`, and returns it parsed. */
export function logLine(bot: SlackBot, matches: (line: string) => boolean): Promise<Json> {
  return vi.waitFor(
    () => {
      const line = bot
        .log()
        .split("\n")
        .find((entry) => entry.startsWith("{") && matches(entry));
      if (!line) throw new Error(`No such log line yet. The log:\n${bot.log()}`);
      return JSON.parse(line) as Json;
    },
    { timeout: 10_000, interval: 50 },
  );
}
