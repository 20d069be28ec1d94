/**
 * The check of one statement wherever it stands (top level or inside a function body): the
 * allow-list of kinds, settings, writes to system catalogs, and function bodies checked by the
 * same rules (SQL bodies, BEGIN ATOMIC, PL/pgSQL through libpg-query's PL/pgSQL parser).
 */
import { parsePlPgSQLSync, type ScanToken, scanSync } from "libpg-query";
import {
  checkDropOrRename,
  kindRefusal,
  kindWords,
  nestedKinds,
  settingRefusal,
  writeKinds,
} from "./policy-kinds.js";
import { checkFunctionName, checkWriteTargets, rangeVarName, visitNested } from "./policy-nodes.js";
import {
  checkTokens,
  needsTokens,
  parseFailure,
  parseText,
  type Statement,
  tokensOf,
  uncheckable,
} from "./policy-text.js";
import { blocked, isObj, isSystemName, lowerAscii, names, type Obj, tagged, walk } from "./policy-tree.js";

/** Function bodies inside function bodies, at most this deep. */
const maxBodyNesting = 4;

export interface Context {
  /** Inside a function body: no SET at all, and RETURN is a statement. */
  body: boolean;
  depth: number;
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
export function checkStatement(st: Statement, ctx: Context): void {
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
