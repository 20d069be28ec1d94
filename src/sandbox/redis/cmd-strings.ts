/** String commands (t_string.c). */
import { allKeys, at, type Command, command, everyOtherKey, expiryArg, word } from "./command.js";
import { addDecimalStrings, bigIntArg, INT64_MAX, INT64_MIN, intArg, parseInt64 } from "./numbers.js";
import { err, OK, RedisError, type Reply } from "./reply.js";
import { checkStringLength, type Store } from "./store.js";

function getString(store: Store, key: string): string | null {
  return store.get(key, "string")?.s ?? null;
}

/**
 * Write a string value: in place (keeping the TTL) or as a new key. A string a command
 * builds (APPEND, SETRANGE) has had its length checked and its room made before it was built.
 */
function writeString(
  store: Store,
  key: string,
  s: string,
  keepTtl: boolean,
  exp: number | null = null,
): void {
  checkStringLength(s.length);
  const e = store.entry(key);
  if (keepTtl && e?.v.type === "string") {
    store.charge(s.length - e.v.s.length);
    e.v.s = s;
    return;
  }
  store.put(key, { type: "string", s }, keepTtl ? (e?.exp ?? null) : exp);
}

/** Set with an expiry already resolved; an instant the clock has passed deletes the key, as in Redis. */
function setWithExpiry(store: Store, key: string, value: string, exp: number | null, keepTtl: boolean): void {
  if (exp !== null && exp <= store.now) store.delete(key);
  else writeString(store, key, value, keepTtl, exp);
}

const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const EXPIRE_UNITS = { ex: [1000, false], px: [1, false], exat: [1000, true], pxat: [1, true] } as const;

function set(store: Store, a: string[]): Reply {
  const [key = "", value = ""] = a;
  let flags = 0;
  let expiry: { unit: "ex" | "px" | "exat" | "pxat"; arg: string } | null = null;
  for (let i = 2; i < a.length; i++) {
    const o = word(a[i]);
    const next = a[i + 1];
    if (o === "nx" && !(flags & XX)) flags |= NX;
    else if (o === "xx" && !(flags & NX)) flags |= XX;
    else if (o === "get") flags |= GET;
    else if (o === "keepttl" && expiry === null) flags |= KEEPTTL;
    else if (
      o in EXPIRE_UNITS &&
      !(flags & KEEPTTL) &&
      (expiry === null || expiry.unit === o) &&
      next !== undefined
    ) {
      expiry = { unit: o as keyof typeof EXPIRE_UNITS, arg: next };
      i++;
    } else throw err.syntax();
  }
  const units = expiry ? EXPIRE_UNITS[expiry.unit] : null;
  const exp = expiry && units ? expiryArg(store, expiry.arg, units[0], units[1], "set") : null;
  const old = flags & GET ? getString(store, key) : null;
  const found = store.peek(key) !== undefined;
  if ((flags & NX && found) || (flags & XX && !found)) return flags & GET ? old : null;
  setWithExpiry(store, key, value, exp, (flags & KEEPTTL) !== 0);
  return flags & GET ? old : OK;
}

function incrBy(store: Store, key: string, by: bigint): bigint {
  const v = store.get(key, "string");
  const current = v ? parseInt64(v.s) : 0n;
  if (current === null) throw err.notInteger();
  const next = current + by;
  if (next > INT64_MAX || next < INT64_MIN) throw err.overflow();
  writeString(store, key, next.toString(), true);
  return next;
}

function incrByFloat(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  const next = addDecimalStrings(getString(store, key) ?? "0", at(a, 1), err.notFloat);
  writeString(store, key, next, true);
  return next;
}

function getRange(store: Store, a: string[]): Reply {
  let start = intArg(at(a, 1));
  let end = intArg(at(a, 2));
  const s = getString(store, at(a, 0)) ?? "";
  if (start < 0 && end < 0 && start > end) return "";
  const len = s.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  start = Math.max(0, start);
  end = Math.min(Math.max(0, end), len - 1);
  return start > end || len === 0 ? "" : s.slice(start, end + 1);
}

function setRange(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  const value = at(a, 2);
  const offset = intArg(at(a, 1));
  if (offset < 0) throw new RedisError("ERR offset is out of range");
  const current = getString(store, key);
  if (value.length === 0) return current?.length ?? 0;
  checkStringLength(offset + value.length);
  const base = current ?? "";
  const length = Math.max(base.length, offset + value.length);
  // The new string is built while the old one is alive: room for all of it, not just the growth.
  store.ensureRoom(length);
  const padded = base.length < offset ? base + "\0".repeat(offset - base.length) : base;
  writeString(store, key, padded.slice(0, offset) + value + padded.slice(offset + value.length), true);
  return length;
}

function getEx(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  let exp: number | null | undefined; // undefined: leave the TTL alone; null: PERSIST
  for (let i = 1; i < a.length; i++) {
    const o = word(a[i]);
    const next = a[i + 1];
    if (o === "persist" && exp === undefined) exp = null;
    else if (o in EXPIRE_UNITS && exp === undefined && next !== undefined) {
      const [unit, absolute] = EXPIRE_UNITS[o as keyof typeof EXPIRE_UNITS];
      exp = expiryArg(store, next, unit, absolute, "getex");
      i++;
    } else throw err.syntax();
  }
  const value = getString(store, key);
  const e = store.entry(key);
  if (value === null || !e || exp === undefined) return value;
  if (exp !== null && exp <= store.now) store.delete(key);
  else {
    e.exp = exp;
    store.touch();
  }
  return value;
}

function mset(store: Store, a: string[], name: string): void {
  if (a.length % 2 !== 0) throw err.arity(name);
  for (let i = 0; i < a.length; i += 2) writeString(store, at(a, i), at(a, i + 1), false);
}

export const stringCommands: Command[] = [
  command("get", 2, "read", "O(1)", (s, a) => getString(s, at(a, 0))),
  command("set", -3, "write", "O(1)", set),
  command("setnx", 3, "write", "O(1)", (s, a) => (set(s, [at(a, 0), at(a, 1), "NX"]) === null ? 0 : 1)),
  command("setex", 4, "write", "O(1)", (s, a) => {
    setWithExpiry(s, at(a, 0), at(a, 2), expiryArg(s, at(a, 1), 1000, false, "setex"), false);
    return OK;
  }),
  command("psetex", 4, "write", "O(1)", (s, a) => {
    setWithExpiry(s, at(a, 0), at(a, 2), expiryArg(s, at(a, 1), 1, false, "psetex"), false);
    return OK;
  }),
  command("getset", 3, "write", "O(1)", (s, a) => {
    const old = getString(s, at(a, 0));
    writeString(s, at(a, 0), at(a, 1), false);
    return old;
  }),
  command("getdel", 2, "write", "O(1)", (s, a) => {
    const old = getString(s, at(a, 0));
    if (old !== null) s.delete(at(a, 0));
    return old;
  }),
  command("getex", -2, "write", "O(1)", getEx),
  command(
    "mget",
    -2,
    "read",
    "O(N) where N is the number of keys",
    (s, a) => {
      s.ensureSlots(a.length);
      return a.map((key) => {
        const v = s.entry(key)?.v;
        return v?.type === "string" ? v.s : null;
      });
    },
    allKeys,
  ),
  command(
    "mset",
    -3,
    "write",
    "O(N) where N is the number of keys",
    (s, a) => {
      mset(s, a, "mset");
      return OK;
    },
    everyOtherKey,
  ),
  command(
    "msetnx",
    -3,
    "write",
    "O(N) where N is the number of keys",
    (s, a) => {
      if (a.length % 2 !== 0) throw err.arity("msetnx");
      for (let i = 0; i < a.length; i += 2) if (s.peek(at(a, i))) return 0;
      mset(s, a, "msetnx");
      return 1;
    },
    everyOtherKey,
  ),
  command("incr", 2, "write", "O(1)", (s, a) => incrBy(s, at(a, 0), 1n)),
  command("decr", 2, "write", "O(1)", (s, a) => incrBy(s, at(a, 0), -1n)),
  command("incrby", 3, "write", "O(1)", (s, a) => incrBy(s, at(a, 0), bigIntArg(at(a, 1)))),
  command("decrby", 3, "write", "O(1)", (s, a) => {
    const by = bigIntArg(at(a, 1));
    if (by === INT64_MIN) throw new RedisError("ERR decrement would overflow");
    return incrBy(s, at(a, 0), -by);
  }),
  command("incrbyfloat", 3, "write", "O(1)", incrByFloat),
  command("append", 3, "write", "O(1)", (s, a) => {
    const key = at(a, 0);
    const current = getString(s, key);
    if (current === null) {
      writeString(s, key, at(a, 1), false);
      return at(a, 1).length;
    }
    const length = current.length + at(a, 1).length;
    checkStringLength(length);
    s.ensureRoom(length); // the old string is alive while the new one is built
    writeString(s, key, current + at(a, 1), true);
    return length;
  }),
  command("strlen", 2, "read", "O(1)", (s, a) => getString(s, at(a, 0))?.length ?? 0),
  command("getrange", 4, "read", "O(N) where N is the length of the returned string", getRange),
  command("setrange", 4, "write", "O(1), not counting the time taken to copy the new string", setRange),
];
