/**
 * The fake's HTTP side, where the bot's requests arrive:
 *   POST /api/<method>       the Web API (form-encoded as @slack/web-api sends it, or JSON)
 *   POST /upload/<file id>   the bytes of a file, at the URL files.getUploadURLExternal handed out
 *   POST /response/<id>      replies to a slash command or button, at the response_url sent with it
 * Every request is recorded in the journal, including calls to methods the fake does not know.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { blocksProblem } from "./blocks.js";
import type { ApiAnswer, ApiCall, Journal, ResponseUrlBody } from "./journal.js";
import { failure, type Method } from "./method.js";
import type { ResponseUrl, World } from "./world.js";

/** Arguments the Web API client JSON-encodes inside a form body. */
const jsonArguments = new Set(["blocks", "attachments", "view", "files", "metadata", "unfurls"]);

/** Slack lets an app use a response_url five times. */
const responseUrlUses = 5;

export interface HttpOptions {
  world: World;
  journal: Journal;
  methods: Record<string, Method>;
  origin: () => string;
  /** When set, only this token is accepted (`invalid_auth` otherwise). */
  token: string | undefined;
  /** Errors queued by a test for a method's next calls. */
  queuedFailures: Map<string, string[]>;
}

export function httpHandler(options: HttpOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const [, area, name = ""] = url.pathname.split("/");
    try {
      const raw = await readRaw(request);
      if (area === "api") return reply(response, 200, answerApiCall(options, name, request, raw, url));
      if (area === "upload") return acceptUpload(options, name, request, raw, response);
      if (area === "response") return acceptResponse(options, name, raw, response);
      reply(response, 404, { ok: false, error: "not_found" });
    } catch (error) {
      // A bug in the fake, or a body it cannot read, should be loud rather than a hang.
      const problem = error instanceof Error ? (error.stack ?? error.message) : String(error);
      reply(response, 500, { ok: false, error: `fake Slack failed: ${problem}` });
    }
  };
}

function answerApiCall(
  options: HttpOptions,
  method: string,
  request: IncomingMessage,
  raw: Buffer,
  url: URL,
): ApiAnswer {
  const { args, encoding } = decodeArguments(request.headers["content-type"] ?? "", raw, url.searchParams);
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  const { token: tokenArgument, ...rest } = args;
  const token = bearer ?? (typeof tokenArgument === "string" ? tokenArgument : null);
  const handler = options.methods[method];
  const queued = options.queuedFailures.get(method)?.shift();
  let answer: ApiAnswer;
  if (!handler) answer = failure("unknown_method");
  else if (token === null) answer = failure("not_authed");
  else if (options.token !== undefined && token !== options.token) answer = failure("invalid_auth");
  else if (queued !== undefined) answer = failure(queued);
  else answer = handler({ world: options.world, args: rest, origin: options.origin() });
  const call: Omit<ApiCall, "seq"> = { kind: "api", method, args: rest, token, encoding, answer };
  options.journal.add(call);
  return answer;
}

function decodeArguments(
  contentType: string,
  raw: Buffer,
  query: URLSearchParams,
): { args: Record<string, unknown>; encoding: ApiCall["encoding"] } {
  const args: Record<string, unknown> = Object.fromEntries(query);
  const text = raw.toString("utf8");
  if (contentType.startsWith("application/json")) {
    const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    return { args: { ...args, ...body }, encoding: "json" };
  }
  if (!contentType.startsWith("application/x-www-form-urlencoded")) return { args, encoding: "none" };
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = jsonArguments.has(key) ? parsedOrText(value) : value;
  }
  return { args, encoding: "form" };
}

function parsedOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function acceptUpload(
  options: HttpOptions,
  fileId: string,
  request: IncomingMessage,
  raw: Buffer,
  response: ServerResponse,
): Promise<void> {
  const upload = options.world.uploads.get(fileId);
  const bytes = await uploadedBytes(request.headers["content-type"] ?? "", raw);
  const status = upload && !upload.completed ? 200 : 404;
  if (upload && status === 200) upload.bytes = bytes;
  const filename = upload?.filename ?? "(unknown file)";
  options.journal.add({ kind: "upload", fileId, filename, length: bytes.length, bytes, status });
  response.writeHead(status, { "content-type": "text/plain" });
  response.end(status === 200 ? `OK - ${bytes.length}` : "file not found");
}

/** The file's bytes: the web-api client sends one multipart part, other clients the raw body. */
async function uploadedBytes(contentType: string, raw: Buffer): Promise<Uint8Array> {
  if (!contentType.startsWith("multipart/form-data")) return new Uint8Array(raw);
  // The URL is never fetched; Request is only the multipart parser Node ships.
  const form = await new Request("http://127.0.0.1/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: raw,
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== "string") return new Uint8Array(await value.arrayBuffer());
  }
  return new Uint8Array(0);
}

function acceptResponse(options: HttpOptions, id: string, raw: Buffer, response: ServerResponse): void {
  const { world, journal } = options;
  const target = world.responseUrls.get(id);
  const body = parsedOrText(raw.toString("utf8"));
  const isObject = typeof body === "object" && body !== null && !Array.isArray(body);
  const posted: ResponseUrlBody = isObject ? (body as ResponseUrlBody) : { unreadable: raw.toString("utf8") };
  const problem = blocksProblem(posted.blocks, "message");
  const refusal = !target
    ? { status: 404, answer: failure("expired_url") }
    : target.posts >= responseUrlUses
      ? { status: 404, answer: failure("used_url") }
      : !isObject
        ? { status: 400, answer: failure("invalid_payload", "a response_url takes a JSON object") }
        : problem
          ? { status: 400, answer: failure("invalid_blocks", problem) }
          : null;
  if (target && !refusal) {
    target.posts += 1;
    applyResponse(world, target, posted);
  }
  const status = refusal?.status ?? 200;
  const source = target?.source ?? "an unknown response_url";
  journal.add({ kind: "response", responseUrlId: id, source, body: posted, status });
  reply(response, status, refusal?.answer ?? { ok: true });
}

/** What people see after a response_url post: a new message, or the pressed message replaced or gone. */
function applyResponse(world: World, target: ResponseUrl, posted: ResponseUrlBody): void {
  const original =
    target.channelId && target.messageTs ? world.message(target.channelId, target.messageTs) : undefined;
  if (posted.delete_original === true) {
    if (original) world.removeMessage(original);
    return;
  }
  const text = typeof posted.text === "string" ? posted.text : "";
  const blocks = Array.isArray(posted.blocks) ? posted.blocks : [];
  if (posted.replace_original === true && original) {
    Object.assign(original, { text, blocks, edited: true });
    return;
  }
  if (!target.channelId) return;
  world.addMessage({
    channel: target.channelId,
    text,
    blocks,
    ephemeralTo: posted.response_type === "in_channel" ? null : target.userId,
    threadTs: null,
    files: [],
    via: "response_url",
  });
}

async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}
