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
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = s.charAt(p); // "" past the end, like C's NUL
      const next = s.charAt(p + 1);
      if (inq) {
        if (c === "\\" && next === "x" && HEX.test(s.slice(p + 2, p + 4))) {
          current += String.fromCharCode(Number.parseInt(s.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === "\\" && next !== "") {
          p++;
          current += ESCAPES[next] ?? next;
        } else if (c === '"') {
          if (next !== "" && !SPACE.has(next)) return null;
          done = true;
        } else if (c === "") {
          return null;
        } else {
          current += c;
        }
      } else if (insq) {
        if (c === "\\" && next === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (next !== "" && !SPACE.has(next)) return null;
          done = true;
        } else if (c === "") {
          return null;
        } else {
          current += c;
        }
      } else if (c === "" || SPACE.has(c)) {
        done = true;
      } else if (c === '"') {
        inq = true;
      } else if (c === "'") {
        insq = true;
      } else {
        current += c;
      }
      if (p < s.length) p++;
    }
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
