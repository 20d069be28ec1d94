/** The message model's Markdown subset as Slack's mrkdwn, and as plain text where Slack shows no marks. */

// Cutting text to a limit is the same job on every platform; Discord's helpers do it fence-safely.
export { clip, splitText } from "../../shared/text.js";

const fenceLine = /^\s*```/;
const oneLineFence = /^\s*```.*```\s*$/;
const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/;
const bullet = /^(\s*)[-*]\s+(.*)$/;
/** Code spans and links are set aside while the rest is escaped, so their marks survive. */
const protectedParts = /`([^`]+)`|\[([^\]]+)\]\(((?:https?|mailto):[^)\s]+)\)/g;
const placeholder = /\uE000(\d+)\uE001/g;

/** Slack reads `&`, `<` and `>` as its own syntax; as text they must be entities. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link in mrkdwn; `label` is mrkdwn already. A "|" would end the URL early, so it is encoded. */
export function mrkdwnLink(url: string, label: string): string {
  return `<${escapeMrkdwn(url).replace(/\|/g, "%7C")}|${label}>`;
}

/** **bold** → *bold* and *italic* → _italic_ (italic first, so bold's result is not read as italic). */
function emphasis(text: string): string {
  return text.replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\*)/g, "$1_$2_").replace(/\*\*([^*]+)\*\*/g, "*$1*");
}

/** The core names a channel by its platform id ("#C0123ABCD"); Slack shows `<#id>` as its name. */
function channelMentions(text: string): string {
  return text.replace(/(^|[\s(])#([CG][A-Z0-9]{8,})\b/g, "$1<#$2>");
}

function inline(line: string): string {
  const kept: string[] = [];
  const marked = line.replace(protectedParts, (_, code?: string, label?: string, url?: string) => {
    if (code !== undefined) kept.push(`\`${escapeMrkdwn(code)}\``);
    else kept.push(mrkdwnLink(url ?? "", emphasis(escapeMrkdwn(label ?? ""))));
    return `\uE000${kept.length - 1}\uE001`;
  });
  // Slack opens a code block at three backticks anywhere, so stray ones (echoed input) are kept apart.
  const unfenced = marked.replace(/`{3,}/g, (run) => [...run].join("\u200b"));
  const formatted = channelMentions(emphasis(escapeMrkdwn(unfenced)));
  return formatted.replace(placeholder, (_, index: string) => kept[Number(index)] ?? "");
}

/**
 * Markdown → mrkdwn: bold, italic, links as `<url|label>`, headings as bold lines, list dashes as
 * bullets, code kept; everything else escaped. Fenced blocks keep their lines but lose the language,
 * which Slack would show as the first line of code.
 */
export function slackMrkdwn(markdown: string): string {
  let inFence = false;
  const lines = markdown.split("\n").map((raw) => {
    if (fenceLine.test(raw) && !oneLineFence.test(raw)) {
      inFence = !inFence;
      return "```";
    }
    if (inFence) return escapeMrkdwn(raw);
    // Code fenced within one line reads as inline code; left as is it could pass for a fence.
    const line = raw.replace(/`{3,}([^`]+)`{3,}/g, "`$1`");
    const title = heading.exec(line);
    if (title) {
      const inner = (title[1] ?? "").replace(/\*\*/g, "");
      return inner ? `*${inline(inner)}*` : "";
    }
    const item = bullet.exec(line);
    if (item) return `${item[1] ?? ""}• ${inline(item[2] ?? "")}`;
    return inline(line);
  });
  // A fence left open (echoed input, say) would swallow whatever follows it: close it where the text ends.
  if (inFence) lines.push("```");
  return lines.join("\n");
}

/** For plain_text fields (header, buttons, modal): marks dropped, links as their label, one line. */
export function plainText(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !fenceLine.test(line) || oneLineFence.test(line))
    .map((line) => line.replace(heading, "$1").replace(bullet, "$1• $2"))
    .join(" ")
    .replace(/\[([^\]]+)\]\((?:(?:https?|mailto):[^)\s]+)\)/g, "$1")
    .replace(/`+([^`]+)`+/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\*)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** Bold in mrkdwn: the marks hug the text, or Slack shows them as asterisks. */
export function bold(text: string): string {
  const shown = escapeMrkdwn(plainText(text)).replace(/\*/g, "∗");
  return shown ? `*${shown}*` : "";
}
