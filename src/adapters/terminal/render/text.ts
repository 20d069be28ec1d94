import type { Image, LatePictures, Message, Tone } from "../../../core/messages.js";
import { wellFormed } from "../../shared/text.js";

export interface RenderOptions {
  /** ANSI colours and bold; off for pipes, NO_COLOR, and tests. */
  color: boolean;
  /** Where the message's pictures and files were written, by name. */
  saved?: ReadonlyMap<string, string>;
}

const ansi = {
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  italic: (s: string) => `\x1b[3m${s}\x1b[23m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  green: (s: string) => `\x1b[32m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
};

type Style = (s: string) => string;
const plain: Style = (s) => s;

function styles(color: boolean) {
  return color
    ? { ...ansi, code: ansi.cyan }
    : {
        bold: plain,
        dim: plain,
        italic: plain,
        cyan: plain,
        green: plain,
        yellow: plain,
        red: plain,
        code: (s: string) => `\`${s}\``,
      };
}

/**
 * Text with the control characters a terminal would obey (clear the screen, recolour, retitle the
 * window, move the cursor) shown as visible symbols instead; new lines and tabs stay. Half a surrogate
 * pair, which a UTF-8 terminal cannot show, becomes U+FFFD.
 */
export function printable(text: string): string {
  return (
    wellFormed(text)
      .replace(/\r\n/g, "\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being replaced.
      .replace(/[\u0000-\u0008\u000b-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
      .replace(/\u007f/g, "\u2421")
      .replace(/[\u0080-\u009f]/g, "\ufffd")
  );
}

/** The Markdown subset of the message model, as terminal text. */
export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const s = styles(options.color);
  const inline = (line: string) =>
    line
      .replace(/`([^`]+)`/g, (_, code: string) => s.code(code))
      .replace(/\*\*([^*]+)\*\*/g, (_, text: string) => s.bold(text))
      .replace(
        /(^|[^*\w])\*([^*\s][^*]*)\*(?!\*)/g,
        (_, before: string, text: string) => before + s.italic(text),
      )
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, (_, label: string, url: string) => `${label} (${url})`);

  const out: string[] = [];
  let inFence = false;
  for (const line of printable(markdown).replace(/\s+$/, "").split("\n")) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`    ${s.cyan(line)}`);
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      out.push(s.bold(inline(heading[1] ?? "")));
      continue;
    }
    const bullet = /^(\s*)[-*]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1] ?? ""}  • ${inline(bullet[2] ?? "")}`);
      continue;
    }
    out.push(inline(line));
  }
  return out.join("\n");
}

export function progressBar(current: number, total: number, width = 20): string {
  const clamped = Math.max(0, Math.min(current, total));
  const filled = total === 0 ? 0 : Math.round((clamped / total) * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${clamped}/${total}`;
}

const toneMark: Record<Tone, { mark: string; paint: keyof typeof ansi }> = {
  info: { mark: "", paint: "cyan" },
  success: { mark: "✓ ", paint: "green" },
  warning: { mark: "! ", paint: "yellow" },
  error: { mark: "✗ ", paint: "red" },
};

/** The strings shown without Markdown, made printable; Markdown text is made printable as it is rendered. */
function printableMessage(message: Message): Message {
  const { title, progress, sections, choices, links } = message;
  return {
    ...message,
    ...(title === undefined ? {} : { title: printable(title) }),
    ...(progress?.label === undefined ? {} : { progress: { ...progress, label: printable(progress.label) } }),
    ...(sections ? { sections: sections.map((s) => ({ ...s, heading: printable(s.heading) })) } : {}),
    ...(choices ? { choices: choices.map((c) => ({ ...c, label: printable(c.label) })) } : {}),
    ...(links ? { links: links.map((l) => ({ label: printable(l.label), url: printable(l.url) })) } : {}),
  };
}

/** A neutral message as lines of terminal text; nothing in it can drive the terminal. */
export function renderMessage(original: Message, options: RenderOptions): string {
  const message = printableMessage(original);
  const s = styles(options.color);
  const md = (text: string) => renderMarkdown(text, options);
  const blocks: string[] = [];

  if (message.title) blocks.push(s.bold(`━━ ${message.title} ━━`));
  if (message.progress) {
    const { current, total, label } = message.progress;
    blocks.push(`${progressBar(current, total)}${label ? `  ${label}` : ""}`);
  }
  if (message.text) {
    const tone = toneMark[message.tone ?? "info"];
    const text = md(message.text);
    blocks.push(tone.mark ? s[tone.paint](tone.mark) + text : text);
  }
  if (message.fields?.length) {
    const lines: string[] = [];
    let row: string[] = [];
    for (const field of message.fields) {
      if (field.inline && !field.value.includes("\n")) {
        row.push(`${s.bold(`${md(field.name)}:`)} ${md(field.value)}`);
        continue;
      }
      if (row.length) lines.push(row.join("   "));
      row = [];
      lines.push(`${s.bold(md(field.name))}\n${md(field.value).replace(/^/gm, "  ")}`);
    }
    if (row.length) lines.push(row.join("   "));
    blocks.push(lines.join("\n"));
  }
  for (const section of message.sections ?? []) {
    blocks.push(`${s.bold(`▸ ${section.heading}`)}\n${md(section.text)}`);
  }
  if (message.choices?.length) {
    blocks.push(message.choices.map((choice, i) => `[${i + 1}] ${choice.label}`).join("   "));
  }
  const where = (name: string) => printable(options.saved?.get(name) ?? "(not saved)");
  if (message.images?.length) blocks.push(pictureLines(message.images, options));
  if (message.files?.length) {
    blocks.push(message.files.map((file) => `📎 ${printable(file.name)} — ${where(file.name)}`).join("\n"));
  }
  if (message.links?.length) {
    blocks.push(
      `${s.bold("Links")}\n${message.links.map((link) => `  • ${link.label} — ${link.url}`).join("\n")}`,
    );
  }
  if (message.footer) blocks.push(s.dim(md(message.footer)));
  return blocks.join("\n\n");
}

/** Where each picture was saved, one line each: a terminal cannot show the picture itself. */
function pictureLines(images: readonly Image[], options: RenderOptions): string {
  return images.map((image) => `🖼  ${printable(options.saved?.get(image.name) ?? "(not saved)")}`).join("\n");
}

/** Pictures that followed their reply: where they were saved, or the line saying why they were left out. */
export function renderLatePictures(late: LatePictures, options: RenderOptions): string {
  const blocks = late.images.length ? [pictureLines(late.images, options)] : [];
  if (late.note) blocks.push(renderMarkdown(late.note, options));
  return blocks.join("\n");
}
