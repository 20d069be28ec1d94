import type { WebClient } from "@slack/web-api";
import type { ChannelCheck, ChannelDirectory } from "../../core/ports/channels.js";
import type { ChannelTarget } from "../../core/ports/outbox.js";
import { platformErrorOf } from "./deliver.js";

/** Public and private channels ("C…", older private ones "G…"). */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
/** People ("U…", "W…" on Enterprise Grid), direct messages ("D…") and bots ("B…"). */
const PERSON_OR_DM = /^[UWDB][A-Z0-9]{2,}$/;
/** Slack channel names: lowercase letters, digits, hyphens and underscores, at most 80. */
const CHANNEL_NAME = /^[\p{Ll}\p{Lo}\p{N}_-][\p{Ll}\p{Lo}\p{N}_.-]{0,79}$/u;
/** Pages of conversations.list read while looking a name up (1,000 channels each). */
const NAME_PAGES = 10;

/**
 * Whether `target` is a channel of its workspace: not a person, not a (group) direct message, not
 * another workspace's conversation. chat.postMessage takes a user id as "their DM", so the id alone
 * is not enough. Throws what conversations.info threw when Slack did not answer the question.
 */
async function inspectChannel(client: WebClient, target: ChannelTarget): Promise<ChannelCheck> {
  const id = target.channelExternalId;
  if (PERSON_OR_DM.test(id)) {
    return { ok: false, reason: "not-a-channel", detail: "a person or a direct message, not a channel" };
  }
  if (!CHANNEL_ID.test(id)) return { ok: false, reason: "unknown", detail: "not a Slack channel id" };
  const { channel } = await client.conversations.info({ channel: id });
  if (!channel) return { ok: false, reason: "unknown", detail: "Slack knows no such channel" };
  if (channel.is_im || channel.is_mpim) {
    return { ok: false, reason: "not-a-channel", detail: "a direct message, not a channel" };
  }
  // A channel of another organisation names its teams; ours must be among them.
  const teams = [channel.context_team_id, ...(channel.shared_team_ids ?? [])].filter(
    (team): team is string => typeof team === "string" && team !== "",
  );
  if (teams.length > 0 && !teams.includes(target.spaceExternalId)) {
    return { ok: false, reason: "elsewhere", detail: "the channel is not in the cohort's workspace" };
  }
  return { ok: true, channelExternalId: id };
}

/**
 * The id of the workspace channel called `name`, among those the app can see; undefined when none.
 * Slash command text arrives unescaped, so "#study-group" reaches the bot as a name, not an id.
 */
async function idOfName(client: WebClient, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < NAME_PAGES; page++) {
    const listed = await client.conversations.list({
      types: "public_channel,private_channel",
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const found = listed.channels?.find((channel) => channel.name === name);
    if (found?.id) return found.id;
    cursor = listed.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** What a failed Slack call means for `/schedule channel`. */
function failureOf(error: unknown): ChannelCheck {
  const code = platformErrorOf(error);
  if (code === "channel_not_found") {
    return { ok: false, reason: "unknown", detail: "Slack knows no such channel the app may see" };
  }
  if (code === "missing_scope") {
    return {
      ok: false,
      reason: "unavailable",
      detail:
        "the Slack app may not read that conversation: it needs the channels:read and groups:read scopes of slack/manifest.yaml",
    };
  }
  const detail = code || (error instanceof Error ? error.message : String(error));
  return { ok: false, reason: "unavailable", detail: `Slack did not answer: ${detail}` };
}

/** How many channels are remembered as checked; a channel's workspace and kind never change. */
const REMEMBERED = 10_000;

/**
 * Vets a cohort's channel: a name is looked up with conversations.list, an id with
 * conversations.info. Channels that passed are remembered, so a scheduled post costs no call
 * (conversations.info is Tier 3, about 50 a minute) after the first.
 */
export function slackChannels(client: WebClient): ChannelDirectory {
  const passed = new Map<string, string>();
  const check = async (target: ChannelTarget): Promise<ChannelCheck> => {
    try {
      const given = target.channelExternalId;
      if (CHANNEL_ID.test(given) || PERSON_OR_DM.test(given) || !CHANNEL_NAME.test(given)) {
        return await inspectChannel(client, target);
      }
      const id = await idOfName(client, given);
      if (!id) return { ok: false, reason: "unknown", detail: "no channel of that name the app may see" };
      return await inspectChannel(client, { ...target, channelExternalId: id });
    } catch (error) {
      return failureOf(error);
    }
  };
  return {
    async check(target) {
      const key = `${target.spaceExternalId}/${target.channelExternalId}`;
      const known = passed.get(key);
      if (known) return { ok: true, channelExternalId: known };
      const checked = await check(target);
      if (checked.ok) {
        if (passed.size >= REMEMBERED) passed.clear();
        passed.set(key, checked.channelExternalId);
      }
      return checked;
    },
  };
}
