import { editDistance } from "../text.js";
import { argSpecs } from "./args.js";
import type { AnyCommand } from "./command.js";

export type ParsedLine =
  | { kind: "empty" }
  | { kind: "command"; command: AnyCommand; args: Record<string, string> }
  | { kind: "unknown"; word: string; suggestions: string[] }
  | { kind: "needs-subcommand"; group: string; subcommands: AnyCommand[] }
  | { kind: "too-many-arguments"; command: AnyCommand; extra: string };

interface Token {
  text: string;
  /** Where the token starts in the line, so a rest-of-line argument keeps its raw text. */
  start: number;
}

/** Splits on spaces; "double" or 'single' quotes keep spaces inside one argument. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    tokens.push({ text: match[1] ?? match[2] ?? match[3] ?? "", start: match.index });
  }
  return tokens;
}

function suggest(word: string, commands: readonly AnyCommand[]): string[] {
  const roots = [...new Set(commands.map((c) => c.name.split(" ")[0] ?? c.name))];
  return roots
    .map((root) => ({ root, d: root.startsWith(word) ? 0 : editDistance(word, root) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d || a.root.localeCompare(b.root))
    .slice(0, 3)
    .map(({ root }) => root);
}

/**
 * Turns a text line ("/track join dba", or "track join dba" as Slack sends it)
 * into a command and its raw arguments; zod validates them afterwards.
 */
export function parseLine(line: string, commands: readonly AnyCommand[]): ParsedLine {
  const body = line.trim().replace(/^\//, "");
  const tokens = tokenize(body);
  const first = tokens[0];
  if (!first) return { kind: "empty" };

  const words = tokens.map((t) => t.text.toLowerCase());
  let best: AnyCommand | undefined;
  let bestLength = 0;
  for (const command of commands) {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const parts = name.split(" ");
      if (parts.length > bestLength && parts.every((part, i) => words[i] === part)) {
        best = command;
        bestLength = parts.length;
      }
    }
  }

  if (!best) {
    const group = commands.filter((c) => c.name.startsWith(`${words[0]} `));
    if (group.length > 0) return { kind: "needs-subcommand", group: words[0] ?? "", subcommands: group };
    return { kind: "unknown", word: first.text, suggestions: suggest(words[0] ?? "", commands) };
  }

  const args: Record<string, string> = {};
  const specs = argSpecs(best);
  let index = bestLength;
  for (const spec of specs) {
    const token = tokens[index];
    if (!token) break;
    if (spec.rest) {
      args[spec.name] = body.slice(token.start).trim();
      index = tokens.length;
      break;
    }
    args[spec.name] = token.text;
    index++;
  }
  const extra = tokens[index];
  if (extra) return { kind: "too-many-arguments", command: best, extra: body.slice(extra.start) };
  return { kind: "command", command: best, args };
}
