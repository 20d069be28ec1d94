/** What one line typed into the terminal chat asks for. */
export type TerminalLine =
  | { kind: "skip" }
  | { kind: "say"; user: string; text: string }
  | { kind: "bad-speaker"; text: string };

/** The first local user; moderator of the local space. */
export const LOCAL_MODERATOR = "you";

/**
 * `# …` is a comment, `@name …` speaks as another local user, anything else
 * is said by `you`.
 */
export function readLine(raw: string): TerminalLine {
  const line = raw.trim();
  if (line === "" || line.startsWith("#")) return { kind: "skip" };
  if (!line.startsWith("@")) return { kind: "say", user: LOCAL_MODERATOR, text: line };
  const match = /^@([A-Za-z0-9_.-]{1,32})(?:\s+(.*))?$/.exec(line);
  if (!match) {
    return {
      kind: "bad-speaker",
      text: `"${line.split(/\s/)[0]}" is not a local user name: use 1–32 letters, digits, _ . or -, e.g. @ana /track list`,
    };
  }
  const [, user = LOCAL_MODERATOR, text = ""] = match;
  if (text.trim() === "") {
    return { kind: "bad-speaker", text: `Say something after @${user}, e.g. @${user} /track list` };
  }
  return { kind: "say", user: user.toLowerCase(), text: text.trim() };
}
