/**
 * Playing Slack towards the bot: signed requests POSTed to its `/slack/events`, as Slack sends them
 * when someone runs `/quorum`, presses a button, submits a form or opens the Home tab. Each sent
 * interaction keeps its trigger_id and response_url, so a test can wait for exactly the bot's
 * answers to it.
 */
import type { ApiCall, Journal, ResponsePost } from "./journal.js";
import {
  appHomeOpened,
  type BlockActionInput,
  type Built,
  blockAction,
  eventCallback,
  type Person,
  type SlashCommandInput,
  slashCommand,
  type ViewSubmissionInput,
  viewSubmission,
} from "./payloads.js";
import { nowInSeconds, signRequest } from "./signing.js";
import type { StoredView, World } from "./world.js";

/** Ways to send a request Slack would not, to test the bot turns it away. */
export interface SendOptions {
  /** Seconds since the epoch; default now. An old or future one tests the replay window. */
  timestamp?: number;
  /** Sign with another secret, to forge the signature. */
  secret?: string;
  /** Send `X-Slack-Retry-Num` (and the reason), as Slack does when it redelivers. */
  retryNum?: number | string;
  retryReason?: string;
}

/** How the bot answered the HTTP request itself. */
export interface BotAnswer {
  status: number;
  body: string;
  /** The body parsed as JSON; null when it was empty or not JSON. */
  json: unknown;
}

/** An HTTP request exactly as sent, to send again or to vary. */
export interface RawRequest {
  method?: string;
  /** Default the events path of the bot's URL. */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A slash command, button press or form submission the bot was sent, and ways to see its answers. */
export interface SentInteraction extends BotAnswer {
  triggerId: string;
  /** Null for form submissions and Home tab presses, which Slack sends without one. */
  responseUrl: string | null;
  responseUrlId: string | null;
  /** The bot's posts to this response_url, once there are at least `count` of them. */
  responses(count?: number, timeoutMs?: number): Promise<ResponsePost[]>;
  /** The modal the bot opened with this trigger_id. */
  openedView(timeoutMs?: number): Promise<StoredView>;
  /** The Web API calls the bot made since this was sent, in order. */
  laterCalls(): ApiCall[];
}

/** The parts of the fake a sender works with; `fake.backend` provides them. */
export interface SenderBackend {
  world: World;
  journal: Journal;
  origin: string;
  timeoutMs: number;
}

export interface SlackSenderOptions {
  /** Where the bot takes Slack's requests, e.g. "http://127.0.0.1:3000/slack/events". */
  botUrl: string;
  signingSecret: string;
  fake: { backend: SenderBackend };
}

export function slackSender(options: SlackSenderOptions): SlackSender {
  return new SlackSender(options.botUrl, options.signingSecret, options.fake.backend);
}

export class SlackSender {
  /** The last signed request sent, headers and body as they went. */
  lastSent: RawRequest | undefined;

  constructor(
    readonly botUrl: string,
    private readonly signingSecret: string,
    private readonly backend: SenderBackend,
  ) {}

  /** Someone runs `/quorum <text>` in a channel (or a DM, with a "D…" channel). */
  async slashCommand(input: SlashCommandInput, options: SendOptions = {}): Promise<SentInteraction> {
    return this.interact(slashCommand(this.backend.world, this.backend.origin, input), options);
  }

  /** Someone presses a button on a message, or on their Home tab (`onHome: true`). */
  async blockAction(input: BlockActionInput, options: SendOptions = {}): Promise<SentInteraction> {
    return this.interact(blockAction(this.backend.world, this.backend.origin, input), options);
  }

  /** Someone submits a form; `formValues(view, answers)` builds its state from the opened view. */
  async viewSubmission(input: ViewSubmissionInput, options: SendOptions = {}): Promise<SentInteraction> {
    return this.interact(viewSubmission(this.backend.world, input), options);
  }

  /** An Events API callback around `event`; pass `eventId` again to send a redelivery. */
  async event(
    event: Record<string, unknown> & { type: string },
    options: SendOptions & { eventId?: string } = {},
  ): Promise<BotAnswer> {
    return this.send(eventCallback(this.backend.world, event, options.eventId), options);
  }

  /** Someone opens the app's Home tab. */
  async appHomeOpened(user: Person, options: SendOptions & { eventId?: string } = {}): Promise<BotAnswer> {
    return this.event(appHomeOpened(this.backend.world, user), options);
  }

  /** Slack checking the request URL; a working app echoes the challenge. */
  async urlVerification(options: SendOptions = {}): Promise<BotAnswer & { challenge: string }> {
    const challenge = `challenge-${Math.random().toString(36).slice(2)}`;
    const body = JSON.stringify({ token: "fake-verification-token", challenge, type: "url_verification" });
    const built: Built = {
      body,
      contentType: "application/json",
      label: "url_verification",
      trigger: null,
      responseUrl: null,
    };
    return { ...(await this.send(built, options)), challenge };
  }

  private async interact(built: Built, options: SendOptions): Promise<SentInteraction> {
    const { journal, origin, timeoutMs } = this.backend;
    const { trigger, responseUrl, label } = built;
    if (!trigger) throw new Error(`Fake Slack: ${label} carries no trigger_id.`);
    const sentAfter = journal.entries.length;
    const answer = await this.send(built, options);
    const postsTo = (id: string) =>
      journal.entries.filter(
        (entry): entry is ResponsePost => entry.kind === "response" && entry.responseUrlId === id,
      );
    return {
      ...answer,
      triggerId: trigger.id,
      responseUrl: responseUrl ? `${origin}/response/${responseUrl.id}` : null,
      responseUrlId: responseUrl?.id ?? null,
      responses: (count = 1, wait = timeoutMs) => {
        if (!responseUrl)
          return Promise.reject(new Error(`Fake Slack: ${label} was sent without a response_url.`));
        return journal.until(
          () => {
            const posts = postsTo(responseUrl.id);
            return posts.length >= count ? posts : undefined;
          },
          `${count} post(s) to the response_url of ${label}`,
          wait,
        );
      },
      openedView: (wait = timeoutMs) =>
        journal.until(
          () => [...this.backend.world.views.values()].find((view) => view.triggerId === trigger.id),
          `a modal opened with the trigger_id of ${label}`,
          wait,
        ),
      laterCalls: () =>
        journal.entries.slice(sentAfter).filter((entry): entry is ApiCall => entry.kind === "api"),
    };
  }

  /** Any request at all to the bot's port, as an attacker would send it. */
  async raw(request: RawRequest): Promise<BotAnswer> {
    const url = new URL(request.path ?? new URL(this.botUrl).pathname, this.botUrl);
    const method = request.method ?? "POST";
    const init: RequestInit = { method, headers: request.headers ?? {} };
    if (request.body !== undefined && method !== "GET" && method !== "HEAD") init.body = request.body;
    const response = await fetch(url, init);
    const body = await response.text();
    return { status: response.status, body, json: parsedJson(body) };
  }

  /** A body signed with the signing secret (or another), as Slack would send it. */
  signed(body: string, contentType: string, options: SendOptions = {}): RawRequest {
    const headers: Record<string, string> = {
      "Content-Type": contentType,
      ...signRequest(body, options.secret ?? this.signingSecret, options.timestamp ?? nowInSeconds()),
    };
    if (options.retryNum !== undefined) headers["X-Slack-Retry-Num"] = String(options.retryNum);
    if (options.retryReason !== undefined) headers["X-Slack-Retry-Reason"] = options.retryReason;
    return { method: "POST", headers, body };
  }

  private async send(built: Built, options: SendOptions): Promise<BotAnswer> {
    const secret = options.secret ?? this.signingSecret;
    const headers: Record<string, string> = {
      // Exactly this: Bolt refuses a form body whose content type carries a charset.
      "Content-Type": built.contentType,
      ...signRequest(built.body, secret, options.timestamp ?? nowInSeconds()),
    };
    if (options.retryNum !== undefined) headers["X-Slack-Retry-Num"] = String(options.retryNum);
    if (options.retryReason !== undefined) headers["X-Slack-Retry-Reason"] = options.retryReason;
    this.lastSent = { method: "POST", headers: { ...headers }, body: built.body };
    let response: Response;
    try {
      response = await fetch(this.botUrl, { method: "POST", headers, body: built.body });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error.message) : error;
      throw new Error(
        `Fake Slack could not deliver the ${built.label} to the bot at ${this.botUrl}: ${String(reason)}`,
      );
    }
    const body = await response.text();
    return { status: response.status, body, json: parsedJson(body) };
  }
}

function parsedJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
