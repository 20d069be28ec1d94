/**
 * Text helpers for keeping credentials and learners' queries out of the log. No pino here, so the
 * adapters that forward a library's own log lines (Bolt) can use them too.
 */
import { createHash } from "node:crypto";

/** What a removed credential becomes. */
export const REDACTED = "[redacted]";

/** Free text (a message, an error's message) is cut after this many characters. */
export const TEXT_LIMIT = 200;

/**
 * Shorter configured secrets are not scrubbed: they would match ordinary words, and every real
 * credential the bot holds is far longer.
 */
const MIN_SECRET_LENGTH = 8;

/** Cuts long text to a prefix that says it was cut and by how much. */
export function clip(text: string, limit = TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… [cut, ${text.length} chars in all]`;
}

/** Stands in for text that must not be logged: its length and a short hash, enough to tell two apart. */
export function describeText(text: string): string {
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return `[${text.length} chars, sha256:${hash}]`;
}

/** A path separator as it may be written: plain, JSON-escaped (once or more) or URL-encoded. */
const sep = String.raw`(?:\\*\/|%2F)`;

/** One path segment, up to the next separator, query, quote or escape: a credential in a URL. */
const segment = String.raw`[^\s/?#&"'\\%]+`;

/** `<sep><path><sep><secret>`, the path and separators kept as $1: only the secret goes. */
function afterPath(path: string, secret = segment): RegExp {
  return new RegExp(`(${sep}${path}${sep})${secret}`, "g");
}

/** Credentials recognisable by their shape, whether or not they are this bot's own. */
const tokenShapes: readonly { pattern: RegExp; replacement: string }[] = [
  // Discord interaction callbacks and webhooks (interaction replies, channel webhooks): the segment
  // after the id lets anyone answer as the bot, on any host, API version or encoding of the URL.
  { pattern: afterPath(String.raw`interactions${sep}\d{1,20}`), replacement: `$1${REDACTED}` },
  { pattern: afterPath(String.raw`webhooks${sep}\d{1,20}`), replacement: `$1${REDACTED}` },
  // An interaction token on its own: base64 of "interaction:<id>:<secret>".
  { pattern: /\baW50ZXJhY3Rpb24[A-Za-z0-9_.=~-]{16,}/g, replacement: REDACTED },
  // Slack bot, user, config and refresh tokens (xoxb-, xoxp-, xoxe.xoxp-…) and app-level tokens.
  { pattern: /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}/g, replacement: REDACTED },
  { pattern: /\bxapp-[A-Za-z0-9-]{6,}/g, replacement: REDACTED },
  // Discord bot tokens: base64 user id, timestamp, HMAC, separated by dots.
  { pattern: /[A-Za-z0-9_-]{23,32}\.[A-Za-z0-9_-]{5,8}\.[A-Za-z0-9_-]{25,}/g, replacement: REDACTED },
  // Whatever follows an authorization scheme is a credential, whatever its shape.
  { pattern: /\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replacement: `$1 ${REDACTED}` },
  // Slack response_url and incoming webhooks carry their credential in the path: all of it goes.
  {
    pattern: new RegExp(
      String.raw`(hooks\.slack(?:-gov)?\.com${sep}(?:commands|actions|services|workflows|triggers)${sep})(?:[^\s"'\\&]|\\+\/)+`,
      "g",
    ),
    replacement: `$1${REDACTED}`,
  },
  // The response_url shapes on another host: /commands/<team>/<id>/<secret>, /actions/… likewise.
  {
    pattern: afterPath(String.raw`(?:commands|actions)${sep}[TE][A-Z0-9]+${sep}\d+`),
    replacement: `$1${REDACTED}`,
  },
  // A value named response_url (JSON, form or query, escaped or not), wherever it points.
  {
    pattern: /((?:\\*["'])?response_?url(?:\\*["'])?\s*[:=]\s*(?:\\*["'])?)(?:[^\s"'\\&,}]|\\+\/)+/gi,
    replacement: `$1${REDACTED}`,
  },
];

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The last pass over a whole log line: every configured secret, raw or as JSON escapes it, and every
 * token-shaped string become `[redacted]`.
 */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is removed whole.
  const known =
    forms.size === 0
      ? undefined
      : new RegExp(
          [...forms]
            .sort((a, b) => b.length - a.length)
            .map(escapeForRegExp)
            .join("|"),
          "g",
        );
  return (line) => {
    let scrubbed = known ? line.replace(known, REDACTED) : line;
    for (const { pattern, replacement } of tokenShapes) scrubbed = scrubbed.replace(pattern, replacement);
    return scrubbed;
  };
}
