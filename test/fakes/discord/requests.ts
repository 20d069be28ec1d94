import type { IncomingMessage } from "node:http";
import type { APIEmbed, APIMessageTopLevelComponent } from "discord.js";
import { Waiters } from "../waiters.js";

/** A file the bot uploaded (multipart `files[n]`). */
export interface RecordedFile {
  /** The form field, e.g. "files[0]". */
  field: string;
  name: string;
  contentType: string;
  size: number;
  bytes: Uint8Array;
}

/** The JSON of a message the bot sent: the fields tests read by name, and whatever else it set. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  attachments?: { id: string | number; filename?: string; description?: string }[];
  [field: string]: unknown;
}

/** One REST call the bot made, as the fake saw and answered it. */
export interface RecordedRequest {
  method: string;
  /** Without the `/api/v10` prefix and percent-decoded: `/webhooks/1/abc/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** The route that answered, e.g. "POST /channels/:channel/messages"; null when none matched (404). */
  route: string | null;
  /** The decoded JSON payload (from `payload_json` when multipart), or null when there was none. */
  body: unknown;
  files: RecordedFile[];
  /** Whether it carried an Authorization header (interaction callbacks and webhooks must not). */
  authorized: boolean;
  status: number;
  /** What the fake answered, parsed; null for an empty answer. */
  response: unknown;
}

/** Reads a request body as Discord's REST API accepts it: JSON, or multipart with `payload_json`. */
export async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = request.headers["content-type"] ?? "";
  if (raw.length === 0) return { body: null, files: [] };
  if (!type.startsWith("multipart/form-data")) return { body: JSON.parse(raw.toString("utf8")), files: [] };

  // The URL is never fetched; Request is only the standard multipart parser Node ships.
  const form = await new Request("http://127.0.0.1/", {
    method: "POST",
    headers: { "content-type": type },
    body: raw,
  }).formData();
  let body: unknown = null;
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") {
      if (field === "payload_json") body = JSON.parse(value);
      continue;
    }
    const bytes = new Uint8Array(await value.arrayBuffer());
    files.push({ field, name: value.name, contentType: value.type, size: bytes.byteLength, bytes });
  }
  return { body, files };
}

/**
 * Every request the fake answered, in order, and a way to wait until something about them (or about
 * the state they changed) becomes true.
 */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];
  private readonly waiters = new Waiters("Fake Discord", () => this.describe());

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    this.waiters.poke();
  }

  /** Resolves with the first defined value `probe` returns, probing now and after each new record. */
  until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return this.waiters.until(probe, what, timeoutMs);
  }

  /** A readable list of what was received, for failure messages. */
  describe(): string {
    if (this.entries.length === 0) return "It received no REST requests at all.";
    const lines = this.entries.map((entry) => {
      const payload = entry.body === null ? "" : ` ${shorten(JSON.stringify(entry.body))}`;
      const files = entry.files.length > 0 ? ` +files ${entry.files.map((f) => f.name).join(", ")}` : "";
      const unmatched = entry.route === null ? " (no such route)" : "";
      return `  ${entry.method} ${entry.path} → ${entry.status}${unmatched}${payload}${files}`;
    });
    return `It received ${this.entries.length} REST requests:\n${lines.join("\n")}`;
  }
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
