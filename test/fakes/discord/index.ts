/**
 * A small fake of Discord, for tests and for trying the bot without a Discord account.
 *
 * It serves the REST API and the gateway WebSocket on 127.0.0.1, enough for discord.js 14 to log in,
 * receive servers and interactions, and answer them. Point the bot at it with
 * `DISCORD_API_URL=<fake.apiUrl>`, then play a member of the server:
 *
 *   const fake = await startFakeDiscord();
 *   // start the bot with DISCORD_API_URL=fake.apiUrl, any DISCORD_TOKEN, DISCORD_APPLICATION_ID=fake.applicationId
 *   await fake.ready;
 *   const reply = await fake.slash({ user: fakeUser("ada"), name: "week" }).final();
 *   console.log(reply.body.embeds);
 *
 * Every REST call is recorded in `fake.requests`; reading this folder is a quick tour of what the
 * bot does on Discord: gateway.ts (login), routes.ts (what it may call), interactions.ts (what people
 * send), routes-interactions.ts (how it answers).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type APIApplicationCommand, type APIRole, GatewayDispatchEvents } from "discord.js";
import { type ButtonInput, button, type ModalSubmitInput, modalSubmit } from "./components.js";
import { FakeGateway, type GatewayLogin } from "./gateway.js";
import { InteractionHandle } from "./handle.js";
import { snowflake } from "./ids.js";
import {
  type Actor,
  type AutocompleteInput,
  autocomplete,
  type Built,
  type SlashInput,
  slash,
} from "./interactions.js";
import { type RecordedRequest, RequestLog } from "./requests.js";
import { restHandler } from "./rest.js";
import { routes } from "./routes.js";
import { type FakeGuild, fakeGuild, type StoredMessage, World } from "./world.js";

export type { ButtonInput, ModalSubmitInput } from "./components.js";
export { customIds } from "./components.js";
export type { GatewayLogin } from "./gateway.js";
export type { CallbackData, InteractionCallback, InteractionHandle } from "./handle.js";
export { guildIdOnShard, shardOf } from "./ids.js";
export type { Actor, AutocompleteInput, OptionValue, SlashInput } from "./interactions.js";
export type { MessageBody, RecordedFile, RecordedRequest } from "./requests.js";
export type { FakeChannel, FakeGuild, FakeUser, StoredMessage } from "./world.js";
export { fakeGuild, fakeUser, memberPermissions, moderatorPermissions } from "./world.js";

export interface FakeDiscordOptions {
  /** Also the bot user's id, as on Discord. Default: a fresh snowflake. */
  applicationId?: string;
  botUsername?: string;
  /** Default: one server from `fakeGuild()`. */
  guilds?: FakeGuild[];
  /** When set, only this bot token is accepted (gateway close 4004, REST 401 otherwise). */
  token?: string;
  /** How long the waiting helpers wait before failing; default 10 s. */
  timeoutMs?: number;
}

export class FakeDiscord {
  private constructor(
    private readonly world: World,
    private readonly gateway: FakeGateway,
    private readonly log: RequestLog,
    private readonly server: ReturnType<typeof createServer>,
    private readonly timeoutMs: number,
  ) {}

  /** Starts a fake on 127.0.0.1 on a free port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const world = new World(
      options.applicationId ?? snowflake(),
      options.botUsername ?? "Quorum",
      options.guilds ?? [fakeGuild()],
    );
    const log = new RequestLog();
    let origin = "";
    const gateway = new FakeGateway({
      world,
      url: () => `${origin.replace(/^http/, "ws")}/gateway`,
      token: options.token,
    });
    const handle = restHandler({ world, gateway, log, routes, origin: () => origin, token: options.token });
    const server = createServer((request, response) => void handle(request, response));
    server.on("upgrade", (request, socket, head) => {
      if (request.url?.startsWith("/gateway")) gateway.upgrade(request, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new FakeDiscord(world, gateway, log, server, options.timeoutMs ?? 10_000);
  }

  /** What the bot's `rest.api` (DISCORD_API_URL) should be. */
  get apiUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  get applicationId(): string {
    return this.world.applicationId;
  }

  get botUserId(): string {
    return this.world.botUser.id;
  }

  /** The servers the bot is in, with their generated ids. */
  get guilds(): FakeGuild[] {
    return [...this.world.guilds.values()].map((guild) => guild.config);
  }

  /** Every REST request so far, in order. */
  get requests(): readonly RecordedRequest[] {
    return this.log.entries;
  }

  /** What each bot (each shard) said when it logged in to the gateway (token, intents, shard), oldest first. */
  get logins(): readonly GatewayLogin[] {
    return this.gateway.logins;
  }

  /** Resolves once a bot has logged in to the gateway and been sent its servers. */
  get ready(): Promise<void> {
    return this.gateway.ready;
  }

  /** The first request (already made or still to come) that matches. */
  waitFor(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = this.timeoutMs,
  ): Promise<RecordedRequest> {
    return this.log.until(() => this.log.entries.find(predicate), "a matching request", timeoutMs);
  }

  /** Someone runs a slash command. */
  slash(input: SlashInput): InteractionHandle {
    return this.send(slash(this.world, input), input);
  }

  /** Someone types into an option that offers suggestions. */
  autocomplete(input: AutocompleteInput): InteractionHandle {
    return this.send(autocomplete(this.world, input), input);
  }

  /** Someone presses a button on a message the bot sent. */
  button(input: ButtonInput): InteractionHandle {
    return this.send(button(this.world, input, this.attachmentBase), input);
  }

  /** Someone fills in and submits a modal the bot showed. */
  modalSubmit(input: ModalSubmitInput): InteractionHandle {
    return this.send(modalSubmit(this.world, input, this.attachmentBase), input);
  }

  /** Messages now in a channel (posted there, replies, follow-ups), oldest first, as edited. */
  messagesIn(channelId: string): StoredMessage[] {
    return structuredClone(this.world.messagesIn(channelId));
  }

  /** The bot's direct messages to someone, oldest first. */
  directMessagesTo(userId: string): StoredMessage[] {
    const channel = [...this.world.channels.values()].find((c) => c.recipient?.id === userId);
    return channel ? this.messagesIn(channel.id) : [];
  }

  /** From now on, direct messages to this person fail with 50007, as when they closed their DMs. */
  closeDirectMessages(userId: string): void {
    this.world.closedDms.add(userId);
  }

  /** The commands the bot registered, globally or in one server. */
  commands(guildId?: string): APIApplicationCommand[] {
    return structuredClone(this.world.commands.get(guildId ?? "global") ?? []);
  }

  roles(guildId: string): APIRole[] {
    return structuredClone(this.world.guild(guildId).roles);
  }

  /** The role ids someone holds in a server. */
  memberRoles(guildId: string, userId: string): string[] {
    return [...(this.world.guild(guildId).members.get(userId)?.roles ?? [])];
  }

  /** Asks the bot to reconnect, as Discord does now and then; resolves once it has resumed. */
  reconnect(): Promise<void> {
    return this.gateway.reconnect();
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private get attachmentBase(): string {
    return `${this.apiUrl.replace(/\/api$/, "")}/attachments`;
  }

  private send(built: Built, actor: Actor): InteractionHandle {
    if (!this.gateway.delivers(built.payload)) {
      throw new Error(
        "Fake Discord: no bot is logged in for this server's shard yet (await fake.ready first).",
      );
    }
    // Registered first, so the REST routes know the token however fast the bot answers; an expired
    // one never is, so every route answers for it as Discord does for a forgotten token.
    if (!actor.expired) this.world.interactions.set(built.state.token, built.state);
    this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, built.payload);
    return new InteractionHandle(this.world, this.log, built.state, this.timeoutMs);
  }
}

export function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return FakeDiscord.start(options);
}
