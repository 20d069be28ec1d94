/**
 * The bracket-aware scanner under the MongoDB parser (parse.ts): blanks and comments, names,
 * quoted strings, and a call's arguments cut out and rewritten for JSON5 (shell helpers and regex
 * literals as Extended-JSON markers); anything that would be code is refused on the way.
 */
import JSON5 from "json5";
import { newObjectId } from "./object-id.js";
import { maxNesting, QueryError, syntaxError } from "./query-error.js";

/** Names that, called inside an argument, would be code: refused as "blocked" rather than "syntax". */
const codeNames = new Set([
  "eval",
  "Function",
  "require",
  "import",
  "process",
  "globalThis",
  "setTimeout",
  "setInterval",
  "constructor",
  "load",
]);

/** Shell helpers rewritten to Extended-JSON markers before JSON5 sees the text. */
const helpers = new Set([
  "ISODate",
  "Date",
  "ObjectId",
  "NumberInt",
  "NumberLong",
  "NumberDecimal",
  "Int32",
  "Long",
  "Double",
  "Decimal128",
]);

const identStart = /[A-Za-z_$]/;
const identPart = /[A-Za-z0-9_$]/;

/** One argument as text rewritten for JSON5, with a map from rewritten offsets back to the source. */
export interface ArgText {
  out: string;
  map: number[];
  start: number;
}

export class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  eof(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips blanks and comments; says whether a line break was crossed. */
  skipBlank(): boolean {
    let newline = false;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029") {
        newline = true;
        this.pos++;
      } else if (c === " " || c === "\t" || c === "\f" || c === "\v" || c === "\u00a0" || c === "\ufeff") {
        this.pos++;
      } else if (c === "/" && t[this.pos + 1] === "/") {
        while (this.pos < t.length && t[this.pos] !== "\n") this.pos++;
      } else if (c === "/" && t[this.pos + 1] === "*") {
        const end = t.indexOf("*/", this.pos + 2);
        if (end === -1) throw syntaxError(t, this.pos, "Unclosed comment");
        if (t.slice(this.pos, end).includes("\n")) newline = true;
        this.pos = end + 2;
      } else break;
    }
    return newline;
  }

  ident(): string | null {
    if (!identStart.test(this.peek())) return null;
    const start = this.pos;
    while (identPart.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  expect(ch: string, what: string): void {
    this.skipBlank();
    if (this.peek() !== ch) {
      const found = this.eof() ? "end of input" : `'${this.peek()}'`;
      throw syntaxError(this.text, this.pos, `Expected ${what}, found ${found}`);
    }
    this.pos++;
  }

  /** Reads a quoted string starting at pos (the quote); returns its raw text including the quotes. */
  quoted(): string {
    const t = this.text;
    const quote = t[this.pos];
    const start = this.pos;
    this.pos++;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === "\\") {
        this.pos += 2;
        continue;
      }
      if (c === quote) {
        this.pos++;
        return t.slice(start, this.pos);
      }
      if (c === "\n" && quote !== "`") break;
      this.pos++;
    }
    throw syntaxError(t, start, "Unterminated string");
  }

  /**
   * Reads the arguments of a call whose '(' was just consumed, up to and including the matching ')'.
   * Commas at the top level split arguments. Each argument is rewritten for JSON5 on the way.
   */
  args(): ArgText[] {
    const t = this.text;
    const result: ArgText[] = [];
    let cur: ArgText = { out: "", map: [], start: this.pos };
    const closers: string[] = [];
    // The last significant character emitted: decides whether a '/' starts a regex literal.
    let last = "(";
    const emit = (s: string, src: number) => {
      cur.out += s;
      for (let k = 0; k < s.length; k++) cur.map.push(src);
    };
    const emitRaw = (from: number, to: number) => {
      cur.out += t.slice(from, to);
      for (let k = from; k < to; k++) cur.map.push(k);
    };
    for (;;) {
      if (this.pos >= t.length) throw syntaxError(t, this.pos, "Unclosed '(': expected ')'");
      const c = t[this.pos] ?? "";
      const at = this.pos;
      if (c === '"' || c === "'" || c === "`") {
        if (c === "`") throw syntaxError(t, at, "Template strings are not supported: use quotes");
        this.quoted();
        emitRaw(at, this.pos);
        last = '"';
        continue;
      }
      if (c === "/" && (t[at + 1] === "/" || t[at + 1] === "*")) {
        const before = this.pos;
        this.skipBlank();
        emit(" ", before);
        continue;
      }
      if (c === "/" && "([{,:!&|?;=".includes(last)) {
        emit(this.regexLiteral(), at);
        last = "}";
        continue;
      }
      if (c === "(" || c === "[" || c === "{") {
        closers.push(c === "(" ? ")" : c === "[" ? "]" : "}");
        if (closers.length > maxNesting) {
          throw new QueryError("too-large", `Arguments nested deeper than ${maxNesting} levels`);
        }
        if (c === "(") {
          const close = t.indexOf(")", at);
          if (close !== -1 && /^\s*=>/.test(t.slice(close + 1))) {
            throw new QueryError(
              "blocked",
              "JavaScript functions are not allowed: arguments are data, not code",
            );
          }
          throw syntaxError(t, at, "Unexpected '(': only JSON-like values are allowed as arguments");
        }
        emitRaw(at, at + 1);
        this.pos++;
        last = c;
        continue;
      }
      if (c === ")" || c === "]" || c === "}") {
        if (closers.length === 0) {
          if (c !== ")") throw syntaxError(t, at, `Unexpected '${c}'`);
          this.pos++;
          // A trailing comma is fine (as in JavaScript); an empty argument elsewhere is not.
          if (cur.out.trim() !== "") result.push(cur);
          if (result.some((a) => a.out.trim() === "")) throw syntaxError(t, at, "Empty argument");
          return result;
        }
        const want = closers.pop();
        if (c !== want) throw syntaxError(t, at, `Expected '${want}', found '${c}'`);
        emitRaw(at, at + 1);
        this.pos++;
        last = c;
        continue;
      }
      if (c === "," && closers.length === 0) {
        result.push(cur);
        this.pos++;
        cur = { out: "", map: [], start: this.pos };
        last = ",";
        continue;
      }
      if (c === "=" && t[at + 1] === ">") {
        throw new QueryError("blocked", "JavaScript functions are not allowed: arguments are data, not code");
      }
      if (identStart.test(c)) {
        const name = this.ident() ?? "";
        if (name === "function") {
          throw new QueryError(
            "blocked",
            "JavaScript functions are not allowed: arguments are data, not code",
          );
        }
        const afterName = this.pos;
        if (name === "new") {
          this.skipBlank();
          const ctor = this.ident();
          if (ctor !== null && codeNames.has(ctor)) {
            throw new QueryError("blocked", `new ${ctor}(…) is not allowed: arguments are data, not code`);
          }
          if (ctor !== "Date" && ctor !== "ISODate") {
            throw syntaxError(t, at, `'new ${ctor ?? ""}' is not supported: only new Date("…")`);
          }
          emit(this.helper(ctor, at), at);
          last = "}";
          continue;
        }
        this.skipBlank();
        if (this.peek() === "(") {
          if (codeNames.has(name)) {
            throw new QueryError("blocked", `${name}(…) is not allowed: arguments are data, not code`);
          }
          if (!helpers.has(name)) {
            throw syntaxError(t, at, `Function calls are not allowed in arguments: ${name}(…)`);
          }
          emit(this.helper(name, at), at);
          last = "}";
          continue;
        }
        this.pos = afterName;
        emitRaw(at, afterName);
        last = "a";
        continue;
      }
      emitRaw(at, at + 1);
      this.pos++;
      if (!/\s/.test(c)) last = c;
    }
  }

  /** A regex literal /…/flags at pos, as the Extended-JSON marker {"$regularExpression": …}. */
  regexLiteral(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let inClass = false;
    let pattern = "";
    for (;;) {
      const c = t[this.pos];
      if (c === undefined || c === "\n") throw syntaxError(t, start, "Unterminated regular expression");
      if (c === "\\") {
        pattern += t.slice(this.pos, this.pos + 2);
        this.pos += 2;
        continue;
      }
      if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
      pattern += c;
      this.pos++;
    }
    this.pos++;
    let flags = "";
    while (/[a-z]/i.test(this.peek())) flags += t[this.pos++];
    if (!/^[imsu]*$/.test(flags))
      throw syntaxError(t, start, `Unsupported regular expression flags '${flags}'`);
    return JSON.stringify({ $regularExpression: { pattern, options: flags } });
  }

  /** `ISODate("…")`, `Date(…)`, `ObjectId("…")`, `NumberInt(…)`…: the '(' is next. */
  helper(name: string, at: number): string {
    const t = this.text;
    this.expect("(", "'('");
    this.skipBlank();
    let literal: string | number | null = null;
    const c = this.peek();
    if (c === '"' || c === "'") {
      const raw = this.quoted();
      try {
        literal = JSON5.parse(raw) as string;
      } catch {
        throw syntaxError(t, at, `Invalid string in ${name}(…)`);
      }
    } else if (c !== ")") {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(t.slice(this.pos));
      if (!m) throw syntaxError(t, this.pos, `${name}(…) takes a string or a number`);
      literal = Number(m[0]);
      this.pos += m[0].length;
    }
    this.expect(")", `')' to close ${name}(`);
    switch (name) {
      case "ISODate":
      case "Date":
        return JSON.stringify({ $date: literal ?? new Date().toISOString() });
      case "ObjectId":
        if (literal === null) return JSON.stringify(newObjectId());
        return JSON.stringify(String(literal));
      default: {
        if (literal === null) return "0";
        const n = Number(literal);
        if (!Number.isFinite(n)) throw syntaxError(t, at, `${name}(…) needs a number`);
        return String(n);
      }
    }
  }
}
