/**
 * A lexical view of SQL text that matches SQLite's own tokenizer (tokenize.c) where it matters:
 * comments (`--` to the end of the line, `/* … *\/` to its close or the end of input), strings
 * ('…' with '' as an escape), quoted identifiers ("…", `…` with doubled delimiters, […] without
 * escapes), and identifier characters (ASCII letters, digits, `_`, `$`, and every character at or
 * above 0x80). SQLite has no dynamic SQL, so a keyword the learner's text does not spell as a bare
 * word can never run: that makes the check below sound, as long as the word boundaries agree with
 * SQLite's. Where they could differ (a variable such as `@attach`, a number glued to letters), this
 * tokenizer errs towards seeing MORE keywords than SQLite does, never fewer.
 */

export type TokenKind =
  /** A maximal run of identifier characters: a keyword, a bare name, a number, a `$variable`. */
  | "word"
  /** "…", `…` or […]: SQLite's tokenizer makes these identifiers. */
  | "quoted"
  /** '…' (SQLite also accepts a string where a name is expected, e.g. a table name). */
  | "string"
  | "semi"
  /** Any other single character. */
  | "punct";

export interface Token {
  kind: TokenKind;
  /** Offsets into the source text, end exclusive. */
  start: number;
  end: number;
  /** For words and punctuation, the text; for quoted tokens, the unquoted content. */
  value: string;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/** SQLite's `IdChar`: ASCII letters, digits, `_`, `$`, and every byte at or above 0x80. */
export const isIdChar = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || // a-z
  (c >= 0x41 && c <= 0x5a) || // A-Z
  (c >= 0x30 && c <= 0x39) || // 0-9
  c === 0x5f || // _
  c === 0x24 || // $
  c >= 0x80;

/** Where a quoted token that opens at `start` with `delim` ends (exclusive), and its content. */
function scanQuoted(sql: string, start: number, delim: string): { end: number; value: string } {
  let value = "";
  let i = start + 1;
  for (;;) {
    const close = sql.indexOf(delim, i);
    if (close < 0) return { end: sql.length, value: value + sql.slice(i) };
    value += sql.slice(i, close);
    if (sql[close + 1] === delim) {
      value += delim;
      i = close + 2;
      continue;
    }
    return { end: close + 1, value };
  }
}

/** Tokens of `sql`, whitespace and comments left out. Never throws; runs in linear time. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      // -- comment, to the end of the line
      const nl = sql.indexOf("\n", i + 2);
      i = nl < 0 ? n : nl + 1;
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      // /* comment */, to its close or to the end of the input
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === 0x27 || c === 0x22 || c === 0x60) {
      const delim = sql[i] as string;
      const { end, value } = scanQuoted(sql, i, delim);
      tokens.push({ kind: c === 0x27 ? "string" : "quoted", start: i, end, value });
      i = end;
    } else if (c === 0x5b) {
      const close = sql.indexOf("]", i + 1);
      const end = close < 0 ? n : close + 1;
      tokens.push({ kind: "quoted", start: i, end, value: sql.slice(i + 1, close < 0 ? n : close) });
      i = end;
    } else if (isIdChar(c)) {
      let j = i + 1;
      while (j < n && isIdChar(sql.charCodeAt(j))) j++;
      tokens.push({ kind: "word", start: i, end: j, value: sql.slice(i, j) });
      i = j;
    } else if (c === 0x3b) {
      tokens.push({ kind: "semi", start: i, end: i + 1, value: ";" });
      i++;
    } else {
      tokens.push({ kind: "punct", start: i, end: i + 1, value: sql[i] as string });
      i++;
    }
  }
  return tokens;
}

/** PRAGMAs a learner may run, and only in their read form (`PRAGMA name(arg)`, never `= value`). */
export const readOnlyPragmas: ReadonlySet<string> = new Set([
  "table_info",
  "table_xinfo",
  "index_list",
  "index_info",
  "index_xinfo",
  "foreign_key_list",
]);

/** Statements that reach outside the attempt's own in-memory database. */
const blockedKeywords: ReadonlySet<string> = new Set(["attach", "detach", "vacuum"]);

/**
 * Names that must never be called, whether written bare, quoted ("load_extension"(…) is still a
 * function call in SQLite) or as a string where a name is expected.
 */
const blockedNames: ReadonlySet<string> = new Set(["load_extension", "fts3_tokenizer", "sqlite_dbpage"]);

/** Lower-cases ASCII only, as SQLite compares keywords and names. */
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

const isName = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === "word" || t.kind === "quoted" || t.kind === "string");

/**
 * Why `sql` may not run, as one line naming what is not allowed; null when nothing in it is blocked.
 * Blocks ATTACH, DETACH, VACUUM, load_extension (and two other dangerous names), every PRAGMA outside
 * the read-only allowlist or written with a value, and the matching `pragma_*` table-valued functions.
 */
export function blockedReason(sql: string): string | null {
  // SQLite stops reading at a NUL (and better-sqlite3 stops checking there): refuse the mismatch.
  if (sql.includes("\u0000")) return "NUL characters are not allowed in a query.";
  const tokens = tokenize(sql);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === "semi" || t.kind === "punct") continue;
    const lower = asciiLower(t.value);
    if (t.kind === "word" && blockedKeywords.has(lower)) {
      return `${lower.toUpperCase()} is not allowed in the sandbox.`;
    }
    if (blockedNames.has(lower)) return `${lower} is not allowed in the sandbox.`;
    if (lower.startsWith("pragma_") && !readOnlyPragmas.has(lower.slice("pragma_".length))) {
      return `${lower} is not allowed; only ${[...readOnlyPragmas].map((p) => `pragma_${p}`).join(", ")} may be read.`;
    }
    if (t.kind === "word" && lower === "pragma") {
      const reason = pragmaReason(tokens, i + 1);
      if (reason) return reason;
    }
  }
  return null;
}

/** Checks the PRAGMA whose name starts at tokens[i]: `PRAGMA [schema.]name [(arg)]` and nothing else. */
function pragmaReason(tokens: Token[], i: number): string | null {
  const allowed = `only ${[...readOnlyPragmas].join(", ")} may be read`;
  let name = tokens[i];
  let next = i + 1;
  if (isName(name) && tokens[next]?.kind === "punct" && tokens[next]?.value === ".") {
    name = tokens[next + 1];
    next += 2;
  }
  if (!isName(name)) return `This PRAGMA is not allowed; ${allowed}.`;
  const pragma = asciiLower(name.value);
  if (!readOnlyPragmas.has(pragma)) return `PRAGMA ${pragma} is not allowed; ${allowed}.`;
  const after = tokens[next];
  if (after === undefined || after.kind === "semi" || (after.kind === "punct" && after.value === "(")) {
    return null;
  }
  return `PRAGMA ${pragma} may only be read (PRAGMA ${pragma}(name)), not set.`;
}

// sqlite3_complete's statement machine (complete.c): it knows that `;` inside CREATE TRIGGER … END
// does not end the statement.
const TK_SEMI = 0;
const TK_OTHER = 2;
const TK_EXPLAIN = 3;
const TK_CREATE = 4;
const TK_TEMP = 5;
const TK_TRIGGER = 6;
const TK_END = 7;
/** complete.c's `trans[8][8]`: [state][token] → next state (whitespace keeps the state). */
const TRANS: readonly (readonly number[])[] = [
  /*                SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
  /* 0 INVALID: */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1   START: */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2  NORMAL: */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN: */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4  CREATE: */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER: */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6    SEMI: */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7     END: */ [1, 7, 5, 5, 5, 5, 5, 5],
];
const START = 1;
const completeKeywords: Readonly<Record<string, number>> = {
  explain: TK_EXPLAIN,
  create: TK_CREATE,
  temp: TK_TEMP,
  temporary: TK_TEMP,
  trigger: TK_TRIGGER,
  end: TK_END,
};

/**
 * The statements of `sql` as slices of the original text (each with its closing `;`), split where
 * sqlite3_complete would say a statement is complete. Empty statements (only `;`, whitespace or
 * comments) are left out.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let state = 0;
  let start = 0;
  let hasContent = false;
  for (const t of tokenize(sql)) {
    let kind = TK_OTHER;
    if (t.kind === "semi") kind = TK_SEMI;
    else if (t.kind === "word") kind = completeKeywords[asciiLower(t.value)] ?? TK_OTHER;
    state = TRANS[state]?.[kind] ?? 2;
    if (kind !== TK_SEMI) hasContent = true;
    if (kind === TK_SEMI && state === START) {
      if (hasContent) out.push(sql.slice(start, t.end));
      start = t.end;
      hasContent = false;
    }
  }
  if (hasContent) out.push(sql.slice(start));
  return out;
}

/** Whether the first token of `sql` is the word EXPLAIN (its plan cannot be explained again). */
export function startsWithExplain(sql: string): boolean {
  const first = tokenize(sql)[0];
  return first?.kind === "word" && asciiLower(first.value) === "explain";
}
