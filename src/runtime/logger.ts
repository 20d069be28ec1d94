/**
 * The bot's log: pino JSON lines (or pino-pretty's form for a person at a terminal), written
 * synchronously so a crash keeps its last lines. Credentials and learners' queries are kept out three
 * ways: fields by name (`redactFields`), errors by what they may carry (`serializeError`), and a last
 * scrub of every written line for the configured secrets and anything token-shaped.
 */
import { type DestinationStream, type Logger, pino } from "pino";
import { prettyFactory } from "pino-pretty";
import { clip, describeText, REDACTED, secretScrubber } from "./logger-text.js";

export interface LoggerOptions {
  level: string;
  /** pino-pretty's readable lines instead of JSON; see `wantsPrettyLogs`. */
  pretty: boolean;
  /** Values that must never be written (tokens, signing secrets), wherever they turn up. */
  secrets: readonly string[];
  /** A file descriptor (default 2, stderr: stdout carries the terminal chat's replies) or a stream. */
  destination?: NodeJS.WritableStream | number;
}

/** Field names whose values are credentials. */
const credentialFields = [
  "token",
  "botToken",
  "appToken",
  "accessToken",
  "refreshToken",
  "signingSecret",
  "clientSecret",
  "secret",
  "password",
  "authorization",
  "Authorization",
  "cookie",
  "apiKey",
];

/**
 * Field names that may hold what a learner wrote, or a request or reply that quotes it: the query
 * itself, a command's text and Discord options, Slack request bodies and form state, the reply sent back.
 */
const learnerTextFields = [
  "query",
  "sql",
  "solution",
  "text",
  "line",
  "content",
  "options",
  "body",
  "rawBody",
  "payload",
  // A Slack view's typed text is under `state`; `view` itself is also logged as a callback id.
  "state",
  "blocks",
  "response",
  "requestBody",
  "submission",
];

const credentials = new Set(credentialFields);
const learnerText = new Set(learnerTextFields);

/** How deep into a logged object names are looked at; deeper values are logged as they are. */
const REDACT_DEPTH = 8;

/** Whether a field of this name is never logged as it is. */
function isSensitive(name: string): boolean {
  return credentials.has(name) || learnerText.has(name);
}

/** A sensitive field's value: learner text keeps its length and a hash (to tell attempts apart). */
function censor(name: string, value: unknown): string {
  return learnerText.has(name) && typeof value === "string" ? describeText(value) : REDACTED;
}

/**
 * The logged object with every sensitive field replaced, at any depth, copying only what changes.
 * Errors are left to `serializeError`. Done here rather than with pino's `redact` paths: those reach
 * only the depths listed, and wildcard paths for these names three deep cost about 50 µs a line, this 1.
 */
function redactFields(value: unknown, depth = 0): unknown {
  if (depth > REDACT_DEPTH || value === null || typeof value !== "object" || value instanceof Error) {
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => redactFields(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [name, field] of Object.entries(value)) {
    const next = isSensitive(name) ? censor(name, field) : redactFields(field, depth + 1);
    if (next === field) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    copy[name] = next;
  }
  return copy ?? value;
}

/** How many causes deep an error is followed. */
const CAUSE_DEPTH = 3;

/** An error's stack with its first part (the message, which may quote a query) cut like the message. */
function clipStack(stack: string): string {
  const frames = stack.search(/\n\s+at /);
  return frames === -1 ? clip(stack) : `${clip(stack.slice(0, frames))}${stack.slice(frames)}`;
}

/**
 * An error as it is logged: type, message and stack, its scalar fields (code, status, method…), its
 * causes. Text is clipped, since a database error quotes the query it failed on; it is scrubbed first,
 * so a cut cannot leave part of a token no shape recognises (or hide a URL's path behind one).
 * Object-valued fields are left out: platform clients keep the request they sent on their errors
 * (discord.js `requestBody`, axios `config` with its headers and body).
 */
function serializeError(
  error: unknown,
  depth = 0,
  scrub: (text: string) => string = (text) => text,
): unknown {
  if (typeof error === "string") return clip(scrub(error));
  if (!(error instanceof Error)) return error;
  const serialized: Record<string, unknown> = {
    type: error.constructor.name || error.name,
    message: clip(scrub(error.message)),
  };
  if (error.stack) serialized.stack = clipStack(scrub(error.stack));
  for (const [key, value] of Object.entries(error)) {
    if (key in serialized || key === "cause" || key === "errors") continue;
    if (isSensitive(key)) serialized[key] = censor(key, value);
    else if (typeof value === "string") serialized[key] = clip(scrub(value));
    else if (typeof value === "number" || typeof value === "boolean" || value === null)
      serialized[key] = value;
  }
  if (error.cause !== undefined && depth < CAUSE_DEPTH) {
    serialized.cause = serializeError(error.cause, depth + 1, scrub);
  }
  if (error instanceof AggregateError && depth < CAUSE_DEPTH) {
    serialized.errors = (error.errors as unknown[])
      .slice(0, 5)
      .map((inner) => serializeError(inner, depth + 1, scrub));
  }
  return serialized;
}

/** Readable logs for a person at a terminal during development; JSON for machines everywhere else. */
export function wantsPrettyLogs(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && env.NODE_ENV !== "production";
}

/** Where lines go, written before `write` returns: a crash right after a line must not lose it. */
function syncTarget(destination: NodeJS.WritableStream | number): DestinationStream {
  if (typeof destination === "number") return pino.destination({ fd: destination, sync: true });
  return { write: (line: string) => void destination.write(line) };
}

/** pino-pretty in-process: each JSON line formatted and written at once, not through a worker. */
function prettyTarget(destination: NodeJS.WritableStream | number): DestinationStream {
  const target = syncTarget(destination);
  const format = prettyFactory({
    // Colours only for a terminal (a stream given here is a file or a test), and not when NO_COLOR says so.
    colorize: typeof destination === "number" && process.env.NO_COLOR === undefined,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
  });
  return { write: (line: string) => target.write(format(line)) };
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 2;
  const scrub = secretScrubber(options.secrets);
  const serialize = (error: unknown) => serializeError(error, 0, scrub);
  return pino(
    {
      level: options.level,
      base: null,
      serializers: { err: serialize, error: serialize },
      formatters: { log: (fields) => redactFields(fields) as Record<string, unknown> },
      hooks: {
        // Messages are constants in Quorum's own calls; Bolt's forwarded lines can be anything, so they are
        // scrubbed before they are cut: a cut must not leave part of a token no shape recognises.
        logMethod(args, method) {
          const clipped = args.map((arg) => (typeof arg === "string" ? clip(scrub(arg)) : arg));
          method.apply(this, clipped as Parameters<typeof method>);
        },
        streamWrite: scrub,
      },
    },
    options.pretty ? prettyTarget(destination) : syncTarget(destination),
  );
}
