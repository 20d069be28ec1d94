/**
 * A text as PostgreSQL's parser splits it: scanned (nesting and the ambiguity rule checked, see
 * policy.ts), parsed, and cut into statements with their own text. Parser failures become
 * refusals in the parser's words.
 */
import { parseSync, type ScanToken, scanSync } from "libpg-query";
import { blocked, isObj, type Obj, Refused, tagged } from "./policy-tree.js";

export interface Statement {
  kind: string;
  node: Obj;
  /** The statement's own text, or "" inside a BEGIN ATOMIC body. */
  text: string;
}
/** Parentheses/brackets nested deeper than this are refused before the parser sees them. */
const maxNesting = 256;
const ambiguous =
  "a backslash right before a quote in a '…' string is ambiguous: write E'…' for backslash escapes, or double the quote ('')";
export const uncheckable = "a function body that cannot be checked is not allowed";
export const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** What a parser failure means for the learner: too deep, or a syntax error in the parser's words. */
export function parseFailure(error: unknown): Refused {
  if (error instanceof Refused) return error;
  if (error instanceof RangeError) return new Refused("too-large", "the query is nested too deeply to check");
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (/memory exhausted|stack depth/i.test(message))
    return new Refused("too-large", `the query is nested too deeply (${message})`);
  return new Refused("syntax", message || "the query could not be parsed");
}

/** Scans, checks nesting and the ambiguity rule, and parses `text` into statements. */
export function parseText(text: string, inBody: boolean): Statement[] {
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
export function needsTokens(text: string): boolean {
  if (text.includes("\\")) return true;
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 40 || c === 91) && ++brackets > maxNesting) return true;
  }
  return false;
}

/** Refuses nesting past the limit and strings that the ambiguity rule forbids. */
export function checkTokens(tokens: ScanToken[]): void {
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
export function tokensOf(text: string, fail: (error: unknown) => never): ScanToken[] {
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
