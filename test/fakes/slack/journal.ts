/**
 * Everything the bot sent the fake, in the order it arrived, and a way to wait until something about
 * it (or the state it changed) becomes true. Failures list what did arrive, so a test that times out
 * says what the bot did instead.
 */

import { Waiters } from "../waiters.js";

/** What a Web API method answered: always HTTP 200, `ok` says whether it worked. */
export interface ApiAnswer {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

/** One Web API call: `POST /api/<method>`. */
export interface ApiCall {
  kind: "api";
  /** Its place among everything the fake received, from 1. */
  seq: number;
  method: string;
  /** The arguments, decoded: form fields as strings, with `blocks`, `view`, `files`… parsed from JSON. */
  args: Record<string, unknown>;
  /** The Bearer token (or `token` argument); null when there was none. */
  token: string | null;
  /** How the body came: form-encoded (as @slack/web-api sends), JSON, or neither (arguments from the query only). */
  encoding: "form" | "json" | "none";
  answer: ApiAnswer;
}

/** The bytes the bot POSTed to an upload URL from `files.getUploadURLExternal`. */
export interface UploadPost {
  kind: "upload";
  seq: number;
  fileId: string;
  filename: string;
  length: number;
  bytes: Uint8Array;
  status: number;
}

/** What the bot may send to a response_url. */
export interface ResponseUrlBody {
  text?: string;
  blocks?: Record<string, unknown>[];
  /** Slack's default is "ephemeral". */
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
  delete_original?: boolean;
  [field: string]: unknown;
}

/** One POST to a response_url the fake handed out. */
export interface ResponsePost {
  kind: "response";
  seq: number;
  responseUrlId: string;
  /** What carried the response_url: "slash command /quorum quiz", "button quorum:answer"… */
  source: string;
  body: ResponseUrlBody;
  /** 200, or 404 for an unknown or used-up response_url. */
  status: number;
}

export type Received = ApiCall | UploadPost | ResponsePost;

type Entry = Omit<ApiCall, "seq"> | Omit<UploadPost, "seq"> | Omit<ResponsePost, "seq">;

export class Journal {
  readonly entries: Received[] = [];
  private readonly waiters = new Waiters("Fake Slack", () => this.describe());

  add<E extends Entry>(entry: E): E & { seq: number } {
    const recorded = { ...entry, seq: this.entries.length + 1 };
    this.entries.push(recorded as Received);
    this.waiters.poke();
    return recorded;
  }

  /** Probes again now: for state that changed without a new entry (a test expiring a trigger). */
  poke(): void {
    this.waiters.poke();
  }

  /** Resolves with the first defined value `probe` returns, probing now and after each new entry. */
  until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return this.waiters.until(probe, what, timeoutMs);
  }

  /** A readable list of what arrived, for failure messages. */
  describe(): string {
    if (this.entries.length === 0) return "It received nothing from the bot at all.";
    const count = this.entries.length === 1 ? "1 request" : `${this.entries.length} requests`;
    return `It received ${count} from the bot:\n${this.entries.map(describeEntry).join("\n")}`;
  }
}

export function describeEntry(entry: Received): string {
  switch (entry.kind) {
    case "api": {
      const outcome = entry.answer.ok ? "ok" : `error ${entry.answer.error}`;
      return `  #${entry.seq} ${entry.method} → ${outcome} ${shorten(JSON.stringify(entry.args))}`;
    }
    case "upload":
      return `  #${entry.seq} upload of ${entry.filename} (${entry.length} bytes) → ${entry.status}`;
    case "response":
      return `  #${entry.seq} response_url of ${entry.source} → ${entry.status} ${shorten(JSON.stringify(entry.body))}`;
  }
}

function shorten(text: string): string {
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}
