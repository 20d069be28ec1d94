/**
 * A PostgreSQL lexer just good enough to split learner SQL into statements and to refuse
 * what the sandbox never runs, looking only at code, never inside literals or comments.
 *
 * It follows PostgreSQL's own lexer (scan.l) where that matters for safety:
 * `--` and nested block comments (also when they start inside an operator), standard strings
 * ('…' with '' — standard_conforming_strings is on and cannot be changed by learners),
 * escape strings (E'…' with backslash escapes), bit/hex strings (B'…', X'…'), N'…', U&'…',
 * dollar-quoted bodies ($tag$…$tag$, where `$` inside an identifier never starts one),
 * positional parameters ($1) and "…" identifiers. Every statement is sent to the engine
 * exactly as split here, one protocol message per statement, so a disagreement between this
 * lexer and the engine can only produce an engine error, never a statement the checks missed.
 */
import type { FailureReason } from "../../core/sandbox.js";

export type TokenKind = "word" | "qword" | "string" | "dollar" | "number" | "param" | "op" | "punct";

export interface Token {
  kind: TokenKind;
  /** word: ASCII-lowercased; qword: the identifier as written; string/dollar: the body; else the text. */
  value: string;
  start: number;
  end: number;
}

export interface Statement {
  /** The statement's text as it will be sent (no trailing semicolon). */
  text: string;
  tokens: Token[];
}

export type Refusal = { reason: Extract<FailureReason, "syntax" | "too-large" | "blocked">; message: string };
export type ScanResult = { ok: true; statements: Statement[] } | ({ ok: false } & Refusal);

/** Parentheses/brackets nested deeper than this are refused before the engine sees them. */
export const maxNesting = 256;

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
const isIdentCont = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;
const opChars = new Set("+-*/<>=~!@#%^&|`?".split("").map((ch) => ch.charCodeAt(0)));
const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

class ScanError extends Error {
  constructor(
    readonly reason: Refusal["reason"],
    message: string,
  ) {
    super(message);
  }
}

/** Tokenizes `sql`; throws ScanError on unterminated literals/comments or excessive nesting. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  let depth = 0;
  const code = (k: number) => (k < n ? sql.charCodeAt(k) : -1);

  /** A quoted literal from `open` (the quote's index); returns [body, end]. */
  const quoted = (open: number, backslashEscapes: boolean, doubledQuotes: boolean): [string, number] => {
    let k = open + 1;
    let body = "";
    let from = k;
    for (;;) {
      if (k >= n) throw new ScanError("syntax", "unterminated quoted string");
      const c = sql.charCodeAt(k);
      if (backslashEscapes && c === 92) {
        k += 2;
        continue;
      }
      if (c === 39) {
        if (doubledQuotes && code(k + 1) === 39) {
          body += sql.slice(from, k + 1);
          k += 2;
          from = k;
          continue;
        }
        body += sql.slice(from, k);
        return [body, k + 1];
      }
      k++;
    }
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // Comments first: like the engine, `--` and `/*` start a comment even inside an operator.
    if (c === 45 && code(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10 && sql.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 47 && code(i + 1) === 42) {
      let nest = 1;
      i += 2;
      while (nest > 0) {
        if (i >= n) throw new ScanError("syntax", "unterminated /* comment");
        if (sql.charCodeAt(i) === 47 && code(i + 1) === 42) {
          nest++;
          i += 2;
        } else if (sql.charCodeAt(i) === 42 && code(i + 1) === 47) {
          nest--;
          i += 2;
        } else i++;
      }
      continue;
    }
    const start = i;
    if (c === 39) {
      const [body, end] = quoted(i, false, true);
      tokens.push({ kind: "string", value: body, start, end });
      i = end;
      continue;
    }
    if (c === 34) {
      let k = i + 1;
      let body = "";
      for (;;) {
        if (k >= n) throw new ScanError("syntax", "unterminated quoted identifier");
        if (sql.charCodeAt(k) === 34) {
          if (code(k + 1) === 34) {
            body += '"';
            k += 2;
            continue;
          }
          break;
        }
        body += sql[k];
        k++;
      }
      tokens.push({ kind: "qword", value: body, start, end: k + 1 });
      i = k + 1;
      continue;
    }
    if (c === 36) {
      if (isDigit(code(i + 1))) {
        let k = i + 1;
        while (isDigit(code(k))) k++;
        tokens.push({ kind: "param", value: sql.slice(i, k), start, end: k });
        i = k;
        continue;
      }
      let k = i + 1;
      if (isIdentStart(code(k))) {
        k++;
        while (k < n && isIdentCont(sql.charCodeAt(k)) && sql.charCodeAt(k) !== 36) k++;
      }
      if (code(k) === 36) {
        const delim = sql.slice(i, k + 1);
        const close = sql.indexOf(delim, k + 1);
        if (close < 0) throw new ScanError("syntax", "unterminated dollar-quoted string");
        tokens.push({ kind: "dollar", value: sql.slice(k + 1, close), start, end: close + delim.length });
        i = close + delim.length;
        continue;
      }
      tokens.push({ kind: "op", value: "$", start, end: i + 1 });
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let k = i + 1;
      while (k < n && isIdentCont(sql.charCodeAt(k))) k++;
      const word = lowerAscii(sql.slice(i, k));
      const next = code(k);
      if (next === 39 && (word === "e" || word === "b" || word === "x" || word === "n")) {
        // E'…' has backslash escapes; B'…'/X'…' end at the first quote; N'…' is standard.
        const [body, end] =
          word === "e"
            ? quoted(k, true, true)
            : word === "n"
              ? quoted(k, false, true)
              : quoted(k, false, false);
        tokens.push({ kind: "string", value: body, start, end });
        i = end;
        continue;
      }
      if (word === "u" && next === 38 && (code(k + 1) === 39 || code(k + 1) === 34)) {
        if (code(k + 1) === 34)
          throw new ScanError("blocked", 'Unicode-escaped identifiers (U&"…") are not allowed');
        const [body, end] = quoted(k + 1, false, true);
        tokens.push({ kind: "string", value: body, start, end });
        i = end;
        continue;
      }
      tokens.push({ kind: "word", value: word, start, end: k });
      i = k;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(code(i + 1)))) {
      const m = /^(?:0[xXoObB][0-9A-Fa-f_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(
        sql.slice(i, i + 400),
      );
      const len = m ? m[0].length : 1;
      tokens.push({ kind: "number", value: sql.slice(i, i + len), start, end: i + len });
      i += len;
      continue;
    }
    if (opChars.has(c)) {
      let k = i;
      while (k < n && opChars.has(sql.charCodeAt(k))) {
        const a = sql.charCodeAt(k);
        const b = code(k + 1);
        if ((a === 45 && b === 45) || (a === 47 && b === 42)) break;
        k++;
      }
      if (k === i) k = i + 1;
      tokens.push({ kind: "op", value: sql.slice(i, k), start, end: k });
      i = k;
      continue;
    }
    if (c === 40 || c === 91) {
      depth++;
      if (depth > maxNesting)
        throw new ScanError(
          "too-large",
          `nesting deeper than ${maxNesting} parentheses/brackets is not allowed`,
        );
    } else if (c === 41 || c === 93) depth = Math.max(0, depth - 1);
    tokens.push({ kind: "punct", value: sql[i] ?? "", start, end: i + 1 });
    i++;
  }
  return tokens;
}

const isWord = (t: Token | undefined, ...values: string[]) =>
  t !== undefined && t.kind === "word" && (values.length === 0 || values.includes(t.value));

/** The leading words of a statement, skipping opening parentheses: `(SELECT …)` → select. */
function leadingWords(tokens: Token[], count: number): string[] {
  const words: string[] = [];
  for (const t of tokens) {
    if (t.kind === "punct" && t.value === "(" && words.length === 0) continue;
    if (t.kind !== "word") break;
    words.push(t.value);
    if (words.length >= count) break;
  }
  return words;
}

/** Is this statement CREATE [OR REPLACE] FUNCTION|PROCEDURE? */
function isRoutineDefinition(tokens: Token[]): boolean {
  const w = leadingWords(tokens, 4);
  if (w[0] !== "create") return false;
  const kind = w[1] === "or" && w[2] === "replace" ? w[3] : w[1];
  return kind === "function" || kind === "procedure";
}

/**
 * Splits `sql` into statements at top-level semicolons (inside parentheses a semicolon is left
 * for the engine to refuse; inside a SQL-standard `BEGIN ATOMIC … END` body it belongs to the body).
 */
export function splitStatements(sql: string): ScanResult {
  if (sql.includes("\0"))
    return { ok: false, reason: "syntax", message: "the query contains a NUL character" };
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (error) {
    if (error instanceof ScanError) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
  const statements: Statement[] = [];
  let current: Token[] = [];
  let parens = 0;
  let atomic = 0;
  const flush = (endIndex: number) => {
    const first = current[0];
    if (first !== undefined)
      statements.push({ text: sql.slice(first.start, endIndex).trim(), tokens: current });
    current = [];
    parens = 0;
    atomic = 0;
  };
  for (const t of tokens) {
    if (t.kind === "punct" && t.value === ";" && parens === 0 && atomic === 0) {
      flush(t.start);
      continue;
    }
    if (t.kind === "punct" && (t.value === "(" || t.value === "[")) parens++;
    else if (t.kind === "punct" && (t.value === ")" || t.value === "]")) parens = Math.max(0, parens - 1);
    else if (t.kind === "word") {
      const prev = current[current.length - 1];
      if (t.value === "atomic" && isWord(prev, "begin") && isRoutineDefinition(current)) atomic = 1;
      else if (atomic > 0 && t.value === "case") atomic++;
      else if (atomic > 0 && t.value === "end") atomic--;
    }
    current.push(t);
  }
  const last = current[current.length - 1];
  if (last) flush(last.end);
  return { ok: true, statements };
}

/** Functions that reach files, other sessions, the server's configuration or dynamic SQL. */
const blockedFunctions = new Set([
  "pg_read_file",
  "pg_read_binary_file",
  "pg_ls_dir",
  "pg_stat_file",
  "pg_terminate_backend",
  "pg_cancel_backend",
  "pg_reload_conf",
  "pg_rotate_logfile",
  "pg_current_logfile",
  "pg_promote",
  "pg_switch_wal",
  "pg_create_restore_point",
  "pg_log_backend_memory_contexts",
  "pg_import_system_collations",
  "pg_notify",
  "set_config",
  "loread",
  "lowrite",
  "ts_stat",
  "ts_rewrite",
  "pg_start_backup",
  "pg_stop_backup",
  "pg_drop_replication_slot",
  "pg_create_physical_replication_slot",
  "pg_create_logical_replication_slot",
  "pg_copy_physical_replication_slot",
  "pg_copy_logical_replication_slot",
]);
const blockedFunctionPrefixes = [
  "lo_",
  "dblink",
  "pg_read_",
  "pg_ls_",
  "pg_file_",
  "pg_sleep",
  "query_to_xml",
  "database_to_xml",
  "schema_to_xml",
  "pg_backup_",
  "pg_replication_",
  "pg_logical_",
];

function blockedFunction(name: string): boolean {
  return blockedFunctions.has(name) || blockedFunctionPrefixes.some((p) => name.startsWith(p));
}

/** Statement-leading keywords that are never run, with what to call them in the refusal. */
const blockedLeading: Record<string, string> = {
  begin: "transaction control (BEGIN)",
  start: "transaction control (START TRANSACTION)",
  commit: "transaction control (COMMIT)",
  end: "transaction control (END)",
  rollback: "transaction control (ROLLBACK)",
  abort: "transaction control (ABORT)",
  savepoint: "transaction control (SAVEPOINT)",
  release: "transaction control (RELEASE SAVEPOINT)",
  copy: "COPY",
  load: "LOAD",
  do: "DO blocks",
  listen: "LISTEN",
  unlisten: "UNLISTEN",
  notify: "NOTIFY",
  reset: "RESET (changing settings)",
  grant: "GRANT",
  revoke: "REVOKE",
  vacuum: "VACUUM",
  analyze: "ANALYZE",
  analyse: "ANALYZE",
  checkpoint: "CHECKPOINT",
  cluster: "CLUSTER",
  reindex: "REINDEX",
  discard: "DISCARD",
  security: "SECURITY LABEL",
  import: "IMPORT FOREIGN SCHEMA",
  reassign: "REASSIGN OWNED",
};

/** Object kinds that CREATE/ALTER/DROP may never touch. */
const blockedObjects: Record<string, string> = {
  extension: "extensions",
  role: "roles",
  user: "roles",
  group: "roles",
  language: "languages",
  procedural: "languages",
  trusted: "languages",
  tablespace: "tablespaces",
  database: "databases",
  server: "foreign servers",
  foreign: "foreign data wrappers and tables",
  subscription: "subscriptions",
  publication: "publications",
  event: "event triggers",
  access: "access methods",
  system: "ALTER SYSTEM",
  default: "default privileges",
  large: "large objects",
};

/** Words refused anywhere in code (rule actions, CREATE SCHEMA elements, routine bodies). */
const blockedAnywhere: Record<string, string> = {
  grant: "GRANT",
  revoke: "REVOKE",
  notify: "NOTIFY",
  listen: "LISTEN",
};

/** Words refused anywhere inside routine bodies (PL/pgSQL or SQL). */
const blockedInBodies: Record<string, string> = {
  copy: "COPY",
  execute: "dynamic SQL (EXECUTE)",
};

/** Words refused where a statement starts inside a routine body (`UPDATE t SET …` stays allowed). */
const blockedBodyStatements: Record<string, string> = {
  set: "changing settings (SET)",
  reset: "changing settings (RESET)",
  load: "LOAD",
  do: "DO blocks",
  commit: "transaction control (COMMIT)",
  rollback: "transaction control (ROLLBACK)",
  savepoint: "transaction control (SAVEPOINT)",
  release: "transaction control (RELEASE)",
};
const bodyStatementStarts = new Set(["begin", "then", "else", "loop", "as", "atomic"]);

const allowedLanguages = new Set(["sql", "plpgsql"]);
const maxBodyNesting = 4;

function blocked(message: string): Refusal {
  return { reason: "blocked", message };
}

/** Does token `k` start a statement inside a routine body? */
function startsBodyStatement(tokens: Token[], k: number): boolean {
  const prev = tokens[k - 1];
  if (prev === undefined) return true;
  if (prev.kind === "punct" && prev.value === ";") return true;
  if (prev.kind === "op" && prev.value.endsWith(">>")) return true;
  return prev.kind === "word" && bodyStatementStarts.has(prev.value);
}

/** Checks function names and anywhere-words of a token list (and body rules when inside a body). */
function checkCode(tokens: Token[], inBody: boolean): Refusal | null {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (t.kind === "word" || t.kind === "qword") {
      if (blockedFunction(t.value)) return blocked(`calling ${t.value}() is not allowed`);
    }
    if (t.kind !== "word") continue;
    const anywhere = blockedAnywhere[t.value];
    if (anywhere) return blocked(`${anywhere} is not allowed`);
    if (!inBody) continue;
    const bodyWord = blockedInBodies[t.value];
    if (bodyWord) return blocked(`${bodyWord} is not allowed inside a function body`);
    const bodyStatement = blockedBodyStatements[t.value];
    if (bodyStatement && startsBodyStatement(tokens, k))
      return blocked(`${bodyStatement} is not allowed inside a function body`);
  }
  return null;
}

/** Refuses CREATE/ALTER FUNCTION|PROCEDURE in anything but SQL or PL/pgSQL, with settings, or with unsafe bodies. */
function checkRoutine(tokens: Token[], nesting: number): Refusal | null {
  // A SQL-standard body (BEGIN ATOMIC … END) is code: checked like a body, not as the header.
  const atomicAt = tokens.findIndex((t, k) => isWord(t, "atomic") && isWord(tokens[k - 1], "begin"));
  const header = atomicAt < 0 ? tokens : tokens.slice(0, atomicAt);
  if (atomicAt >= 0) {
    const refusal = checkCode(tokens.slice(atomicAt), true);
    if (refusal) return refusal;
  }
  for (let k = 0; k < header.length; k++) {
    const t = header[k] as Token;
    if (t.kind === "word" && t.value === "language") {
      const lang = header[k + 1];
      const name =
        lang && (lang.kind === "word" || lang.kind === "qword" || lang.kind === "string") ? lang.value : "";
      if (!allowedLanguages.has(lowerAscii(name)))
        return blocked(`functions in LANGUAGE ${name || "?"} are not allowed (only sql and plpgsql)`);
    }
    if (t.kind === "word" && (t.value === "set" || t.value === "reset"))
      return blocked("functions that change settings (SET/RESET) are not allowed");
    if (t.kind === "string" || t.kind === "dollar") {
      if (nesting >= maxBodyNesting) return blocked("function bodies nested this deep are not allowed");
      let inner: Token[];
      try {
        inner = tokenize(t.value);
      } catch {
        return blocked("a function body that cannot be checked is not allowed");
      }
      const refusal = checkCode(inner, true) ?? checkNestedRoutines(inner, nesting + 1);
      if (refusal) return refusal;
    }
  }
  return null;
}

/** Inside a body, a CREATE FUNCTION statement's own body is checked the same way. */
function checkNestedRoutines(tokens: Token[], nesting: number): Refusal | null {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (t.kind === "word" && t.value === "create") {
      const rest = tokens.slice(k);
      if (isRoutineDefinition(rest)) {
        const refusal = checkRoutine(rest, nesting);
        if (refusal) return refusal;
      }
      const w = leadingWords(rest, 4);
      const kind = w[1] === "or" && w[2] === "replace" ? w[3] : w[1];
      const object = kind === undefined ? undefined : blockedObjects[kind];
      if (object) return blocked(`creating ${object} is not allowed`);
    }
  }
  return null;
}

/**
 * Refuses what no attempt may run, statement by statement. Returns null when the statement may
 * be sent to the engine (which still enforces read-only transactions and its own limits).
 */
export function checkStatement(statement: Statement): Refusal | null {
  const tokens = statement.tokens;
  const w = leadingWords(tokens, 5);
  const first = w[0];
  if (first === undefined) return null;
  if (first === "set") {
    // SET CONSTRAINTS and SET TRANSACTION act on the attempt's own transaction only.
    if (w[1] === "constraints" || w[1] === "transaction") return checkCode(tokens, false);
    return blocked("changing settings (SET) is not allowed");
  }
  if (first === "prepare" && w[1] === "transaction")
    return blocked("transaction control (PREPARE TRANSACTION) is not allowed");
  if (first === "alter" && w[1] === "system") return blocked("ALTER SYSTEM is not allowed");
  const leading = blockedLeading[first];
  if (leading) {
    const isTransaction = leading.startsWith("transaction control");
    return blocked(
      isTransaction
        ? `${leading} is not allowed: each attempt runs in its own transaction`
        : `${leading} is not allowed`,
    );
  }
  if (first === "create" || first === "alter" || first === "drop") {
    const kind = w[1] === "or" && w[2] === "replace" ? w[3] : w[1] === "unique" ? w[2] : w[1];
    const object = kind === undefined ? undefined : blockedObjects[kind];
    if (object) return blocked(`${first.toUpperCase()} on ${object} is not allowed`);
    if (kind === "function" || kind === "procedure" || kind === "routine") {
      const refusal = checkRoutine(tokens, 0);
      if (refusal) return refusal;
    }
  }
  return checkCode(tokens, false);
}

/** Leading words that EXPLAIN accepts. */
const explainable = new Set([
  "select",
  "with",
  "values",
  "table",
  "insert",
  "update",
  "delete",
  "merge",
  "execute",
]);

export function isExplainable(statement: Statement): boolean {
  const first = leadingWords(statement.tokens, 1)[0];
  if (first === undefined) return false;
  if (explainable.has(first)) return true;
  // `(SELECT …)`
  return statement.tokens[0]?.kind === "punct" && statement.tokens[0].value === "(";
}
