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

/** Credentials recognisable by their shape, whether or not they are this bot's own. */
const tokenShapes: readonly { pattern: RegExp; replacement: string }[] = [
  // Slack bot, user, config and refresh tokens (xoxb-, xoxp-, xoxe.xoxp-…) and app-level tokens.
  { pattern: /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}/g, replacement: REDACTED },
  { pattern: /\bxapp-[A-Za-z0-9-]{6,}/g, replacement: REDACTED },
  // Discord bot tokens: base64 user id, timestamp, HMAC, separated by dots.
  { pattern: /[A-Za-z0-9_-]{23,32}\.[A-Za-z0-9_-]{5,8}\.[A-Za-z0-9_-]{25,}/g, replacement: REDACTED },
  // Whatever follows an authorization scheme is a credential, whatever its shape.
  { pattern: /\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replacement: `$1 ${REDACTED}` },
  // Discord interaction webhooks: the last segment lets anyone answer as the bot for 15 minutes.
  { pattern: /(\/webhooks\/\d+\/)[A-Za-z0-9_.-]{20,}/g, replacement: `$1${REDACTED}` },
  // Slack response_url and incoming webhooks carry their credential in the path.
  {
    pattern: /(hooks\.slack\.com\/(?:commands|actions|services|workflows|triggers)\/)[^\s"'\\]+/g,
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
