import { type APIEmbed, MessageFlags } from "discord.js";
import type { Message, Section } from "../../../core/messages.js";
import { wellFormedMessage } from "../../shared/text.js";
import { type ButtonLayout, type ButtonRow, buttonLayout } from "./components.js";
import { embedLength, messageEmbeds, toneColours } from "./embeds.js";
import { limits } from "./limits.js";
import { clip } from "./text.js";

export { type ChoiceAction, parseCustomId } from "./custom-id.js";

export interface PayloadFile {
  attachment: Buffer;
  name: string;
  /** Alt text Discord shows for a picture. */
  description?: string;
}

/** What `channel.send`, `interaction.editReply`, `reply` and `followUp` all accept. */
export interface ChannelPayload {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  files: PayloadFile[];
  /** Names in the text never ping anyone. */
  allowedMentions: { parse: [] };
}

/** Only for `interaction.reply` and `followUp`: the ephemeral flag is refused by `send` and `editReply`. */
export interface ReplyPayload extends ChannelPayload {
  flags?: MessageFlags.Ephemeral;
}

export type DiscordPayload = ReplyPayload;

export interface RenderOptions {
  /** Seen only by the person who asked; for interaction replies and follow-ups only. */
  ephemeral?: boolean;
}

/** Shown when a message has nothing else, since Discord refuses an empty one. */
export const emptyReply = "Done.";

/** A name that `attachment://` can point at: Discord keeps only these characters in file names. */
function attachmentName(name: string, taken: Set<string>): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "") || "file";
  const dot = clean.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [clean.slice(0, dot), clean.slice(dot)] : [clean, ""];
  let unique = clean;
  for (let n = 2; taken.has(unique); n++) unique = `${stem}-${n}${extension}`;
  taken.add(unique);
  return unique;
}

function bytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

interface Attachments {
  files: PayloadFile[];
  /** The attachment name of the picture shown inside the last embed. */
  shownImage: string | undefined;
  left: string[];
}

function attachments(message: Message): Attachments {
  const taken = new Set<string>();
  const all = [
    ...(message.images ?? []).map((image) => ({
      attachment: bytes(image.png),
      name: attachmentName(image.name, taken),
      ...(image.alt.trim() ? { description: clip(image.alt.trim(), limits.attachmentDescription) } : {}),
    })),
    ...(message.files ?? []).map((file) => ({
      attachment: bytes(file.data),
      name: attachmentName(file.name, taken),
    })),
  ];
  const files = all.slice(0, limits.attachmentsPerMessage);
  const shownImage = message.images?.length ? files[0]?.name : undefined;
  return { files, shownImage, left: all.slice(limits.attachmentsPerMessage).map((file) => file.name) };
}

function extraSections(message: Message, layout: ButtonLayout, leftFiles: readonly string[]): Section[] {
  const sections: Section[] = [];
  if (layout.choicesUnreadable) {
    sections.push({
      heading: "Choices",
      text: (message.choices ?? []).map((c) => `- ${c.label}`).join("\n"),
    });
  }
  const unplacedLinks = layout.unplacedLinks;
  if (unplacedLinks.length) {
    sections.push({
      heading: "Links",
      text: unplacedLinks.map((link) => `- [${link.label}](${link.url})`).join("\n"),
    });
  }
  if (leftFiles.length) {
    sections.push({ heading: "Not attached (too many files)", text: leftFiles.join(", ") });
  }
  return sections;
}

/** Embeds in reading order, in groups that each fit one Discord message. */
function packEmbeds(embeds: readonly APIEmbed[]): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let group: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (
      group.length > 0 &&
      (group.length >= limits.embedsPerMessage || size + length > limits.embedCharacters)
    ) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(embed);
    size += length;
  }
  if (group.length) groups.push(group);
  return groups;
}

/**
 * A neutral message as one or more Discord messages in reading order; buttons and files go on the
 * last. Without `ephemeral` the payloads suit every way of sending; with it, replies and follow-ups.
 */
export function renderMessage(message: Message, options: RenderOptions & { ephemeral: true }): ReplyPayload[];
export function renderMessage(
  message: Message,
  options?: RenderOptions & { ephemeral?: false },
): ChannelPayload[];
export function renderMessage(message: Message, options?: RenderOptions): DiscordPayload[];
export function renderMessage(original: Message, options: RenderOptions = {}): DiscordPayload[] {
  const message = wellFormedMessage(original);
  const layout = buttonLayout(message.choices ?? [], message.links ?? []);
  const { files, shownImage, left } = attachments(message);
  const embeds = messageEmbeds(message, extraSections(message, layout, left));
  if (shownImage) {
    const last = embeds.at(-1) ?? { color: toneColours[message.tone ?? "info"] };
    if (embeds.length === 0) embeds.push(last);
    last.image = { url: `attachment://${shownImage}` };
  }

  const groups = packEmbeds(embeds);
  if (groups.length === 0) groups.push([]);
  const payloads: DiscordPayload[] = groups.map((group, index) => {
    const last = index === groups.length - 1;
    return {
      embeds: group,
      components: last ? layout.rows : [],
      files: last ? files : [],
      allowedMentions: { parse: [] },
    };
  });
  const only = payloads[0];
  if (only && payloads.length === 1 && !only.embeds.length && !only.components.length && !only.files.length) {
    only.content = emptyReply;
  }
  return options.ephemeral
    ? payloads.map((payload) => ({ ...payload, flags: MessageFlags.Ephemeral }))
    : payloads;
}
