/**
 * Script text → commands, one per line, split the way redis-cli splits what you type
 * (sdssplitargs in sds.c): blanks separate arguments; "double quotes" take \n \r \t \b \a
 * \xHH \" \\ escapes; 'single quotes' take only \'; a closing quote must be followed by a
 * blank or the end of the line. Arguments come back as byte strings (see reply.ts).
 */
import { encode } from "./reply.js";

export interface Line {
  /** 1-based line number in the text. */
  line: number;
  argv: string[];
}

export type Parsed = { ok: true; lines: Line[] } | { ok: false; line: number; message: string };

const SPACE = new Set([" ", "\t", "\n", "\v", "\f", "\r"]);
const HEX = /^[0-9a-fA-F]{2}$/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

/**
 * The escape at `p` inside a quoted argument, as [the text it stands for, the characters it
 * takes], or null when the character at `p` is not an escape in this kind of quote.
 */
function escapeAt(s: string, p: number, quote: '"' | "'"): [string, number] | null {
  if (s.charAt(p) !== "\\") return null;
  const next = s.charAt(p + 1);
  if (quote === "'") return next === "'" ? ["'", 2] : null;
  if (next === "x" && HEX.test(s.slice(p + 2, p + 4)))
    return [String.fromCharCode(Number.parseInt(s.slice(p + 2, p + 4), 16)), 4];
  return next === "" ? null : [ESCAPES[next] ?? next, 2];
}

/** One line's arguments, or null for unbalanced quotes ("Invalid argument(s)" in redis-cli). */
export function splitArgs(bytes: string): string[] | null {
  const nul = bytes.indexOf("\0");
  const s = nul >= 0 ? bytes.slice(0, nul) : bytes;
  const out: string[] = [];
  let p = 0;
  for (;;) {
    while (p < s.length && SPACE.has(s.charAt(p))) p++;
    if (p >= s.length) return out;
    let current = "";
    let quote: '"' | "'" | null = null;
    for (;;) {
      const c = s.charAt(p); // "" past the end, like C's NUL
      if (quote !== null) {
        const escaped = escapeAt(s, p, quote);
        if (escaped !== null) {
          current += escaped[0];
          p += escaped[1];
          continue;
        }
        // A closing quote must end the argument; the line's end inside quotes is unbalanced.
        if (c === "") return null;
        if (c === quote) {
          p++;
          if (p < s.length && !SPACE.has(s.charAt(p))) return null;
          break;
        }
        current += c;
      } else if (c === "" || SPACE.has(c)) {
        break;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else {
        current += c;
      }
      p++;
    }
    if (p < s.length) p++;
    out.push(current);
  }
}

export interface ParseLimits {
  maxCommands: number;
  maxArgs: number;
  maxArgBytes: number;
}

export class ScriptTooLarge extends Error {}

/** Every non-blank line as a command; throws ScriptTooLarge past the caps. */
export function parseScript(text: string, limits: ParseLimits): Parsed {
  const lines: Line[] = [];
  const raw = encode(text).split("\n");
  for (let i = 0; i < raw.length; i++) {
    const argv = splitArgs(raw[i] ?? "");
    if (argv === null) return { ok: false, line: i + 1, message: "Invalid argument(s)" };
    if (argv.length === 0) continue;
    if (argv.length > limits.maxArgs) {
      throw new ScriptTooLarge(`line ${i + 1} has more than ${limits.maxArgs} arguments`);
    }
    if (argv.some((arg) => arg.length > limits.maxArgBytes)) {
      throw new ScriptTooLarge(`line ${i + 1} has an argument longer than ${limits.maxArgBytes} bytes`);
    }
    lines.push({ line: i + 1, argv });
    if (lines.length > limits.maxCommands) {
      throw new ScriptTooLarge(`more than ${limits.maxCommands} commands (one per line)`);
    }
  }
  return { ok: true, lines };
}
