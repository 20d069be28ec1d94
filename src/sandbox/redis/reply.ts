/**
 * Redis replies as the interpreter produces them, Redis's error messages, and the
 * conversion of a reply into Quorum's ResultSet.
 *
 * Strings inside the interpreter are "byte strings": every character is one byte
 * (0–255), as if the UTF-8 text had been read as Latin-1. That keeps STRLEN, APPEND,
 * GETRANGE/SETRANGE offsets and member ordering (memcmp) exactly like Redis's; replies
 * are decoded back to UTF-8 only here, at the edge.
 */
import type { Cell, ResultSet } from "../../core/sandbox.js";

/** A simple-string reply (+OK, +QUEUED, +string for TYPE). */
export class Status {
  constructor(readonly text: string) {}
}

export const OK = new Status("OK");
export const QUEUED = new Status("QUEUED");

/** bulk string | integer | simple string | nil (also the nil array) | array. */
export type Reply = string | number | bigint | Status | null | Reply[];

/** An error reply; the message is Redis's own, e.g. "ERR syntax error". */
export class RedisError extends Error {}

/**
 * A value past the sandbox's per-value cap (MAX_VALUE_BYTES in store.ts): an error reply
 * in Redis's words, which ends the attempt as "too-large" rather than "runtime".
 */
export class ValueTooLarge extends RedisError {}

export const err = {
  syntax: () => new RedisError("ERR syntax error"),
  wrongType: () => new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value"),
  notInteger: () => new RedisError("ERR value is not an integer or out of range"),
  notFloat: () => new RedisError("ERR value is not a valid float"),
  overflow: () => new RedisError("ERR increment or decrement would overflow"),
  noSuchKey: () => new RedisError("ERR no such key"),
  mustBePositive: () => new RedisError("ERR value is out of range, must be positive"),
  minMaxNotFloat: () => new RedisError("ERR min or max is not a float"),
  tooBig: () => new ValueTooLarge("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
  /** What Redis answers a request whose argument is longer than proto-max-bulk-len. */
  bulkTooLong: () => new ValueTooLarge("ERR Protocol error: invalid bulk length"),
  arity: (name: string) => new RedisError(`ERR wrong number of arguments for '${name}' command`),
  expireTime: (name: string) => new RedisError(`ERR invalid expire time in '${name}' command`),
};

/** Redis's ERR unknown command message (server.c), arguments quoted and cut at 128 bytes. */
export function unknownCommand(argv: string[]): RedisError {
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${(argv[i] ?? "").slice(0, 128 - args.length)}' `;
  }
  return new RedisError(
    `ERR unknown command '${(argv[0] ?? "").slice(0, 128)}', with args beginning with: ${args}`,
  );
}

/** Byte string → readable UTF-8 text (invalid sequences become U+FFFD). */
export function decode(bytes: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII fast path, control characters included
  return /^[\x00-\x7f]*$/.test(bytes) ? bytes : Buffer.from(bytes, "latin1").toString("utf8");
}

/** UTF-8 text → byte string. */
export function encode(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII fast path, control characters included
  return /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, "utf8").toString("latin1");
}

export class ResultTooLarge extends Error {}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function intCell(n: number | bigint): number | string {
  if (typeof n === "number") return n;
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n.toString();
}

type Json = string | number | null | Json[];

/**
 * The fewest characters `reply` can take as cell text: a UTF-8 sequence of up to 3 bytes
 * decodes to at least one UTF-16 unit, so a string is at least a third of its bytes.
 */
function minChars(reply: Reply): number {
  if (typeof reply === "string") return 2 + Math.ceil(reply.length / 3);
  if (!Array.isArray(reply)) return 1;
  let n = 1 + reply.length;
  for (const item of reply) n += minChars(item);
  return n;
}

function toJson(reply: Reply): Json {
  if (reply === null) return null;
  if (typeof reply === "string") return decode(reply);
  if (typeof reply === "number" || typeof reply === "bigint") return intCell(reply);
  if (reply instanceof Status) return reply.text;
  return reply.map(toJson);
}

/**
 * The reply of the last command as rows of one column, "value": a scalar is one row,
 * nil one row with null, an array one row per element (nested arrays as JSON text).
 * At most `maxRows` rows; at most `maxChars` characters of cell text in all.
 */
export function toResultSet(
  reply: Reply,
  maxRows: number,
  maxChars: number,
): { result: ResultSet; truncated: boolean } {
  const items = Array.isArray(reply) ? reply : [reply];
  const rows: Cell[][] = [];
  let chars = 0;
  for (const item of items.slice(0, Math.max(0, maxRows))) {
    // Refuse before building the text, not after: a nested reply can hold megabytes.
    if (chars + minChars(item) > maxChars + 2) {
      throw new ResultTooLarge(`the result is larger than ${maxChars} characters`);
    }
    let cell: Cell;
    if (Array.isArray(item)) cell = JSON.stringify(toJson(item));
    else {
      const value = toJson(item);
      cell = Array.isArray(value) ? JSON.stringify(value) : value;
    }
    chars += typeof cell === "string" ? cell.length : 8;
    if (chars > maxChars) throw new ResultTooLarge(`the result is larger than ${maxChars} characters`);
    rows.push([cell]);
  }
  return { result: { columns: ["value"], rows }, truncated: items.length > rows.length };
}
