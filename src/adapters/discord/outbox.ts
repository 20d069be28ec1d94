import { createHash } from "node:crypto";
import { type Client, DiscordAPIError, Events } from "discord.js";
import type { Message } from "../../core/messages.js";
import type { ChatOutbox, SendOutcome, SendProblem } from "../../core/ports/outbox.js";
import { channelPlace } from "./channels.js";
import { renderMessage } from "./render/message.js";

// Discord's JSON error codes that mean the target is gone or closed to the bot.
const GONE = new Set([10003, 10004, 10013]);
const FORBIDDEN = new Set([50001, 50007, 50013]);

function problemOf(error: unknown): { problem: SendProblem; detail: string; retryAfterMs?: number } {
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === "number" ? error.code : Number(error.code);
    const detail = `${error.status} ${error.message}`;
    if (GONE.has(code) || error.status === 404) return { problem: "channel-gone", detail };
    if (FORBIDDEN.has(code) || error.status === 403) return { problem: "forbidden", detail };
    if (error.status === 429) return { problem: "rate-limited", detail, retryAfterMs: 5_000 };
    return { problem: "transient", detail };
  }
  return { problem: "transient", detail: error instanceof Error ? error.message : String(error) };
}

/** Discord drops a second message with the same nonce (≤ 25 characters) sent within minutes. */
function nonceOf(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 25);
}

async function sendParts(
  channel: { send: (payload: never) => Promise<{ id: string }> },
  message: Message,
  key: string | undefined,
): Promise<string | null> {
  let firstId: string | null = null;
  const parts = renderMessage(message, { ephemeral: false });
  for (const [index, part] of parts.entries()) {
    const payload = key ? { ...part, nonce: nonceOf(`${key}#${index}`), enforceNonce: true } : part;
    const sent = await channel.send(payload as never);
    firstId ??= sent.id;
  }
  return firstId;
}

/** How long a post waits for the gateway session before it is retried later instead. */
const CONNECT_WAIT_MS = 15_000;

/**
 * Resolves true once the client is ready. The scheduler's first tick runs during login, when REST may
 * have no token yet; waiting sends those posts now rather than failing them for a retry minutes later.
 */
function connected(client: Client): Promise<boolean> {
  if (client.isReady()) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off(Events.ClientReady, onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), CONNECT_WAIT_MS);
    // Waiting never keeps a stopping process alive.
    timer.unref();
    client.once(Events.ClientReady, onReady);
  });
}

const notConnected = { ok: false, problem: "transient", detail: "not connected to Discord yet" } as const;

/**
 * Scheduled posts and moderator notices through discord.js, whose REST queue keeps to Discord's
 * rate limits (global 50 requests per second and each route's own).
 */
export function discordOutbox(client: Client): ChatOutbox {
  return {
    async send(target, message, key): Promise<SendOutcome> {
      if (!(await connected(client))) return notConnected;
      try {
        // A server of another shard is not in this client's cache, yet any process may post there.
        const channel = await client.channels.fetch(target.channelExternalId, { allowUnknownGuild: true });
        // Checked on every post: an id stored before the check existed may name another server's channel.
        const place = channelPlace(channel, target.spaceExternalId);
        if (!place.ok) {
          const problem = place.reason === "unknown" ? "channel-gone" : "forbidden";
          return { ok: false, problem, detail: place.detail };
        }
        return { ok: true, messageId: await sendParts(place.channel, message, key) };
      } catch (error) {
        return { ok: false, ...problemOf(error) };
      }
    },
    async notify(target, message): Promise<SendOutcome> {
      if (!(await connected(client))) return notConnected;
      try {
        const user = await client.users.fetch(target.userExternalId);
        const dm = await user.createDM();
        return { ok: true, messageId: await sendParts(dm, message, undefined) };
      } catch (error) {
        return { ok: false, ...problemOf(error) };
      }
    },
  };
}
