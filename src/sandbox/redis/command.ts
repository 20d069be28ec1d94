/** What every command module shares: the command record and small argument helpers. */
import { bigIntArg, INT64_MAX } from "./numbers.js";
import { err, type Reply } from "./reply.js";
import type { Store } from "./store.js";

export type Handler = (store: Store, args: string[]) => Reply;
/** The keys a command names (for EXPLAIN); `args` excludes the command name. */
export type KeyFn = (args: string[]) => string[];

export interface Command {
  /** Lower case, as Redis names it in errors ("wrong number of arguments for 'get' command"). */
  name: string;
  /** Redis's arity: the argument count with the name; negative means "at least". */
  arity: number;
  write: boolean;
  /** Time complexity as Redis's documentation gives it. */
  complexity: string;
  keys: KeyFn;
  run: Handler;
}

export const firstKey: KeyFn = (args) => args.slice(0, 1);
export const allKeys: KeyFn = (args) => args;
export const firstTwoKeys: KeyFn = (args) => args.slice(0, 2);
export const everyOtherKey: KeyFn = (args) => args.filter((_, i) => i % 2 === 0);
/** `numkeys key [key ...]` after `skip` leading arguments (SINTERCARD, ZUNIONSTORE, …). */
export const numKeys =
  (skip: number): KeyFn =>
  (args) => {
    const n = Number(args[skip]);
    return Number.isSafeInteger(n) && n > 0 ? args.slice(skip + 1, skip + 1 + n) : [];
  };

export function command(
  name: string,
  arity: number,
  access: "read" | "write",
  complexity: string,
  run: Handler,
  keys: KeyFn = firstKey,
): Command {
  return { name, arity, write: access === "write", complexity, keys, run };
}

/** An argument as a lower-case option word (options are ASCII; strcasecmp compares ASCII). */
export function word(arg: string | undefined): string {
  return (arg ?? "").toLowerCase();
}

/** The argument at `i`, which the arity check guarantees. */
export function at(args: string[], i: number): string {
  return args[i] ?? "";
}

/**
 * LRANGE/ZRANGE-style inclusive rank range over `len` items: negative counts from the
 * end; null when it selects nothing.
 */
export function rankRange(start: number, stop: number, len: number): [number, number] | null {
  let from = start < 0 ? start + len : start;
  let to = stop < 0 ? stop + len : stop;
  if (from < 0) from = 0;
  if (from > to || from >= len) return null;
  if (to >= len) to = len - 1;
  return [from, to];
}

/**
 * An expiry argument (SET EX/PX/EXAT/PXAT, SETEX, GETEX) as an absolute instant in ms:
 * it must be a positive integer and must not overflow, else "invalid expire time".
 */
export function expiryArg(
  store: Store,
  arg: string,
  unitMs: 1 | 1000,
  absolute: boolean,
  name: string,
): number {
  const n = bigIntArg(arg);
  if (n <= 0n || (unitMs === 1000 && n > INT64_MAX / 1000n)) throw err.expireTime(name);
  const at = n * BigInt(unitMs) + (absolute ? 0n : BigInt(store.now));
  if (at > INT64_MAX) throw err.expireTime(name);
  return Number(at);
}
