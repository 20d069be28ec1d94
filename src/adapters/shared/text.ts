/** Cutting the message model's Markdown to a platform's limits, shared by the Discord and Slack renderers. */

import type { Message } from "../../core/messages.js";

const ellipsis = "…";
const fenceLine = /^\s*```/;
/** Fence openers longer than this are replaced by a bare one, so reopened code blocks stay cheap. */
const longestOpener = 24;

/** Cuts before `end` but never between the two halves of a surrogate pair. */
function safeCut(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/** The text itself when it fits, otherwise its start and "…", `max` characters at most. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, max - ellipsis.length)).trimEnd() + ellipsis;
}

/** A piece of text that may be packed into a chunk; `joiner` goes between it and the piece before. */
interface Piece {
  text: string;
  joiner: string;
}

type Segment = { kind: "line"; text: string } | { kind: "fence"; opener: string; lines: string[] };

function segmentText(segment: Segment): string {
  return segment.kind === "line" ? segment.text : [segment.opener, ...segment.lines].join("\n");
}

/** Paragraphs (split at blank lines outside code), each a list of lines and whole fenced blocks. */
function paragraphs(text: string): Segment[][] {
  const result: Segment[][] = [];
  let paragraph: Segment[] = [];
  let fence: Extract<Segment, { kind: "fence" }> | undefined;
  for (const line of text.split("\n")) {
    if (fence) {
      fence.lines.push(line);
      if (fenceLine.test(line)) fence = undefined;
      continue;
    }
    if (fenceLine.test(line)) {
      fence = { kind: "fence", opener: line, lines: [] };
      paragraph.push(fence);
      continue;
    }
    if (line.trim() === "") {
      if (paragraph.length) result.push(paragraph);
      paragraph = [];
      continue;
    }
    paragraph.push({ kind: "line", text: line });
  }
  if (paragraph.length) result.push(paragraph);
  return result;
}

/** Cuts a word longer than the limit into limit-sized parts. */
function hardPieces(word: string, limit: number, joiner: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = word;
  let first = true;
  while (rest.length > 0) {
    const end = rest.length <= limit ? rest.length : safeCut(rest, limit);
    pieces.push({ text: rest.slice(0, end), joiner: first ? joiner : "" });
    rest = rest.slice(end);
    first = false;
  }
  return pieces;
}

function linePieces(line: string, limit: number): Piece[] {
  if (line.length <= limit) return [{ text: line, joiner: "\n" }];
  const words = line.split(" ").flatMap((word) => hardPieces(word, limit, " "));
  return words.map((piece, index) => (index === 0 ? { ...piece, joiner: "\n" } : piece));
}

/** A code block too long for one chunk, as several blocks that each open and close. */
function fencePieces(segment: Extract<Segment, { kind: "fence" }>, limit: number): Piece[] {
  const whole = segmentText(segment);
  if (whole.length <= limit) return [{ text: whole, joiner: "\n" }];
  const opener = segment.opener.trim().length > longestOpener ? "```" : segment.opener.trim();
  const closer = "```";
  const body = fenceLine.test(segment.lines.at(-1) ?? "") ? segment.lines.slice(0, -1) : segment.lines;
  const room = Math.max(1, limit - opener.length - closer.length - 2);
  const groups: string[] = [];
  let group: string | undefined;
  for (const piece of body.flatMap((line) => hardPieces(line, room, "\n"))) {
    const joined = group === undefined ? piece.text : group + piece.joiner + piece.text;
    if (group !== undefined && joined.length > room) {
      groups.push(group);
      group = piece.text;
    } else group = joined;
  }
  if (group !== undefined) groups.push(group);
  return groups.map((code) => ({ text: `${opener}\n${code}\n${closer}`, joiner: "\n" }));
}

/**
 * Cuts text into chunks of at most `limit` characters: at paragraph borders first, then at line
 * borders, then between words; a fenced code block is closed and reopened rather than cut open.
 */
export function splitText(markdown: string, limit: number): string[] {
  const text = markdown.replace(/^(\s*\n)+/, "").trimEnd();
  if (text.length <= limit) return text === "" ? [] : [text];
  const pieces = paragraphs(text).flatMap((paragraph) => {
    const whole = paragraph.map(segmentText).join("\n");
    const inner =
      whole.length <= limit
        ? [{ text: whole, joiner: "\n" }]
        : paragraph.flatMap((segment) =>
            segment.kind === "line" ? linePieces(segment.text, limit) : fencePieces(segment, limit),
          );
    return inner.map((piece, index) => (index === 0 ? { ...piece, joiner: "\n\n" } : piece));
  });
  const chunks: string[] = [];
  let chunk: string | undefined;
  for (const piece of pieces) {
    if (chunk === undefined) chunk = piece.text;
    else if (chunk.length + piece.joiner.length + piece.text.length <= limit) {
      chunk += piece.joiner + piece.text;
    } else {
      chunks.push(chunk);
      chunk = piece.text;
    }
  }
  if (chunk !== undefined) chunks.push(chunk);
  return chunks.map((c) => c.trimEnd()).filter((c) => c !== "");
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text with each half of a broken surrogate pair as U+FFFD: platforms read UTF-8, which has no halves. */
export function wellFormed(text: string): string {
  return text.replace(loneSurrogate, "\ufffd");
}

/** The message with every string well formed, so text cut inside a character upstream is still sent. */
export function wellFormedMessage(message: Message): Message {
  const w = wellFormed;
  const { title, text, footer, progress, fields, sections, choices, links, images, files } = message;
  return {
    ...message,
    ...(title === undefined ? {} : { title: w(title) }),
    ...(text === undefined ? {} : { text: w(text) }),
    ...(footer === undefined ? {} : { footer: w(footer) }),
    ...(progress?.label === undefined ? {} : { progress: { ...progress, label: w(progress.label) } }),
    ...(fields ? { fields: fields.map((f) => ({ ...f, name: w(f.name), value: w(f.value) })) } : {}),
    ...(sections ? { sections: sections.map((s) => ({ heading: w(s.heading), text: w(s.text) })) } : {}),
    ...(choices
      ? {
          choices: choices.map((c) => ({
            ...c,
            label: w(c.label),
            action: {
              command: w(c.action.command),
              args: Object.fromEntries(
                Object.entries(c.action.args).map(([name, value]) => [name, w(value)]),
              ),
            },
            ...(c.input
              ? {
                  input: {
                    ...c.input,
                    label: w(c.input.label),
                    title: w(c.input.title),
                    ...(c.input.placeholder === undefined ? {} : { placeholder: w(c.input.placeholder) }),
                  },
                }
              : {}),
          })),
        }
      : {}),
    ...(links ? { links: links.map((l) => ({ label: w(l.label), url: w(l.url) })) } : {}),
    ...(images ? { images: images.map((i) => ({ ...i, alt: w(i.alt), name: w(i.name) })) } : {}),
    ...(files ? { files: files.map((f) => ({ ...f, name: w(f.name) })) } : {}),
  };
}
