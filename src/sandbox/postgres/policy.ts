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
import { loadModule } from "libpg-query";
import type { FailureReason } from "../../core/sandbox.js";
import { emptyText } from "../kit/preflight.js";
import { dataModifying, kindWords, notWrites } from "./policy-kinds.js";
import { checkStatement } from "./policy-statement.js";
import { oneLine, parseFailure, parseText, type Statement } from "./policy-text.js";
import { blocked, Refused, tagged, walk } from "./policy-tree.js";

export type PolicyRefusal = {
  ok: false;
  reason: Extract<FailureReason, "syntax" | "blocked" | "too-large" | "read-only">;
  message: string;
};
export type PolicyResult = { ok: true; statements: string[] } | PolicyRefusal;

/** Loads the parser (WebAssembly); call once before checkSubmission. */
let loading: Promise<void> | undefined;

export function loadPolicy(): Promise<void> {
  loading ??= loadModule();
  return loading;
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
    if (statements.length === 0) throw new Refused("syntax", emptyText().message);
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
