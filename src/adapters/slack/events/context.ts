import type { WebClient } from "@slack/web-api";
import type { Core } from "../../../core/dispatch.js";
import type { Message } from "../../../core/messages.js";
import { problem } from "../../../core/messages.js";
import type { SlackPeople } from "../actor.js";
import { deliver, type ReplyTarget } from "../deliver.js";

/** What every listener needs: the core, who is who, and how replies name commands here. */
export interface SlackDeps {
  core: Core;
  people: SlackPeople;
  /** Rewrites "/quiz" in replies as "/quorum quiz". */
  localize: (message: Message) => Message;
  slashCommand: string;
}

/**
 * The request's trigger_id as an event key: Slack issues one per slash command, button press and form
 * submission, and a redelivery carries the same payload. None when a request lacks it, so keyless
 * requests never share one key.
 */
export function slackEventKey(triggerId: string | undefined): string | null {
  return triggerId ? `slack:${triggerId}` : null;
}

/** Sends the reply; a failure anywhere becomes a short private notice with a reference id. */
export async function replyOrReport(
  deps: SlackDeps,
  client: WebClient,
  target: ReplyTarget,
  work: () => Promise<Message>,
  context: Record<string, unknown>,
): Promise<void> {
  try {
    await deliver(client, target, deps.localize(await work()));
  } catch (error) {
    const ref = crypto.randomUUID().slice(0, 8);
    deps.core.logger.error({ err: error, ref, ...context }, "slack request failed");
    const notice = problem(`Something went wrong on our side (ref ${ref}).`, "Please try again in a moment.");
    try {
      await deliver(client, target, notice);
    } catch (noticeError) {
      deps.core.logger.warn({ err: noticeError, ref }, "could not tell the user about a failure");
    }
  }
}
