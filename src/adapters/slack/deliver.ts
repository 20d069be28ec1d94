import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { LatePictures, Message } from "../../core/messages.js";
import { renderBlocks, uploadsOf } from "./render/blocks.js";

/** Where a reply goes: back through the response_url, privately into a channel, or into the DM. */
export type ReplyTarget =
  | { kind: "respond"; respond: RespondFn; userId: string; channelId: string | undefined }
  | { kind: "ephemeral"; channelId: string; userId: string }
  | { kind: "direct"; userId: string };

/** What Slack answers when the app may not share into a channel it was never added to. */
const NOT_A_MEMBER = new Set(["not_in_channel", "channel_not_found"]);

/** The error code Slack answered a Web API call with ("not_in_channel"), or "" for other failures. */
export function platformErrorOf(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === "string" ? code : "";
}

async function directChannel(client: WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error("conversations.open gave no channel");
  return id;
}

/**
 * Sends a reply in Block Kit, then its pictures and files. Slack cannot show a file to one person
 * only, so a private reply's files go to the person's DM with the app, as do a public reply's in a
 * channel the app is not in; the text stands without them. Pictures still drawing when the text was
 * ready follow the same way once drawn; one left out gets a short message saying so.
 */
export async function deliver(client: WebClient, target: ReplyTarget, message: Message): Promise<void> {
  await sendParts(client, target, message);
  await sendUploads(client, target, message);
  if (message.picturesLater) await deliverLate(client, target, message, await message.picturesLater);
}

async function deliverLate(
  client: WebClient,
  target: ReplyTarget,
  message: Message,
  late: LatePictures,
): Promise<void> {
  const visibility = message.visibility === "private" ? ({ visibility: "private" } as const) : {};
  await sendUploads(client, target, { images: late.images, ...visibility });
  if (late.note) await sendParts(client, target, { text: late.note, ...visibility });
}

async function sendParts(client: WebClient, target: ReplyTarget, message: Message): Promise<void> {
  const privately = message.visibility === "private";
  for (const part of renderBlocks(message)) {
    if (target.kind === "respond") {
      await target.respond({
        response_type: privately ? "ephemeral" : "in_channel",
        replace_original: false,
        text: part.text,
        blocks: part.blocks,
      });
    } else if (target.kind === "ephemeral") {
      await client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...part });
    } else {
      await client.chat.postMessage({ channel: target.userId, ...part });
    }
  }
}

async function sendUploads(client: WebClient, target: ReplyTarget, message: Message): Promise<void> {
  if (uploadsOf(message).length === 0) return;
  const publicChannel =
    message.visibility !== "private" && target.kind === "respond" ? target.channelId : undefined;
  if (publicChannel) {
    try {
      await uploadFiles(client, publicChannel, message);
      return;
    } catch (error) {
      // `/quorum` answers in any channel, but files go only where the app was added: the asker gets them.
      if (!NOT_A_MEMBER.has(platformErrorOf(error))) throw error;
    }
  }
  await uploadFiles(client, await directChannel(client, target.userId), message);
}

/** The message's pictures and files, through Slack's upload flow (an upload URL, then completion). */
export async function uploadFiles(client: WebClient, channelId: string, message: Message): Promise<void> {
  for (const upload of uploadsOf(message)) {
    await client.files.uploadV2({
      channel_id: channelId,
      file: Buffer.from(upload.data),
      filename: upload.name,
      ...(upload.alt ? { alt_text: upload.alt } : {}),
    });
  }
}
