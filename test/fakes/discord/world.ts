import { type APIApplicationCommand, type APIRole, MessageFlags, PermissionFlagsBits } from "discord.js";
import { snowflake } from "./ids.js";
import { noFlags } from "./payloads.js";
import type { MessageBody, RecordedFile } from "./requests.js";

/** Someone using the bot. */
export interface FakeUser {
  id: string;
  username: string;
  globalName?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** False: posting here answers 403 Missing Access, as a channel hidden from the bot does. */
  botCanSend?: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
  /** False: the bot's role lacks Manage Roles, so role calls answer 403 Missing Permissions. */
  botCanManageRoles?: boolean;
  /** People already in the server; anyone who sends an interaction joins too. */
  members?: FakeUser[];
  /** Names of roles the server already has, besides @everyone and the bot's (ids: `fake.roles()`). */
  roles?: string[];
}

export function fakeUser(username: string, globalName?: string): FakeUser {
  return globalName === undefined ? { id: snowflake(), username } : { id: snowflake(), username, globalName };
}

/** A server with a #general and an #announcements channel, unless told otherwise. */
export function fakeGuild(overrides: Partial<FakeGuild> = {}): FakeGuild {
  return {
    id: snowflake(),
    name: "Database Study Group",
    ownerId: snowflake(),
    channels: [
      { id: snowflake(), name: "general" },
      { id: snowflake(), name: "announcements" },
    ],
    ...overrides,
  };
}

/** How long Discord remembers a nonce it was asked to enforce ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

const everyday =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

/** What an ordinary member may do (the @everyone role): no Manage Server. */
export const memberPermissions = everyday.toString();
/** A moderator: an ordinary member plus Manage Server (1 << 5), which the bot's moderator commands ask for. */
export const moderatorPermissions = (everyday | PermissionFlagsBits.ManageGuild).toString();
/** The server owner holds every permission. */
const ownerPermissions = Object.values(PermissionFlagsBits)
  .reduce((all, flag) => all | flag, 0n)
  .toString();

export interface Member {
  user: FakeUser;
  roles: string[];
  joinedAt: string;
}

export interface GuildState {
  config: FakeGuild;
  roles: APIRole[];
  members: Map<string, Member>;
  botRoleId: string;
}

export interface ChannelState {
  id: string;
  name: string;
  /** Null for a direct-message channel. */
  guildId: string | null;
  /** Who the direct-message channel is with. */
  recipient: FakeUser | null;
  botCanSend: boolean;
}

/** A message as it now stands on Discord, after any edits. */
export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  body: MessageBody;
  files: (RecordedFile & { id: string })[];
  ephemeral: boolean;
  createdAt: string;
  editedAt: string | null;
  /** The token of the interaction it answers (reply, follow-up), if any. */
  interactionToken: string | null;
}

export interface InteractionState {
  id: string;
  token: string;
  /** How tests name it in failures, e.g. "/quiz" or "button quiz:1". */
  label: string;
  type: number;
  guildId: string | null;
  channelId: string;
  callback: { type: number; data: MessageBody; files: RecordedFile[] } | null;
  /** The message its replies edit as @original: its own reply, or the message a button sits on. */
  originalMessageId: string | null;
  /** How many times @original was edited after the callback. */
  originalEdits: number;
}

/** Everything the fake Discord knows: servers, channels, messages, commands, live interactions. */
export class World {
  readonly botUser: FakeUser;
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, ChannelState>();
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionState>();
  /** Registered commands by scope: "global" or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  /** Users whose direct messages are closed to the bot. */
  readonly closedDms = new Set<string>();

  constructor(
    readonly applicationId: string,
    botUsername: string,
    guilds: FakeGuild[],
  ) {
    // A bot user shares its application's id.
    this.botUser = { id: applicationId, username: botUsername };
    for (const guild of guilds) this.addGuild(guild);
  }

  private addGuild(config: FakeGuild): void {
    const botRoleId = snowflake();
    const botPermissions =
      BigInt(memberPermissions) | (config.botCanManageRoles === false ? 0n : PermissionFlagsBits.ManageRoles);
    const state: GuildState = {
      config,
      botRoleId,
      // The @everyone role's id is the guild's id.
      roles: [
        role(config.id, "@everyone", 0, memberPermissions),
        role(botRoleId, this.botUser.username, 1, botPermissions.toString(), this.botUser.id),
      ],
      members: new Map(),
    };
    this.guilds.set(config.id, state);
    for (const channel of config.channels) {
      this.channels.set(channel.id, {
        id: channel.id,
        name: channel.name,
        guildId: config.id,
        recipient: null,
        botCanSend: channel.botCanSend !== false,
      });
    }
    for (const name of config.roles ?? []) this.createRole(config.id, { name });
    this.join(config.id, this.botUser, [botRoleId]);
    for (const user of config.members ?? []) this.join(config.id, user);
  }

  /** Adds someone to a server, or updates their roles when `roles` is given. */
  join(guildId: string, user: FakeUser, roles?: string[]): Member {
    this.users.set(user.id, user);
    const guild = this.guild(guildId);
    const member = guild.members.get(user.id) ?? { user, roles: [], joinedAt: new Date().toISOString() };
    member.user = user;
    if (roles) member.roles = [...roles];
    guild.members.set(user.id, member);
    return member;
  }

  guild(id: string): GuildState {
    const guild = this.guilds.get(id);
    if (guild) return guild;
    throw new Error(`Fake Discord has no guild ${id}; it has ${[...this.guilds.keys()].join(", ")}`);
  }

  /** The bot's permissions in a server: @everyone's plus its own role's. */
  botPermissions(guildId: string): string {
    const guild = this.guild(guildId);
    return guild.roles
      .filter((r) => r.id === guildId || r.id === guild.botRoleId)
      .reduce((all, r) => all | BigInt(r.permissions), 0n)
      .toString();
  }

  defaultPermissions(guildId: string, userId: string): string {
    return this.guild(guildId).config.ownerId === userId ? ownerPermissions : memberPermissions;
  }

  createRole(guildId: string, body: Partial<APIRole>): APIRole {
    const guild = this.guild(guildId);
    const created = role(snowflake(), body.name ?? "new role", 1, body.permissions ?? "0");
    created.color = body.color ?? 0;
    created.colors.primary_color = created.color;
    created.hoist = body.hoist ?? false;
    created.mentionable = body.mentionable ?? false;
    // New roles go just above @everyone; everything else moves up one, keeping the bot's role on top.
    for (const existing of guild.roles) if (existing.position > 0) existing.position += 1;
    guild.roles.push(created);
    return created;
  }

  /** The bot's direct-message channel with someone, opened on first use as Discord does. */
  openDm(user: FakeUser): ChannelState {
    for (const channel of this.channels.values()) if (channel.recipient?.id === user.id) return channel;
    const channel: ChannelState = {
      id: snowflake(),
      name: "",
      guildId: null,
      recipient: user,
      botCanSend: true,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  post(
    channelId: string,
    body: MessageBody,
    files: RecordedFile[],
    interactionToken: string | null = null,
  ): StoredMessage {
    const channel = this.channels.get(channelId);
    const message: StoredMessage = {
      id: snowflake(),
      channelId,
      guildId: channel?.guildId ?? null,
      body: { ...body },
      files: files.map((file) => ({ ...file, id: snowflake() })),
      ephemeral: isEphemeral(body),
      createdAt: new Date().toISOString(),
      editedAt: null,
      interactionToken,
    };
    this.messages.set(message.id, message);
    return message;
  }

  /** The bot's message in this channel carrying `nonce`, made within the last few minutes. */
  withNonce(channelId: string, nonce: unknown): StoredMessage | undefined {
    if (typeof nonce !== "string" && typeof nonce !== "number") return undefined;
    const since = Date.now() - NONCE_WINDOW_MS;
    for (const message of this.messages.values()) {
      if (message.channelId !== channelId || message.body.nonce !== nonce) continue;
      if (Date.parse(message.createdAt) >= since) return message;
    }
    return undefined;
  }

  /** Applies an edit: given fields replace the old ones; `attachments` lists the files to keep. */
  edit(message: StoredMessage, body: MessageBody, files: RecordedFile[]): StoredMessage {
    const keep = body.attachments?.map((attachment) => String(attachment.id));
    const kept = keep === undefined ? message.files : message.files.filter((file) => keep.includes(file.id));
    message.files = [...kept, ...files.map((file) => ({ ...file, id: snowflake() }))];
    message.body = { ...message.body, ...body };
    // Editing a deferred reply replaces the "is thinking…" placeholder.
    if (message.body.flags !== undefined) message.body.flags &= ~MessageFlags.Loading;
    message.editedAt = new Date().toISOString();
    return message;
  }

  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((message) => message.channelId === channelId);
  }
}

function isEphemeral(body: MessageBody): boolean {
  return ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

function role(id: string, name: string, position: number, permissions: string, botId?: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position,
    permissions,
    managed: botId !== undefined,
    mentionable: false,
    flags: noFlags,
    ...(botId === undefined ? {} : { tags: { bot_id: botId } }),
  };
}
