import type { APIEmbed, APIEmbedField } from "discord.js";
import type { Field, Message, Progress, Section, Tone } from "../../../core/messages.js";
import { limits } from "./limits.js";
import { clip, discordMarkdown, plainInline, splitText } from "./text.js";

export const toneColours: Record<Tone, number> = {
  info: 0x5b8def,
  success: 0x3fb37f,
  warning: 0xe8a33d,
  error: 0xe0585b,
};

/** Discord wants a non-empty field name and value; this shows as nothing. */
const blank = "\u200b";
const barCells = 12;

export function progressLine({ current, total, label }: Progress): string {
  const shown = Math.max(0, Math.min(current, total));
  const filled = total > 0 ? Math.round((shown / total) * barCells) : 0;
  const bar = "▰".repeat(filled) + "▱".repeat(barCells - filled);
  return `${bar} ${shown}/${total}${label ? ` · ${label}` : ""}`;
}

/** The characters Discord counts towards its per-embed and per-message total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Sections short enough to be fields keep a message in one embed; any long one makes each its own. */
function sectionsFitFields(sections: readonly Section[]): boolean {
  return sections.every(
    (section) =>
      section.heading.length <= limits.fieldName &&
      discordMarkdown(section.text).trim().length <= limits.fieldValue,
  );
}

function fieldsOf(field: Field): APIEmbedField[] {
  const name = clip(plainInline(field.name).trim(), limits.fieldName) || blank;
  const parts = splitText(discordMarkdown(field.value), limits.fieldValue);
  if (parts.length === 0) parts.push(blank);
  return parts.map((value, index) => ({
    name: index === 0 ? name : blank,
    value,
    ...(field.inline ? { inline: true } : {}),
  }));
}

/** Builds the embeds of one message in reading order, each within Discord's limits. */
class EmbedList {
  readonly embeds: APIEmbed[] = [];

  constructor(private readonly color: number) {}

  open(title?: string): APIEmbed {
    const embed: APIEmbed = { color: this.color };
    const shown = title === undefined ? "" : clip(plainInline(title).trim(), limits.embedTitle);
    if (shown) embed.title = shown;
    this.embeds.push(embed);
    return embed;
  }

  /** Long text goes on in further embeds without a title, which read as the same part. */
  text(title: string | undefined, markdown: string): void {
    const chunks = splitText(discordMarkdown(markdown), limits.embedDescription);
    if (!title?.trim() && chunks.length === 0) return;
    const first = this.open(title);
    if (chunks[0] !== undefined) first.description = chunks[0];
    for (const chunk of chunks.slice(1)) this.open().description = chunk;
  }

  field(field: APIEmbedField): void {
    let target = this.embeds.at(-1);
    const cost = field.name.length + field.value.length;
    if (
      !target ||
      (target.fields?.length ?? 0) >= limits.embedFields ||
      embedLength(target) + cost > limits.embedCharacters
    ) {
      target = this.open();
    }
    target.fields = [...(target.fields ?? []), field];
  }

  footer(footer: string): void {
    const text = clip(plainInline(footer).trim(), limits.footer);
    if (!text) return;
    let target = this.embeds.at(-1);
    if (!target || embedLength(target) + text.length > limits.embedCharacters) target = this.open();
    target.footer = { text };
  }
}

/**
 * The message as embeds: title, progress and text first, then fields, then sections (as fields when
 * all are short, otherwise one embed each), then the footer on the last one.
 */
export function messageEmbeds(message: Message, extraSections: readonly Section[] = []): APIEmbed[] {
  const list = new EmbedList(toneColours[message.tone ?? "info"]);
  const intro = [message.progress && progressLine(message.progress), message.text?.trim()]
    .filter((part): part is string => Boolean(part))
    .join("\n");
  list.text(message.title, intro);

  for (const field of message.fields ?? []) {
    for (const part of fieldsOf(field)) list.field(part);
  }

  const sections = [...(message.sections ?? []), ...extraSections];
  if (sectionsFitFields(sections)) {
    for (const section of sections) {
      for (const part of fieldsOf({ name: section.heading, value: section.text })) list.field(part);
    }
  } else {
    for (const section of sections) list.text(section.heading, section.text);
  }

  if (message.footer) list.footer(message.footer);
  return list.embeds;
}
