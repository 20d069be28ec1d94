/** Text helpers for Discord: Markdown it shows, and plain text where it shows none. */
export { clip, splitText } from "../../shared/text.js";

const fenceLine = /^\s*```/;

/** The core names a channel by its platform id ("#1234…"); Discord shows `<#id>` as the channel's name. */
function channelMentions(line: string): string {
  return line.replace(/(^|[\s(])#(\d{17,20})\b/g, "$1<#$2>");
}

/** The message model's Markdown as Discord shows it in embeds: headings become bold lines. */
export function discordMarkdown(markdown: string): string {
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (fenceLine.test(line)) inFence = !inFence;
      if (inFence || fenceLine.test(line)) return line;
      const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (!heading) return channelMentions(line);
      const inner = (heading[1] ?? "").replace(/\*\*/g, "");
      return inner ? `**${inner}**` : "";
    })
    .join("\n");
}

/** For places Discord shows without Markdown (titles, footers): marks dropped, links as their label. */
export function plainInline(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\((?:https?:[^)\s]+)\)/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\*)/g, "$1$2");
}
