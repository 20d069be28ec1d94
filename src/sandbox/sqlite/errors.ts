/**
 * What went wrong in an SQLite attempt, as a reason and a short, path-free message: refusals the
 * executor raises itself (AttemptError) and SQLite's own errors, read by code and wording.
 */
import type { FailureReason } from "../../core/sandbox.js";
import { emptyText } from "../kit/preflight.js";

export class AttemptError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** SQLite's messages that mean "too big" rather than "wrong". */
const tooLargePatterns = [
  /expression tree is too large/i,
  /parser stack overflow/i,
  /recursion limit/i,
  /too many (terms|columns|arguments|sql variables|attached)/i,
  /string or blob too big/i,
  /statement too long/i,
];
const syntaxPatterns = [/syntax error/i, /incomplete input/i, /unrecognized token/i];

/** Maps a thrown error to a reason and a short, path-free message. */
export function classify(error: unknown): { reason: FailureReason; message: string } {
  if (error instanceof AttemptError) return { reason: error.reason, message: error.message };
  const message = shortMessage(error);
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code.startsWith("SQLITE_READONLY") || /readonly database/i.test(message)) {
    return { reason: "read-only", message: `This task is read-only; writes are not allowed (${message}).` };
  }
  if (code === "SQLITE_NOMEM" || /out of memory/i.test(message)) {
    return { reason: "memory", message: "The query ran out of memory." };
  }
  if (code === "SQLITE_TOOBIG" || tooLargePatterns.some((p) => p.test(message))) {
    return { reason: "too-large", message };
  }
  if (code === "SQLITE_AUTH" || /not authorized/i.test(message)) return { reason: "blocked", message };
  if (error instanceof RangeError) {
    if (/more than one statement/i.test(message)) {
      return { reason: "blocked", message: "Only one statement is allowed in this task." };
    }
    if (/no statements/i.test(message)) return { reason: "syntax", message: emptyText().message };
    if (/invalid string length|allocation failed|invalid array length/i.test(message)) {
      return { reason: "memory", message: "The result does not fit in memory." };
    }
  }
  if (syntaxPatterns.some((p) => p.test(message))) return { reason: "syntax", message };
  return { reason: "runtime", message };
}

/** The first line of an error's message, without host paths, at most 300 characters. */
export function shortMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  let line = raw.split("\n", 1)[0] ?? "";
  for (const root of hostRoots()) line = line.split(root).join("<path>");
  return line.length > 300 ? `${line.slice(0, 297)}...` : line || "Unknown error.";
}

function hostRoots(): string[] {
  const roots = [process.cwd(), process.env.HOME];
  return roots.filter((r): r is string => typeof r === "string" && r.length > 1);
}
