/**
 * What a test holds after sending an interaction: the bot's answers to it, tied together by the
 * interaction's token, and ways to wait for them.
 */
import { InteractionResponseType } from "discord.js";
import type { MessageBody, RecordedFile, RecordedRequest, RequestLog } from "./requests.js";
import type { InteractionState, StoredMessage, World } from "./world.js";

/** The callback's data: a message, a modal (custom_id, title, components) or autocomplete choices. */
export interface CallbackData extends MessageBody {
  custom_id?: string;
  title?: string;
  choices?: { name: string; value: string | number }[];
}

export interface InteractionCallback {
  type: InteractionResponseType;
  data: CallbackData;
  files: RecordedFile[];
}

export class InteractionHandle {
  constructor(
    private readonly world: World,
    private readonly log: RequestLog,
    private readonly state: InteractionState,
    private readonly defaultTimeoutMs: number,
  ) {}

  get id(): string {
    return this.state.id;
  }

  get token(): string {
    return this.state.token;
  }

  /** The bot's one callback to this interaction: reply, deferral, modal, choices… */
  response(timeoutMs = this.defaultTimeoutMs): Promise<InteractionCallback> {
    return this.log.until(
      () => (this.state.callback ? structuredClone(this.state.callback) : undefined),
      `the bot to answer ${this.describe()}`,
      timeoutMs,
    );
  }

  /**
   * The reply as the person sees it: the callback's message, or after a deferral ("thinking…") the
   * message once the bot first edited it. Rejects when the bot answered with no message (a modal,
   * autocomplete choices).
   */
  final(timeoutMs = this.defaultTimeoutMs): Promise<StoredMessage> {
    return this.log.until(() => this.shown(), `the reply to ${this.describe()}`, timeoutMs);
  }

  /** The reply once it shows what `ready` looks for, such as a picture the bot edits in after the text. */
  finalWhere(
    ready: (message: StoredMessage) => boolean,
    what: string,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<StoredMessage> {
    return this.log.until(
      () => {
        const message = this.shown();
        return message && ready(message) ? message : undefined;
      },
      `the reply to ${this.describe()} with ${what}`,
      timeoutMs,
    );
  }

  /** The follow-up messages, once there are at least `count` of them. */
  followUps(count = 1, timeoutMs = this.defaultTimeoutMs): Promise<StoredMessage[]> {
    return this.log.until(
      () => {
        const sent = [...this.world.messages.values()].filter(
          (message) => message.interactionToken === this.token && message.id !== this.state.originalMessageId,
        );
        return sent.length >= count ? structuredClone(sent) : undefined;
      },
      `${count} follow-up(s) to ${this.describe()}`,
      timeoutMs,
    );
  }

  /** Every REST call the bot made about this interaction so far. */
  requests(): RecordedRequest[] {
    return this.log.entries.filter((entry) => entry.path.split("/").includes(this.token));
  }

  /** The reply as it stands, once there is one to see. */
  private shown(): StoredMessage | undefined {
    const { callback, originalEdits } = this.state;
    if (!callback) return undefined;
    switch (callback.type) {
      case InteractionResponseType.ChannelMessageWithSource:
      case InteractionResponseType.UpdateMessage:
        return this.original();
      case InteractionResponseType.DeferredChannelMessageWithSource:
      case InteractionResponseType.DeferredMessageUpdate:
        return originalEdits > 0 ? this.original() : undefined;
      default:
        throw new Error(
          `The bot answered ${this.describe()} with ${InteractionResponseType[callback.type]}, which shows no message; read response() instead.`,
        );
    }
  }

  private original(): StoredMessage | undefined {
    const message = this.world.messages.get(this.state.originalMessageId ?? "");
    return message && structuredClone(message);
  }

  private describe(): string {
    return `${this.state.label} (interaction ${this.state.id})`;
  }
}
