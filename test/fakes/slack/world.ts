/**
 * The fake's memory of the workspace as the bot changed it: messages in channels and DMs, views
 * opened and published, trigger ids and response_urls handed out, files uploaded.
 */
import { messageTs, responseUrlId, slackId, triggerId } from "./ids.js";
import {
  directChannelId,
  type FakeSlackBot,
  type FakeSlackChannel,
  type FakeSlackUser,
} from "./workspace.js";

/** A file shared into a channel by `files.completeUploadExternal`. */
export interface SharedFile {
  id: string;
  name: string;
  title: string;
  length: number;
}

/** A message as people in the channel would now see it (edits and replacements applied). */
export interface StoredMessage {
  /** The channel ("C…") or direct-message channel ("D…") it is in. */
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  /** The one person who sees it, for ephemeral messages; null when the whole channel does. */
  ephemeralTo: string | null;
  threadTs: string | null;
  files: SharedFile[];
  /** How the bot put it there. */
  via: "chat.postMessage" | "chat.postEphemeral" | "response_url" | "files.completeUploadExternal";
  edited: boolean;
}

/** A trigger id the fake sent with a slash command or button press; `views.open` may use it once. */
export interface Trigger {
  id: string;
  userId: string;
  /** What carried it, for failure messages: "slash command /quorum quiz". */
  source: string;
  issuedAtMs: number;
  used: boolean;
  /** Set by a test to try an expired trigger without waiting. */
  expired: boolean;
}

/** A response_url the fake sent; where the bot's posts to it land. */
export interface ResponseUrl {
  id: string;
  source: string;
  userId: string;
  channelId: string | null;
  /** The message a button was pressed on, which `replace_original`/`delete_original` change. */
  messageTs: string | null;
  posts: number;
}

/** A modal or Home tab view the bot opened, pushed or published, as it now stands. */
export interface StoredView {
  id: string;
  userId: string;
  /** The trigger `views.open` used; null for published Home views. */
  triggerId: string | null;
  /** The view as the bot last sent it (type, callback_id, title, blocks, private_metadata…). */
  view: Record<string, unknown>;
  updates: number;
}

/** One file going through the upload flow, from `files.getUploadURLExternal` to completion. */
export interface FakeUpload {
  fileId: string;
  filename: string;
  /** The `length` the bot announced; `bytes` holds what it then sent. */
  declaredLength: number;
  altText: string | null;
  /** The bytes POSTed to the upload URL; null until they arrive. */
  bytes: Uint8Array | null;
  completed: boolean;
  title: string | null;
  channelId: string | null;
  initialComment: string | null;
  threadTs: string | null;
}

export interface WorldOptions {
  teamId: string;
  teamDomain: string;
  bot: FakeSlackBot;
  users: FakeSlackUser[];
  channels: FakeSlackChannel[];
  triggerLifetimeMs: number;
}

export class World {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly bot: FakeSlackBot;
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  /** Direct-message channel id → the person it is with. */
  readonly directChannels = new Map<string, string>();
  readonly messages: StoredMessage[] = [];
  readonly triggers = new Map<string, Trigger>();
  readonly responseUrls = new Map<string, ResponseUrl>();
  readonly views = new Map<string, StoredView>();
  /** User id → the id of their Home tab view. */
  readonly homeViews = new Map<string, string>();
  readonly uploads = new Map<string, FakeUpload>();
  private readonly triggerLifetimeMs: number;

  constructor(options: WorldOptions) {
    this.teamId = options.teamId;
    this.teamDomain = options.teamDomain;
    this.bot = options.bot;
    this.triggerLifetimeMs = options.triggerLifetimeMs;
    for (const user of options.users) this.users.set(user.id, user);
    for (const channel of options.channels) this.channels.set(channel.id, channel);
  }

  /** The DM channel with this person, opened on first use as Slack does. */
  openDirectChannel(userId: string): string {
    const id = directChannelId(userId);
    this.directChannels.set(id, userId);
    return id;
  }

  /**
   * Where a post addressed to `target` goes: a known channel, a DM channel, or a user id (their DM
   * with the app). Undefined when Slack would say `channel_not_found`.
   */
  destination(target: string): { id: string; channel: FakeSlackChannel | null } | undefined {
    const channel = this.channels.get(target);
    if (channel) return { id: channel.id, channel };
    if (this.directChannels.has(target)) return { id: target, channel: null };
    if (this.users.has(target)) return { id: this.openDirectChannel(target), channel: null };
    return undefined;
  }

  addMessage(message: Omit<StoredMessage, "ts" | "edited">): StoredMessage {
    const stored: StoredMessage = { ...message, ts: messageTs(), edited: false };
    this.messages.push(stored);
    return stored;
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts);
  }

  removeMessage(message: StoredMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }

  messagesIn(channel: string): StoredMessage[] {
    return this.messages.filter((message) => message.channel === channel);
  }

  issueTrigger(userId: string, source: string): Trigger {
    const trigger: Trigger = {
      id: triggerId(),
      userId,
      source,
      issuedAtMs: Date.now(),
      used: false,
      expired: false,
    };
    this.triggers.set(trigger.id, trigger);
    return trigger;
  }

  /** Whether `views.open` may still use it: issued here, not used, and within its lifetime. */
  triggerProblem(id: string): "expired_trigger_id" | "exchanged_trigger_id" | null {
    const trigger = this.triggers.get(id);
    if (!trigger || trigger.expired || Date.now() - trigger.issuedAtMs > this.triggerLifetimeMs) {
      return "expired_trigger_id";
    }
    return trigger.used ? "exchanged_trigger_id" : null;
  }

  issueResponseUrl(source: Omit<ResponseUrl, "id" | "posts">): ResponseUrl {
    const responseUrl: ResponseUrl = { ...source, id: responseUrlId(), posts: 0 };
    this.responseUrls.set(responseUrl.id, responseUrl);
    return responseUrl;
  }

  storeView(userId: string, triggerId: string | null, view: Record<string, unknown>): StoredView {
    const stored: StoredView = { id: slackId("V"), userId, triggerId, view, updates: 0 };
    this.views.set(stored.id, stored);
    return stored;
  }

  /** The view as Slack answers with it: the bot's view plus the ids and state Slack adds. */
  viewOutput(stored: StoredView): Record<string, unknown> {
    return {
      private_metadata: "",
      callback_id: "",
      external_id: "",
      ...stored.view,
      id: stored.id,
      team_id: this.teamId,
      app_id: this.bot.appId,
      bot_id: this.bot.botId,
      state: { values: {} },
      hash: `${stored.id}.${stored.updates}`,
      root_view_id: stored.id,
      previous_view_id: null,
    };
  }

  newUpload(filename: string, declaredLength: number, altText: string | null): FakeUpload {
    const upload: FakeUpload = {
      fileId: slackId("F"),
      filename,
      declaredLength,
      altText,
      bytes: null,
      completed: false,
      title: null,
      channelId: null,
      initialComment: null,
      threadTs: null,
    };
    this.uploads.set(upload.fileId, upload);
    return upload;
  }
}
