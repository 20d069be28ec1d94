import type { WebClient } from "@slack/web-api";
import type { Message } from "../../core/messages.js";
import type { ChannelDirectory } from "../../core/ports/channels.js";
import type { ChatOutbox, SendOutcome, SendProblem } from "../../core/ports/outbox.js";
import { platformErrorOf, uploadFiles } from "./deliver.js";
import { renderBlocks } from "./render/blocks.js";

const GONE = new Set(["channel_not_found", "is_archived", "user_not_found", "account_inactive"]);
const FORBIDDEN = new Set(["not_in_channel", "restricted_action", "missing_scope", "cannot_dm_bot"]);

interface SlackCallError {
  code?: string;
  retryAfter?: number;
  message?: string;
}

function problemOf(error: unknown): { problem: SendProblem; detail: string; retryAfterMs?: number } {
  const e = (error ?? {}) as SlackCallError;
  const code = platformErrorOf(error);
  const detail = code || e.message || String(error);
  if (e.code === "slack_webapi_rate_limited_error" || code === "ratelimited") {
    return { problem: "rate-limited", detail, retryAfterMs: (e.retryAfter ?? 5) * 1000 };
  }
  if (GONE.has(code)) return { problem: "channel-gone", detail };
  if (FORBIDDEN.has(code)) return { problem: "forbidden", detail };
  return { problem: "transient", detail };
}

async function post(client: WebClient, channel: string, message: Message): Promise<string | null> {
  let first: string | null = null;
  for (const part of renderBlocks(message)) {
    const sent = await client.chat.postMessage({ channel, ...part });
    first ??= sent.ts ?? null;
  }
  await uploadFiles(client, channel, message);
  return first;
}

/**
 * Scheduled posts into cohort channels, and notices to a moderator's DM with the app. `channels` is
 * the directory `/schedule channel` asks too, so a channel checked there is not asked about again.
 */
export function slackOutbox(client: WebClient, channels: ChannelDirectory): ChatOutbox {
  return {
    async send(target, message): Promise<SendOutcome> {
      try {
        // Checked on every post: a user id would post into a person's DM, another team's id elsewhere.
        const place = await channels.check(target);
        if (!place.ok) {
          const problem =
            place.reason === "unavailable"
              ? "transient"
              : place.reason === "unknown"
                ? "channel-gone"
                : "forbidden";
          return { ok: false, problem, detail: place.detail };
        }
        return { ok: true, messageId: await post(client, place.channelExternalId, message) };
      } catch (error) {
        return { ok: false, ...problemOf(error) };
      }
    },
    async notify(target, message): Promise<SendOutcome> {
      try {
        // A user id as the channel posts into the person's DM with the app.
        return { ok: true, messageId: await post(client, target.userExternalId, message) };
      } catch (error) {
        return { ok: false, ...problemOf(error) };
      }
    },
  };
}
