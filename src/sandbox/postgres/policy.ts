/**
 * Which learner SQL may reach the PostgreSQL engine, decided on PostgreSQL's own parser
 * (libpg-query: the PostgreSQL 18 parser compiled to WebAssembly) rather than a hand-written lexer.
 *
 * The submission is scanned, parsed and split where PostgreSQL splits it; every statement is then
 * parsed again on its own (exactly as it will be sent, one protocol message each) and checked on
 * that tree: an allow-list of statement kinds, a deny-list of functions in every form they can be
 * named (calls, ObjectWithArgs, trigger functions, '…'::regproc), no writes to system catalogs
 * (pg_settings holds the settings), and function bodies checked by the same rules, PL/pgSQL ones
 * through libpg-query's PL/pgSQL parser.
 *
 * Ambiguity rule: with standard_conforming_strings off, a backslash escapes the next character in
 * a '…' string, so `'\'` would end somewhere else. Every text parsed here (submission, function
 * bodies, PL/pgSQL expressions) is refused when a '…' or U&'…' string holds a backslash right
 * before a quote; without one, both readings end every string in the same place.
 */
import { loadModule, parsePlPgSQLSync, parseSync, type ScanToken, scanSync } from "libpg-query";
import type { FailureReason } from "../../core/sandbox.js";
import {
  blocked,
  checkDropOrRename,
  checkFunctionName,
  checkWriteTargets,
  dataModifying,
  isObj,
  isSystemName,
  kindRefusal,
  kindWords,
  lowerAscii,
  names,
  nestedKinds,
  notWrites,
  type Obj,
  Refused,
  rangeVarName,
  settingRefusal,
  visitNested,
  walk,
  writeKinds,
} from "./policy-walk.js";

export type PolicyRefusal = {
  ok: false;
  reason: Extract<FailureReason, "syntax" | "blocked" | "too-large" | "read-only">;
  message: string;
};
export type PolicyResult = { ok: true; statements: string[] } | PolicyRefusal;

/** Parentheses/brackets nested deeper than this are refused before the parser sees them. */
const maxNesting = 256;
/** Function bodies inside function bodies, at most this deep. */
const maxBodyNesting = 4;

interface Statement {
  kind: string;
  node: Obj;
  /** The statement's own text, or "" inside a BEGIN ATOMIC body. */
  text: string;
}
interface Context {
  /** Inside a function body: no SET at all, and RETURN is a statement. */
  body: boolean;
  depth: number;
}

const ambiguous =
  "a backslash right before a quote in a '…' string is ambiguous: write E'…' for backslash escapes, or double the quote ('')";
const uncheckable = "a function body that cannot be checked is not allowed";
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** Loads the parser (WebAssembly); call once before checkSubmission. */
let loading: Promise<void> | undefined;

export function loadPolicy(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

/** What a parser failure means for the learner: too deep, or a syntax error in the parser's words. */
function parseFailure(error: unknown): Refused {
  if (error instanceof Refused) return error;
  if (error instanceof RangeError) return new Refused("too-large", "the query is nested too deeply to check");
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (/memory exhausted|stack depth/i.test(message))
    return new Refused("too-large", `the query is nested too deeply (${message})`);
  return new Refused("syntax", message || "the query could not be parsed");
}

/** Scans, checks nesting and the ambiguity rule, and parses `text` into statements. */
function parseText(text: string, inBody: boolean): Statement[] {
  const fail = (error: unknown): never => {
    const refusal = parseFailure(error);
    if (inBody && refusal.reason === "syntax") blocked(`${uncheckable} (${refusal.message})`);
    throw refusal;
  };
  if (text.trim() === "") return [];
  if (text.includes("\0")) fail(new Error("the text contains a NUL character"));
  if (needsTokens(text)) checkTokens(tokensOf(text, fail));
  let stmts: unknown[] = [];
  try {
    stmts = parseSync(text).stmts ?? [];
  } catch (error) {
    fail(error);
  }
  if (deeperThan(stmts, maxTreeDepth))
    throw new Refused("too-large", "the query is nested too deeply to check");
  const bytes = Buffer.from(text, "utf8");
  return stmts.flatMap((raw) => {
    if (!isObj(raw)) return [];
    const start = typeof raw.stmt_location === "number" ? raw.stmt_location : 0;
    const end = typeof raw.stmt_len === "number" && raw.stmt_len > 0 ? start + raw.stmt_len : bytes.length;
    const own = bytes.subarray(start, end).toString("utf8").trim();
    const [kind, node] = tagged(raw.stmt);
    return own === "" ? [] : [{ kind, node, text: own }];
  });
}

/** Parse trees deeper than this (a chain like 1+1+…+1 has no parentheses) are refused. */
const maxTreeDepth = 3_000;

/** Whether a parse tree nests deeper than `limit` (iterative: the tree may be deeper than the stack). */
function deeperThan(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth] = item;
    if (depth > limit) return true;
    if (typeof value !== "object" || value === null) continue;
    for (const child of Object.values(value)) if (typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Whether the token check can find anything: without a backslash no string is ambiguous, and with
 * no more brackets in all than the limit none can nest past it. Most queries skip the scanner.
 */
function needsTokens(text: string): boolean {
  if (text.includes("\\")) return true;
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 40 || c === 91) && ++brackets > maxNesting) return true;
  }
  return false;
}

/** Refuses nesting past the limit and strings that the ambiguity rule forbids. */
function checkTokens(tokens: ScanToken[]): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.text === "(" || t.text === "[") {
      if (++depth > maxNesting)
        throw new Refused(
          "too-large",
          `nesting deeper than ${maxNesting} parentheses/brackets is not allowed`,
        );
    } else if (t.text === ")" || t.text === "]") depth = Math.max(0, depth - 1);
    else if (/^(?:[uU]&)?'/.test(t.text) && t.text.includes("\\'")) blocked(ambiguous);
  }
}

/** The scanner's tokens (byte offsets); a text the scanner rejects fails with the parser's message. */
function tokensOf(text: string, fail: (error: unknown) => never): ScanToken[] {
  try {
    return scanSync(text).tokens ?? [];
  } catch (error) {
    try {
      parseSync(text);
    } catch (parseError) {
      fail(parseError);
    }
    return fail(error);
  }
}

/** {SelectStmt: {…}} → ["SelectStmt", {…}]. */
function tagged(value: unknown): [string, Obj] {
  const [kind, node] = Object.entries(isObj(value) ? value : {})[0] ?? ["", {}];
  return [kind, isObj(node) ? node : {}];
}

/** Up to three leading keywords of a statement, for naming what is refused: "REFRESH MATERIALIZED VIEW". */
function leadingWords(st: Statement): string {
  const words: string[] = [];
  let tokens: ScanToken[] = [];
  try {
    tokens = st.text === "" ? [] : (scanSync(st.text).tokens ?? []);
  } catch {}
  for (const t of tokens) {
    if (t.keywordKind === 0 || words.length === 3) break;
    words.push(t.text.toUpperCase());
  }
  return words.length > 0 ? words.join(" ") : kindWords(st.kind);
}

/** Refuses what a statement may not do anywhere (top level or inside a function body). */
function checkStatement(st: Statement, ctx: Context): void {
  const { kind, node } = st;
  if (kind === "VariableSetStmt") {
    const refusal = settingRefusal(node, ctx.body);
    if (refusal !== null) blocked(refusal);
    return;
  }
  const refusal = kindRefusal(kind, node);
  if (refusal !== undefined) blocked(refusal);
  if (!writeKinds.has(kind) && !(ctx.body && kind === "ReturnStmt"))
    blocked(`${leadingWords(st)} is not allowed${ctx.body ? " inside a function body" : ""}`);
  checkDropOrRename(kind, node);
  checkWriteTargets(kind, node);
  if (kind === "AlterTableStmt") {
    for (const cmd of Array.isArray(node.cmds) ? node.cmds : []) {
      const subtype = isObj(cmd) && isObj(cmd.AlterTableCmd) ? cmd.AlterTableCmd.subtype : undefined;
      if (subtype === "AT_SetTableSpace") blocked("ALTER TABLE … SET TABLESPACE is not allowed");
      if (subtype === "AT_ChangeOwner") blocked("ALTER TABLE … OWNER TO is not allowed");
    }
  }
  if (kind === "ViewStmt")
    walk(node, (k, n) => {
      if (k === "RangeVar" && isSystemName(rangeVarName(n)))
        blocked(`views over system catalogs (${rangeVarName(n).join(".")}) are not allowed`);
    });
  if (kind === "CreateTrigStmt") checkFunctionName(names(node.funcname));
  if (kind === "ExplainStmt") {
    const [innerKind, inner] = tagged(node.query);
    checkStatement({ kind: innerKind, node: inner, text: "" }, ctx);
  }
  if (kind === "CreateFunctionStmt") checkFunction(st, ctx);
  const omit =
    kind === "ExplainStmt" ? ["query"] : kind === "CreateFunctionStmt" ? ["options", "sql_body"] : [];
  walk(node, visitNested, omit);
}

/** CREATE FUNCTION/PROCEDURE: sql or plpgsql only, no settings, and a body that passes the same rules. */
function checkFunction(st: Statement, ctx: Context): void {
  const { node } = st;
  const name = names(node.funcname);
  if (isSystemName(name))
    blocked(`creating functions in system schemas or named pg_… (${name.join(".")}) is not allowed`);
  let language: string | undefined;
  let body: string[] | undefined;
  for (const option of Array.isArray(node.options) ? node.options : []) {
    const def = isObj(option) && isObj(option.DefElem) ? option.DefElem : {};
    const arg = isObj(def.arg) ? def.arg : {};
    if (def.defname === "set") blocked("functions that change settings (SET/RESET) are not allowed");
    if (def.defname === "support") blocked("support functions (SUPPORT) are not allowed");
    if (
      (def.defname === "language" && language !== undefined) ||
      (def.defname === "as" && body !== undefined)
    )
      blocked(`${String(def.defname).toUpperCase()} may be given only once`);
    if (def.defname === "language") language = isObj(arg.String) ? String(arg.String.sval) : "?";
    if (def.defname === "as") body = isObj(arg.List) ? names(arg.List.items) : [];
  }
  language ??= "sql";
  if (language !== "sql" && language !== "plpgsql")
    blocked(`functions in LANGUAGE ${language} are not allowed: use sql or plpgsql`);
  const inner: Context = { body: true, depth: ctx.depth + 1 };
  if (inner.depth > maxBodyNesting) blocked("function bodies nested this deep are not allowed");
  if (node.sql_body !== undefined) {
    for (const [kind, part] of flattenBody(node.sql_body)) {
      if (!nestedKinds.has(kind) && kind !== "ReturnStmt")
        blocked(`${kindWords(kind)} is not allowed in a BEGIN ATOMIC body`);
      checkStatement({ kind, node: part, text: "" }, inner);
    }
  }
  if (body === undefined) return;
  if (st.text === "" || body.length !== 1) blocked(uncheckable);
  // A '…' body with a backslash would read differently were standard_conforming_strings off.
  const fail = (error: unknown): never => blocked(`${uncheckable} (${parseFailure(error).message})`);
  if (tokensOf(st.text, fail).some((t) => t.text.startsWith("'") && t.text.includes("\\")))
    blocked("a backslash in a '…' string in CREATE FUNCTION is ambiguous: write the body as $$…$$");
  const text = body[0] ?? "";
  if (language === "sql") for (const part of parseText(text, true)) checkStatement(part, inner);
  else checkPlpgsql(st.text, text, inner);
}

/** BEGIN ATOMIC … END is a list of lists of statements; RETURN x is one ReturnStmt. */
function flattenBody(value: unknown): [string, Obj][] {
  if (Array.isArray(value)) return value.flatMap(flattenBody);
  if (isObj(value) && isObj(value.List)) return flattenBody(value.List.items);
  return value === undefined ? [] : [tagged(value)];
}

/** A PL/pgSQL body: no dynamic SQL or transaction control, and every embedded SQL text checked. */
function checkPlpgsql(statementText: string, bodyText: string, ctx: Context): void {
  if (needsTokens(bodyText)) checkTokens(tokensOf(bodyText, () => blocked(uncheckable)));
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(statementText);
  } catch (error) {
    const message = parseFailure(error).message;
    const retyped = /is not a known variable/.test(message)
      ? retypeRowtypes(statementText, bodyText)
      : undefined;
    try {
      if (retyped === undefined) throw error;
      tree = parsePlPgSQLSync(retyped);
    } catch {
      blocked(`${uncheckable} (${message})`);
    }
  }
  const funcs = isObj(tree) && Array.isArray(tree.plpgsql_funcs) ? tree.plpgsql_funcs : [];
  const fn = funcs.length === 1 && isObj(funcs[0]) ? funcs[0].PLpgSQL_function : undefined;
  if (!isObj(fn) || fn.action === undefined) blocked(uncheckable);
  walk(fn, (kind, node) => {
    if (kind === "PLpgSQL_stmt_dynexecute" || kind === "PLpgSQL_stmt_dynfors" || node.dynquery !== undefined)
      blocked("dynamic SQL (EXECUTE) is not allowed inside a function body");
    if (kind === "PLpgSQL_stmt_commit" || kind === "PLpgSQL_stmt_rollback")
      blocked("transaction control (COMMIT/ROLLBACK) is not allowed inside a function body");
    if (kind === "PLpgSQL_expr") checkExpression(String(node.query ?? ""), Number(node.parseMode ?? 0), ctx);
  });
}

/**
 * libpg-query knows no tables: to it `r accounts%ROWTYPE` is a scalar, so `r.f := …` does not
 * compile. The retry writes such types as `record`, replacing whole tokens of the type name only,
 * so every SQL text the walk then checks is the one that will run.
 */
function retypeRowtypes(statementText: string, bodyText: string): string | undefined {
  const around = statementText.split(bodyText);
  if (around.length !== 2) return undefined;
  const tokens = tokensOf(bodyText, () => blocked(uncheckable));
  const bytes = Buffer.from(bodyText, "utf8");
  const out: Buffer[] = [];
  let from = 0;
  const isName = (k: number) => /^(?:"|[A-Za-z_\u0080-\uffff])/.test(tokens[k]?.text ?? "");
  tokens.forEach((t, i) => {
    if (lowerAscii(t.text) !== "rowtype" || tokens[i - 1]?.text !== "%" || !isName(i - 2)) return;
    let first = i - 2;
    while (tokens[first - 1]?.text === "." && isName(first - 2)) first -= 2;
    const start = tokens[first]?.start ?? -1;
    if (start < from) return;
    out.push(bytes.subarray(from, start), Buffer.from("record"));
    from = t.end;
  });
  out.push(bytes.subarray(from));
  return around.join(Buffer.concat(out).toString("utf8"));
}

/**
 * One SQL text inside PL/pgSQL. Mode 0 is a whole statement; the others are expressions the engine
 * parses as a SELECT list (`SELECT <expr>`); an assignment (modes 3–5, `target := expr`) is split
 * at its first top-level `:=` or `=` and both sides are checked.
 */
function checkExpression(query: string, parseMode: number, ctx: Context): void {
  if (parseMode === 0) {
    const statements = parseText(query, true);
    if (statements.length !== 1) blocked(uncheckable);
    for (const st of statements) checkStatement(st, ctx);
    return;
  }
  const parts = parseMode >= 3 && parseMode <= 5 ? splitAssignment(query) : [query];
  for (const part of parts) {
    const statements = parseText(`SELECT ${part}`, true);
    const st = statements[0];
    if (statements.length !== 1 || st?.kind !== "SelectStmt") blocked(uncheckable);
    checkStatement(st, ctx);
  }
}

function splitAssignment(query: string): [string, string] {
  const bytes = Buffer.from(query, "utf8");
  let depth = 0;
  for (const t of tokensOf(query, () => blocked(uncheckable))) {
    if (t.text === "(" || t.text === "[") depth++;
    else if (t.text === ")" || t.text === "]") depth--;
    else if (depth === 0 && (t.text === ":=" || t.text === "="))
      return [bytes.subarray(0, t.start).toString("utf8"), bytes.subarray(t.end).toString("utf8")];
  }
  return blocked(uncheckable);
}

/** In a read-only task: one query, and nothing in it writes. */
function checkReadOnly(st: Statement): void {
  let [kind, node] = [st.kind, st.node];
  if (kind === "ExplainStmt") [kind, node] = tagged(node.query);
  const refuse = (what: string): never => {
    throw new Refused(
      "read-only",
      `cannot execute ${what} in a read-only transaction: this challenge only reads data, so write a SELECT query`,
    );
  };
  if (!notWrites.has(kind)) refuse(kindWords(kind));
  walk({ [kind]: node }, (k, n) => {
    if (dataModifying.has(k) || (k === "SelectStmt" && n.intoClause !== undefined)) refuse(kindWords(k));
  });
  if (kind !== "SelectStmt")
    blocked("this challenge takes one query: SELECT, WITH, VALUES or TABLE (EXPLAIN of one is fine too)");
}

/**
 * The statements of a learner's submission as they will be sent (one protocol message each, no
 * trailing semicolon), or why it may not run. Synchronous after loadPolicy(). Never throws.
 */
export function checkSubmission(
  sql: string,
  options: { allowWrites: boolean; maxStatements: number },
): PolicyResult {
  try {
    if (sql.includes("\0")) throw new Refused("syntax", "the query contains a NUL character");
    if (/[\uD800-\uDFFF]/u.test(sql)) throw new Refused("syntax", "the query contains an invalid character");
    const statements = parseText(sql, false);
    if (statements.length === 0) throw new Refused("syntax", "the query is empty");
    if (!options.allowWrites && statements.length > 1)
      blocked("only one SQL statement is allowed in this challenge");
    if (statements.length > options.maxStatements)
      throw new Refused("too-large", `at most ${options.maxStatements} statements are allowed`);
    const whole = sql.trim();
    for (const statement of statements) {
      // Checked as it will be sent: alone (a lone statement already was).
      const alone = statement.text === whole ? [statement] : parseText(statement.text, false);
      const st = alone[0];
      if (alone.length !== 1 || st?.kind !== statement.kind || st.text !== statement.text)
        blocked("the statements could not be told apart reliably: separate them with semicolons");
      checkStatement(st, { body: false, depth: 0 });
      if (!options.allowWrites) checkReadOnly(st);
    }
    return { ok: true, statements: statements.map((s) => s.text) };
  } catch (error) {
    const refusal =
      error instanceof Refused || error instanceof RangeError
        ? parseFailure(error)
        : new Refused("blocked", `the query could not be checked (${oneLine(String(error))})`);
    return { ok: false, reason: refusal.reason, message: refusal.message };
  }
}
