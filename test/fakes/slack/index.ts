/**
 * A small fake of Slack, for tests and for trying the bot without a Slack workspace.
 *
 * It serves the Web API, file uploads and response_urls on 127.0.0.1, and plays the people of a
 * small workspace (owner olive, admin adrian, members ada and grace; #general and #study) towards
 * the bot with signed requests, as Slack does in HTTP mode. Start the fake first (Bolt checks its
 * token with auth.test as soon as the app is made), then the bot with `SLACK_API_URL=<fake.apiUrl>`,
 * any `SLACK_BOT_TOKEN=xoxb-…`, a `SLACK_SIGNING_SECRET` and a `SLACK_PORT`. From a test, or a
 * scratch script run with `npx tsx`:
 *
 *   const fake = await startFakeSlack();
 *   // … start the bot with those variables, then:
 *   const slack = slackSender({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, fake });
 *   const sent = await slack.slashCommand({ user: fake.user("ada"), channel: fake.channel("general"), text: "week" });
 *   const [reply] = await sent.responses();
 *   console.log(reply?.body.blocks, fake.describe());
 *
 * Everything the bot sends is recorded (`fake.received`, `fake.calls`). Reading this folder is a
 * quick tour of the bot on Slack: workspace.ts (who is there), methods-*.ts (what the bot may call),
 * payloads.ts (what people send), http.ts (where replies and uploads land), blocks.ts (the limits
 * Slack enforces).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { httpHandler } from "./http.js";
import type { ApiCall, Received, ResponsePost } from "./journal.js";
import { Journal } from "./journal.js";
import type { Method } from "./method.js";
import { chatMethods } from "./methods-chat.js";
import { viewAndFileMethods } from "./methods-views-files.js";
import type { SenderBackend } from "./sender.js";
import {
  defaultBot,
  defaultChannels,
  defaultTeamDomain,
  defaultTeamId,
  defaultUsers,
  directChannelId,
  type FakeSlackBot,
  type FakeSlackChannel,
  type FakeSlackUser,
} from "./workspace.js";
import { type FakeUpload, type StoredMessage, type StoredView, World } from "./world.js";

export type { FormState } from "./components.js";
export { formValues } from "./components.js";
export type { ApiAnswer, ApiCall, Received, ResponsePost, ResponseUrlBody, UploadPost } from "./journal.js";
export type {
  BlockActionInput,
  Person,
  Place,
  SlashCommandInput,
  SubmittedView,
  ViewSubmissionInput,
} from "./payloads.js";
export type { BotAnswer, SenderBackend, SendOptions, SentInteraction, SlackSenderOptions } from "./sender.js";
export { SlackSender, slackSender } from "./sender.js";
export type { SignatureHeaders } from "./signing.js";
export { signRequest } from "./signing.js";
export type { FakeSlackBot, FakeSlackChannel, FakeSlackUser } from "./workspace.js";
export { defaultChannels, defaultUsers, directChannelId } from "./workspace.js";
export type { FakeUpload, SharedFile, StoredMessage, StoredView } from "./world.js";

export interface FakeSlackOptions {
  teamId?: string;
  teamDomain?: string;
  /** Default: an owner (olive), an admin (adrian) and two members (ada, grace). */
  users?: FakeSlackUser[];
  /** Default: #general and #study. */
  channels?: FakeSlackChannel[];
  bot?: FakeSlackBot;
  /** When set, only this bot token is accepted (`invalid_auth` otherwise). */
  token?: string;
  /** How long a trigger_id may open a modal; Slack's is 3 s. */
  triggerLifetimeMs?: number;
  /** How long the waiting helpers wait before failing; default 10 s. */
  timeoutMs?: number;
}

const methods: Record<string, Method> = { ...chatMethods, ...viewAndFileMethods };

export class FakeSlack {
  private constructor(
    private readonly world: World,
    private readonly journal: Journal,
    /** Errors a test queued for a method's next calls; the HTTP side takes them in order. */
    private readonly queuedFailures: Map<string, string[]>,
    private readonly server: ReturnType<typeof createServer>,
    private readonly timeoutMs: number,
  ) {}

  /** Starts a fake on 127.0.0.1 on a free port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const world = new World({
      teamId: options.teamId ?? defaultTeamId,
      teamDomain: options.teamDomain ?? defaultTeamDomain,
      bot: options.bot ?? defaultBot,
      users: options.users ?? defaultUsers(),
      channels: options.channels ?? defaultChannels(),
      triggerLifetimeMs: options.triggerLifetimeMs ?? 3_000,
    });
    const journal = new Journal();
    const queuedFailures = new Map<string, string[]>();
    let fake: FakeSlack | undefined;
    const handle = httpHandler({
      world,
      journal,
      methods,
      origin: () => fake?.origin ?? "",
      token: options.token,
      queuedFailures,
    });
    const server = createServer((request, response) => void handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake = new FakeSlack(world, journal, queuedFailures, server, options.timeoutMs ?? 10_000);
    return fake;
  }

  /** Where the fake serves, e.g. "http://127.0.0.1:4567". */
  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** What the bot's `slackApiUrl` (SLACK_API_URL) should be. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  get teamId(): string {
    return this.world.teamId;
  }

  get bot(): FakeSlackBot {
    return { ...this.world.bot };
  }

  get users(): FakeSlackUser[] {
    return [...this.world.users.values()];
  }

  get channels(): FakeSlackChannel[] {
    return [...this.world.channels.values()];
  }

  /** A person by handle ("ada"); throws when there is none, listing who there is. */
  user(name: string): FakeSlackUser {
    const user = this.users.find((candidate) => candidate.name === name);
    if (!user)
      throw new Error(`Fake Slack has no user ${name}; it has ${this.users.map((u) => u.name).join(", ")}.`);
    return user;
  }

  /** A channel by name ("general"); throws when there is none. */
  channel(name: string): FakeSlackChannel {
    const channel = this.channels.find((candidate) => candidate.name === name);
    if (!channel)
      throw new Error(
        `Fake Slack has no channel ${name}; it has ${this.channels.map((c) => c.name).join(", ")}.`,
      );
    return channel;
  }

  /** Everything the bot sent the fake (API calls, uploads, response_url posts), in order. */
  get received(): readonly Received[] {
    return this.journal.entries;
  }

  /** Every Web API call, in order, including unknown methods (answered `unknown_method`). */
  get calls(): ApiCall[] {
    return this.journal.entries.filter((entry): entry is ApiCall => entry.kind === "api");
  }

  callsNamed(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The first Web API call (made already or still to come) that matches. */
  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs = this.timeoutMs): Promise<ApiCall> {
    return this.journal.until(() => this.calls.find(predicate), "a matching Web API call", timeoutMs);
  }

  /** The first defined value `probe` gives, probing after everything the bot sends; `what` names it on failure. */
  until<T>(probe: () => T | undefined, what: string, timeoutMs = this.timeoutMs): Promise<T> {
    return this.journal.until(probe, what, timeoutMs);
  }

  /** The bot's posts to one response_url (see `SentInteraction.responseUrlId`). */
  responses(responseUrlId: string): ResponsePost[] {
    return this.journal.entries.filter(
      (entry): entry is ResponsePost => entry.kind === "response" && entry.responseUrlId === responseUrlId,
    );
  }

  /** The Home tab the bot last published for someone, as Slack would hold it; undefined if none. */
  homeView(userId: string): Record<string, unknown> | undefined {
    const stored = this.world.views.get(this.world.homeViews.get(userId) ?? "");
    return stored && structuredClone(this.world.viewOutput(stored));
  }

  /** The modals and Home tabs the bot opened or published, as they now stand. */
  get views(): StoredView[] {
    return structuredClone([...this.world.views.values()]);
  }

  /** Files in the upload flow (announced, uploaded, shared), in the order the bot announced them. */
  get uploads(): FakeUpload[] {
    return [...this.world.uploads.values()].map((upload) => ({ ...upload }));
  }

  /** What a channel now shows, oldest first: posts, ephemeral messages (with `ephemeralTo`), shared files. */
  messagesIn(channelId: string): StoredMessage[] {
    return structuredClone(this.world.messagesIn(channelId));
  }

  /** The bot's messages in its DM with someone (the app's Messages tab). */
  directMessagesTo(userId: string): StoredMessage[] {
    return this.messagesIn(directChannelId(userId));
  }

  /** The next call(s) to `method` fail with `error` (e.g. "channel_not_found", "ratelimited"), once each. */
  failNext(method: string, error: string, times = 1): void {
    const queued = this.queuedFailures.get(method) ?? [];
    this.queuedFailures.set(method, [...queued, ...Array<string>(times).fill(error)]);
  }

  /** Makes a trigger_id too old for views.open, without waiting for it. */
  expireTrigger(triggerId: string): void {
    const trigger = this.world.triggers.get(triggerId);
    if (!trigger) throw new Error(`Fake Slack never issued trigger_id ${triggerId}.`);
    trigger.expired = true;
  }

  /** A readable list of everything the bot sent so far. */
  describe(): string {
    return this.journal.describe();
  }

  /** For `slackSender`: the state it builds payloads from and waits on. */
  get backend(): SenderBackend {
    return { world: this.world, journal: this.journal, origin: this.origin, timeoutMs: this.timeoutMs };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(options);
}
export { silentSlackLogger, webClientFor } from "./web-client.js";
