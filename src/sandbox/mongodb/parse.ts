/**
 * A parser for the mongosh-style text learners write:
 *
 *   db.<collection>.<method>(<args>)[.<method>(<args>)]*   (statements separated by `;` or newlines)
 *
 * Nothing here is ever evaluated as JavaScript. The call chain is read by hand; each argument is cut out
 * by a bracket-aware scanner, shell helpers (`ISODate("…")`, `new Date(…)`, `ObjectId("…")`, `NumberInt(…)`,
 * `/regex/flags`) are rewritten to Extended-JSON markers, and the result is handed to JSON5.parse. The parsed
 * values are then walked once to turn the markers into Dates and RegExps and to refuse what is never allowed
 * (`$where`, `$function`, `$accumulator`, `$out`, `$merge`, prototype keys, …).
 */
import JSON5 from "json5";

export type FailureKind = "syntax" | "blocked" | "too-large";

/** A refusal found while reading the text: never thrown past the worker's entry point. */
export class QueryError extends Error {
  constructor(
    readonly reason: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

/** Brackets deeper than this are refused before JSON5 (or mingo) ever recurse into them. */
export const maxNesting = 100;

export interface Call {
  method: string;
  args: unknown[];
  /** Where the method name is in the text, for messages: "line 1, column 11". */
  at: string;
}

export interface Statement {
  collection: string;
  calls: Call[];
  pos: number;
}

/** Methods that run learner JavaScript or reach outside the dataset: refused as "blocked", not "syntax". */
const blockedMethods: Record<string, string> = {
  forEach: "cursor.forEach() runs JavaScript callbacks",
  map: "cursor.map() runs JavaScript callbacks",
  mapReduce: "mapReduce runs JavaScript functions",
  eval: "eval runs JavaScript",
  watch: "change streams are not available",
  getSiblingDB: "only the collections of this dataset can be used",
  getMongo: "only the collections of this dataset can be used",
  runCommand: "database commands are not available",
  adminCommand: "database commands are not available",
  getCollectionNames: "only queries on a collection are available",
  dropDatabase: "dropping the database is not available",
  load: "loading scripts is not available",
  print: "only one query per statement: no shell scripting",
  printjson: "only one query per statement: no shell scripting",
};

/** Keys refused wherever they appear in an argument, with the reason shown to the learner. */
const blockedKeys: Record<string, string> = {
  $where: "$where runs JavaScript",
  $function: "$function runs JavaScript",
  $accumulator: "$accumulator runs JavaScript",
  $out: "$out writes outside the attempt",
  $merge: "$merge writes outside the attempt",
  $eval: "$eval runs JavaScript",
  $code: "JavaScript code values are not supported",
};

const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** Field names that could reach an object's prototype. */
const protoNames = new Set(["__proto__", "constructor", "prototype"]);

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

/** Line and column (1-based) of an offset, for messages. */
export function where(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

function syntax(text: string, pos: number, message: string): QueryError {
  return new QueryError("syntax", `${message} at ${where(text, pos)}`);
}

/** One argument as text rewritten for JSON5, with a map from rewritten offsets back to the source. */
interface ArgText {
  out: string;
  map: number[];
  start: number;
}

class Scanner {
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
        if (end === -1) throw syntax(t, this.pos, "Unclosed comment");
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
      throw syntax(this.text, this.pos, `Expected ${what}, found ${found}`);
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
    throw syntax(t, start, "Unterminated string");
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
      if (this.pos >= t.length) throw syntax(t, this.pos, "Unclosed '(': expected ')'");
      const c = t[this.pos] ?? "";
      const at = this.pos;
      if (c === '"' || c === "'" || c === "`") {
        if (c === "`") throw syntax(t, at, "Template strings are not supported: use quotes");
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
          throw syntax(t, at, "Unexpected '(': only JSON-like values are allowed as arguments");
        }
        emitRaw(at, at + 1);
        this.pos++;
        last = c;
        continue;
      }
      if (c === ")" || c === "]" || c === "}") {
        if (closers.length === 0) {
          if (c !== ")") throw syntax(t, at, `Unexpected '${c}'`);
          this.pos++;
          // A trailing comma is fine (as in JavaScript); an empty argument elsewhere is not.
          if (cur.out.trim() !== "") result.push(cur);
          if (result.some((a) => a.out.trim() === "")) throw syntax(t, at, "Empty argument");
          return result;
        }
        const want = closers.pop();
        if (c !== want) throw syntax(t, at, `Expected '${want}', found '${c}'`);
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
            throw syntax(t, at, `'new ${ctor ?? ""}' is not supported: only new Date("…")`);
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
            throw syntax(t, at, `Function calls are not allowed in arguments: ${name}(…)`);
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
      if (c === undefined || c === "\n") throw syntax(t, start, "Unterminated regular expression");
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
    if (!/^[imsu]*$/.test(flags)) throw syntax(t, start, `Unsupported regular expression flags '${flags}'`);
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
        throw syntax(t, at, `Invalid string in ${name}(…)`);
      }
    } else if (c !== ")") {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(t.slice(this.pos));
      if (!m) throw syntax(t, this.pos, `${name}(…) takes a string or a number`);
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
        if (!Number.isFinite(n)) throw syntax(t, at, `${name}(…) needs a number`);
        return String(n);
      }
    }
  }
}

let oidCounter = Math.floor(Math.random() * 0xffffff);
const oidRandom = Array.from({ length: 5 }, () =>
  Math.floor(Math.random() * 256)
    .toString(16)
    .padStart(2, "0"),
).join("");

/** A 24-hex-digit id shaped like an ObjectId (time, random, counter), as a plain string. */
export function newObjectId(): string {
  oidCounter = (oidCounter + 1) % 0xffffff;
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  return time + oidRandom + oidCounter.toString(16).padStart(6, "0");
}

/** Parses the whole text into statements. Throws QueryError. */
export function parseProgram(text: string): Statement[] {
  const s = new Scanner(text);
  const statements: Statement[] = [];
  for (;;) {
    s.skipBlank();
    while (s.peek() === ";") {
      s.pos++;
      s.skipBlank();
    }
    if (s.eof()) break;
    statements.push(parseStatement(s));
    const newline = s.skipBlank();
    if (s.eof()) break;
    if (s.peek() === ";") {
      s.pos++;
      continue;
    }
    if (!newline)
      throw syntax(text, s.pos, `Unexpected '${s.peek()}': end each statement with ';' or a new line`);
  }
  if (statements.length === 0) throw new QueryError("syntax", "Empty query: write db.<collection>.find(…)");
  return statements;
}

function parseStatement(s: Scanner): Statement {
  const text = s.text;
  const start = s.pos;
  const head = s.ident();
  if (head !== "db") {
    throw syntax(text, start, "Expected db.<collection>.<method>(…)");
  }
  // db.a.b.find(…): every name but the last before '(' is part of the collection name.
  const names: { name: string; pos: number }[] = [];
  let collection: string | null = null;
  for (;;) {
    s.skipBlank();
    if (s.peek() === "[") {
      s.pos++;
      s.skipBlank();
      const q = s.peek();
      if (q !== '"' && q !== "'") throw syntax(text, s.pos, "Expected a quoted collection name");
      const at = s.pos;
      const raw = s.quoted();
      const name = JSON5.parse(raw) as string;
      s.expect("]", "']'");
      names.push({ name, pos: at });
      continue;
    }
    s.expect(".", "'.'");
    s.skipBlank();
    const pos = s.pos;
    const name = s.ident();
    if (name === null) throw syntax(text, pos, "Expected a name after '.'");
    s.skipBlank();
    if (s.peek() !== "(") {
      names.push({ name, pos });
      continue;
    }
    // A call: on db itself (only getCollection), or the collection's method.
    if (names.length === 0) {
      const blocked = own(blockedMethods, name);
      if (blocked !== undefined) throw new QueryError("blocked", `db.${name}() is not allowed: ${blocked}`);
      if (name !== "getCollection") {
        throw syntax(text, pos, `Unknown method db.${name}(): use db.<collection>.<method>(…)`);
      }
      s.pos++;
      const args = parseArgs(s, "getCollection");
      if (args.length !== 1 || typeof args[0] !== "string" || args[0] === "") {
        throw syntax(text, pos, "getCollection() takes one collection name");
      }
      names.push({ name: args[0], pos });
      collection = args[0];
      continue;
    }
    collection = names.map((n) => n.name).join(".");
    const blocked = own(blockedMethods, name);
    if (blocked !== undefined) throw new QueryError("blocked", `${name}() is not allowed: ${blocked}`);
    s.pos++;
    const calls: Call[] = [{ method: name, args: parseArgs(s, name), at: where(text, pos) }];
    // Chained calls, possibly on the following lines: .sort(…).limit(…)
    for (;;) {
      const save = s.pos;
      s.skipBlank();
      if (s.peek() !== ".") {
        s.pos = save;
        break;
      }
      s.pos++;
      s.skipBlank();
      const mpos = s.pos;
      const method = s.ident();
      if (method === null) throw syntax(text, mpos, "Expected a method name after '.'");
      const b = own(blockedMethods, method);
      if (b !== undefined) throw new QueryError("blocked", `${method}() is not allowed: ${b}`);
      s.expect("(", `'(' after .${method}`);
      calls.push({ method, args: parseArgs(s, method), at: where(text, mpos) });
    }
    if (collection === "") throw syntax(text, start, "Empty collection name");
    return { collection, calls, pos: start };
  }
}

function parseArgs(s: Scanner, method: string): unknown[] {
  const texts = s.args();
  return texts.map((arg, i) => {
    let value: unknown;
    try {
      value = JSON5.parse(arg.out);
    } catch (err) {
      const e = err as { lineNumber?: number; columnNumber?: number; message?: string };
      let offset = arg.start;
      if (typeof e.lineNumber === "number" && typeof e.columnNumber === "number") {
        const lines = arg.out.split("\n");
        let o = 0;
        for (let l = 0; l < e.lineNumber - 1; l++) o += (lines[l]?.length ?? 0) + 1;
        o += e.columnNumber - 1;
        offset = arg.map[Math.min(o, arg.map.length - 1)] ?? arg.start;
      }
      const detail = (e.message ?? "invalid value").replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
      throw syntax(s.text, offset, `Argument ${i + 1} of ${method}(): ${detail}`);
    }
    return revive(value);
  });
}

/**
 * Turns Extended-JSON markers into values and refuses blocked keys, walking every nested value.
 * Depth is bounded by the scanner (maxNesting), so recursion is safe.
 */
export function revive(value: unknown): unknown {
  if (typeof value === "string") {
    checkPathString(value);
    return value;
  }
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const only = keys[0] ?? "";
    const v = obj[only];
    if (only === "$date") return toDate(v);
    if (only === "$oid" && typeof v === "string") return v;
    if (
      (only === "$numberLong" || only === "$numberInt" || only === "$numberDouble") &&
      typeof v === "string"
    ) {
      return Number(v);
    }
    if (only === "$numberDecimal" && typeof v === "string") return Number(v);
    if (only === "$regularExpression" && v !== null && typeof v === "object") {
      const r = v as { pattern?: unknown; options?: unknown };
      if (typeof r.pattern === "string" && typeof r.options === "string") {
        try {
          return new RegExp(r.pattern, r.options);
        } catch (err) {
          throw new QueryError("syntax", (err as Error).message);
        }
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    checkKey(key);
    out[key] = revive(obj[key]);
  }
  return out;
}

function toDate(v: unknown): Date {
  if (typeof v === "string" || typeof v === "number") {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new QueryError("syntax", `Invalid date: ${JSON.stringify(v)}`);
}

function checkKey(key: string): void {
  const reason = own(blockedKeys, key);
  if (reason !== undefined) throw new QueryError("blocked", `${key} is not allowed: ${reason}`);
  for (const part of key.split(".")) {
    if (protoNames.has(part.replace(/^\$+/, ""))) {
      throw new QueryError(
        "blocked",
        `The field name '${key}' is not allowed (it could reach an object prototype)`,
      );
    }
  }
}

/** Field paths ("$a.b", "$$ROOT.c") and dotted names must not walk into a prototype either. */
function checkPathString(value: string): void {
  if (value.includes("__proto__")) {
    throw new QueryError("blocked", "'__proto__' is not allowed (it could reach an object prototype)");
  }
  if (value.startsWith("$") || value.includes(".")) {
    for (const part of value.split(".")) {
      if (protoNames.has(part.replace(/^\$+/, ""))) {
        throw new QueryError(
          "blocked",
          `The path '${value}' is not allowed (it could reach an object prototype)`,
        );
      }
    }
  }
}
