import type { ContextBlock, KnownBlock, MrkdwnElement } from "@slack/web-api";
import type { Field, Message, Progress, Tone } from "../../../core/messages.js";
import { wellFormedMessage } from "../../shared/text.js";
import { actionsLayout } from "./buttons.js";
import { limits } from "./limits.js";
import { bold, clip, escapeMrkdwn, mrkdwnLink, plainText, slackMrkdwn, splitText } from "./mrkdwn.js";

/** One block and the mrkdwn it stands for in the fallback text, which must read fully without blocks. */
export interface Unit {
  block: KnownBlock;
  text: string;
}

/** The message's blocks in reading order; `tail` (notes, buttons, footer) belongs on the last message. */
export interface MessageUnits {
  body: Unit[];
  tail: Unit[];
}

export interface UnitOptions {
  /** Say that pictures and files follow: true where the adapter uploads them after the message. */
  uploadNotes: boolean;
}

/** Shown when a message has nothing else, since Slack refuses an empty one. */
export const emptyReply = "Done.";

const toneEmoji: Record<Tone, string> = { info: "", success: "✅", warning: "⚠️", error: "❌" };

const barCells = 12;

export function progressBar({ current, total, label }: Progress): string {
  const shown = Math.max(0, Math.min(current, total));
  const filled = total > 0 ? Math.round((shown / total) * barCells) : 0;
  return `${"▰".repeat(filled)}${"▱".repeat(barCells - filled)} ${shown}/${total}${label ? ` · ${label}` : ""}`;
}

function sectionUnits(mrkdwn: string): Unit[] {
  return splitText(mrkdwn, limits.sectionText).map((chunk) => ({
    block: { type: "section", text: { type: "mrkdwn", text: chunk } },
    text: chunk,
  }));
}

function contextUnits(mrkdwn: string): Unit[] {
  const elements: MrkdwnElement[] = splitText(mrkdwn, limits.contextText).map((text) => ({
    type: "mrkdwn",
    text,
  }));
  const units: Unit[] = [];
  for (let i = 0; i < elements.length; i += limits.contextElements) {
    const group = elements.slice(i, i + limits.contextElements);
    const block: ContextBlock = { type: "context", elements: group };
    units.push({ block, text: group.map((element) => element.text).join("\n") });
  }
  return units;
}

const hasFence = (text: string) => /^\s*```/m.test(text);

/** Short inline fields share sections as Slack's two-column fields; the others get sections of their own. */
function fieldUnits(fields: readonly Field[]): Unit[] {
  const units: Unit[] = [];
  let row: string[] = [];
  const flush = () => {
    for (let i = 0; i < row.length; i += limits.sectionFields) {
      const items = row.slice(i, i + limits.sectionFields);
      units.push({
        block: { type: "section", fields: items.map((text) => ({ type: "mrkdwn", text })) },
        text: items.join("\n"),
      });
    }
    row = [];
  };
  for (const field of fields) {
    const item = [bold(field.name), slackMrkdwn(field.value).trim()].filter(Boolean).join("\n");
    if (!item) continue;
    if (field.inline && item.length <= limits.fieldText && !hasFence(item)) {
      row.push(item);
      continue;
    }
    flush();
    units.push(...sectionUnits(item));
  }
  flush();
  return units;
}

/** A named part: its heading in bold over its text, continued in further sections when long. */
function namedUnits(heading: string, mrkdwn: string): Unit[] {
  return sectionUnits([bold(heading), mrkdwn.trim()].filter(Boolean).join("\n"));
}

function uploadNotes(message: Message): Unit[] {
  const lines = [
    ...(message.images ?? []).map((image) =>
      image.alt.trim() ? `🖼️ A picture follows: ${escapeMrkdwn(image.alt.trim())}` : "🖼️ A picture follows.",
    ),
    ...(message.files ?? []).map((file) => `📎 ${escapeMrkdwn(file.name)} follows.`),
    // Still being drawn: it follows once drawn, or a line says why it was left out.
    ...(message.picturesLater ? ["🖼️ A picture follows."] : []),
  ];
  return lines.length ? contextUnits(lines.join("\n")) : [];
}

/** The message as blocks in reading order, each within Slack's limits for its kind. */
export function messageUnits(original: Message, options: UnitOptions): MessageUnits {
  const message = wellFormedMessage(original);
  const mark = toneEmoji[message.tone ?? "info"];
  const title = plainText(message.title ?? "");
  const intro = slackMrkdwn(message.text ?? "").trim();
  const footer = slackMrkdwn(message.footer ?? "").trim();
  // The tone leads whatever is read first: the text, else the title, else the footer.
  const markOn = intro ? "intro" : title ? "title" : "footer";
  const marked = (where: typeof markOn, text: string) =>
    mark && markOn === where ? `${mark} ${text}` : text;

  const body: Unit[] = [];
  let lead = "";
  if (title) {
    const header = clip(marked("title", title), limits.headerText);
    body.push({ block: { type: "header", text: { type: "plain_text", text: header } }, text: bold(header) });
    // A clipped header would lose words, so the whole title leads the text.
    if (header !== marked("title", title)) lead = bold(title);
  }
  if (message.progress) body.push(...contextUnits(escapeMrkdwn(progressBar(message.progress))));
  body.push(...sectionUnits([lead, intro && marked("intro", intro)].filter(Boolean).join("\n")));
  body.push(...fieldUnits(message.fields ?? []));
  for (const section of message.sections ?? []) {
    body.push(...namedUnits(section.heading, slackMrkdwn(section.text)));
  }

  const layout = actionsLayout(message.choices ?? [], message.links ?? []);
  if (layout.choicesUnreadable) {
    const list = (message.choices ?? []).map((choice) => `• ${slackMrkdwn(choice.label)}`);
    body.push(...namedUnits("Choices", list.join("\n")));
  }
  if (layout.listedLinks.length) {
    const list = layout.listedLinks.map((link) => {
      const label = escapeMrkdwn(plainText(link.label) || link.url);
      // Slack links only what it can open; anything else is shown as typed.
      return /^(https?|mailto):\S+$/i.test(link.url)
        ? `• ${mrkdwnLink(link.url, label)}`
        : `• ${label} (${escapeMrkdwn(link.url)})`;
    });
    body.push(...namedUnits("Links", list.join("\n")));
  }

  const tail: Unit[] = [
    ...(options.uploadNotes ? uploadNotes(message) : []),
    ...layout.units,
    ...(footer ? contextUnits(marked("footer", footer)) : []),
  ];
  if (body.length === 0 && tail.length === 0)
    body.push(...sectionUnits(mark ? `${mark} ${emptyReply}` : emptyReply));
  return { body, tail };
}
