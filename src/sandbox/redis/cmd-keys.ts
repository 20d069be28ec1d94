/** Keyspace and connection commands (db.c, expire.c, server.c). */
import { allKeys, at, type Command, command, firstTwoKeys, word } from "./command.js";
import { globMatcher } from "./glob.js";
import { bigIntArg, INT64_MAX, INT64_MIN, intArg, parseInt64 } from "./numbers.js";
import { err, OK, RedisError, type Reply, Status } from "./reply.js";
import { cloneValue, cost, type Store, sizeOf, type TypeName } from "./store.js";

const NO_KEYS: (args: string[]) => string[] = () => [];

function expireGeneric(store: Store, a: string[], unitMs: 1 | 1000, absolute: boolean, name: string): Reply {
  const key = at(a, 0);
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (const opt of a.slice(2)) {
    const o = word(opt);
    if (o === "nx") nx = true;
    else if (o === "xx") xx = true;
    else if (o === "gt") gt = true;
    else if (o === "lt") lt = true;
    else throw new RedisError(`ERR Unsupported option ${opt}`);
  }
  if (nx && (xx || gt || lt)) {
    throw new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (gt && lt) throw new RedisError("ERR GT and LT options at the same time are not compatible");
  let when = bigIntArg(at(a, 1));
  if (unitMs === 1000) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw err.expireTime(name);
    when *= 1000n;
  }
  const base = absolute ? 0n : BigInt(store.now);
  if (when > INT64_MAX - base) throw err.expireTime(name);
  const at_ = Number(when + base);
  const e = store.entry(key);
  if (!e) return 0;
  const current = e.exp;
  if (nx && current !== null) return 0;
  if (xx && current === null) return 0;
  if (gt && (current === null || at_ <= current)) return 0;
  if (lt && current !== null && at_ >= current) return 0;
  if (at_ <= store.now) store.delete(key);
  else {
    e.exp = at_;
    store.touch();
  }
  return 1;
}

function ttlGeneric(store: Store, key: string, ms: boolean, absolute: boolean): Reply {
  const e = store.peek(key);
  if (!e) return -2;
  if (e.exp === null) return -1;
  const ttl = Math.max(0, absolute ? e.exp : e.exp - store.now);
  return ms ? ttl : Math.floor((ttl + 500) / 1000);
}

/** Parsed SCAN options. */
export interface ScanOptions {
  cursor: number;
  count: number;
  match: (s: string) => boolean;
  type: TypeName | null;
}

const TYPE_NAMES = new Set<string>(["string", "list", "set", "zset", "hash", "stream"]);

export function scanOptions(a: string[], first: number, allowType: boolean): ScanOptions {
  const c = at(a, first - 1);
  if (!/^[0-9]+$/.test(c) || BigInt(c) >= 2n ** 64n) throw new RedisError("ERR invalid cursor");
  const options: ScanOptions = { cursor: Number(c), count: 10, match: () => true, type: null };
  for (let i = first; i < a.length; i += 2) {
    const o = word(a[i]);
    const value = a[i + 1];
    if (value === undefined) throw err.syntax();
    if (o === "count") {
      options.count = intArg(value);
      if (options.count < 1) throw err.syntax();
    } else if (o === "match") options.match = globMatcher(value);
    else if (o === "type" && allowType) {
      if (!TYPE_NAMES.has(value.toLowerCase())) throw new RedisError(`ERR unknown type name '${value}'`);
      options.type = value.toLowerCase() as TypeName;
    } else throw err.syntax();
  }
  return options;
}

/**
 * One SCAN page over `items` in a stable order: the cursor is an offset, COUNT items are
 * visited per call and filtered after. `whole` (Redis's small encodings) returns every
 * item at once with cursor 0, as Redis does for listpack/intset collections.
 */
export function scanPage<T>(
  store: Store,
  items: T[],
  o: ScanOptions,
  name: (item: T) => string,
  emit: (item: T) => Reply[],
  whole = false,
): Reply {
  const from = whole ? 0 : Math.min(o.cursor, items.length);
  const to = whole ? items.length : Math.min(items.length, from + o.count);
  store.ensureSlots(2 * (to - from)); // the page and what it emits (a field and its value)
  const out: Reply[] = [];
  for (const item of items.slice(from, to)) if (o.match(name(item))) out.push(...emit(item));
  return [to >= items.length ? "0" : String(to), out];
}

function scan(store: Store, a: string[]): Reply {
  const o = scanOptions(a, 1, true);
  return scanPage(
    store,
    store.keys(),
    o,
    (k) => k,
    (k) => (o.type === null || store.peek(k)?.type === o.type ? [k] : []),
  );
}

function rename(store: Store, a: string[], nx: boolean): Reply {
  const [from = "", to = ""] = a;
  if (!store.peek(from)) throw err.noSuchKey();
  if (from === to) return nx ? 0 : OK;
  if (nx && store.peek(to)) return 0;
  store.rename(from, to);
  return nx ? 1 : OK;
}

function copy(store: Store, a: string[]): Reply {
  const [from = "", to = ""] = a;
  let replace = false;
  for (let i = 2; i < a.length; i++) {
    const o = word(a[i]);
    if (o === "replace") replace = true;
    else if (o === "db" && a[i + 1] !== undefined) {
      if (intArg(at(a, ++i)) !== 0) throw new RedisError("ERR DB index is out of range");
    } else throw err.syntax();
  }
  if (from === to) throw new RedisError("ERR source and destination objects are the same");
  const e = store.entry(from);
  if (!e) return 0;
  if (store.peek(to) && !replace) return 0;
  // The copy is built while the source (and any old value under `to`) is alive.
  store.ensureRoom(cost.key(to) + sizeOf(e.v));
  store.put(to, cloneValue(e.v), e.exp);
  return 1;
}

export const keyCommands: Command[] = [
  command(
    "del",
    -2,
    "write",
    "O(N) where N is the number of keys",
    (s, a) => a.filter((k) => s.delete(k)).length,
    allKeys,
  ),
  command("unlink", -2, "write", "O(1) per key", (s, a) => a.filter((k) => s.delete(k)).length, allKeys),
  command(
    "exists",
    -2,
    "read",
    "O(N) where N is the number of keys",
    (s, a) => a.filter((k) => s.peek(k)).length,
    allKeys,
  ),
  command(
    "touch",
    -2,
    "read",
    "O(N) where N is the number of keys",
    (s, a) => a.filter((k) => s.peek(k)).length,
    allKeys,
  ),
  command("type", 2, "read", "O(1)", (s, a) => new Status(s.peek(at(a, 0))?.type ?? "none")),
  command("expire", -3, "write", "O(1)", (s, a) => expireGeneric(s, a, 1000, false, "expire")),
  command("pexpire", -3, "write", "O(1)", (s, a) => expireGeneric(s, a, 1, false, "pexpire")),
  command("expireat", -3, "write", "O(1)", (s, a) => expireGeneric(s, a, 1000, true, "expireat")),
  command("pexpireat", -3, "write", "O(1)", (s, a) => expireGeneric(s, a, 1, true, "pexpireat")),
  command("ttl", 2, "read", "O(1)", (s, a) => ttlGeneric(s, at(a, 0), false, false)),
  command("pttl", 2, "read", "O(1)", (s, a) => ttlGeneric(s, at(a, 0), true, false)),
  command("expiretime", 2, "read", "O(1)", (s, a) => ttlGeneric(s, at(a, 0), false, true)),
  command("pexpiretime", 2, "read", "O(1)", (s, a) => ttlGeneric(s, at(a, 0), true, true)),
  command("persist", 2, "write", "O(1)", (s, a) => {
    const e = s.entry(at(a, 0));
    if (!e || e.exp === null) return 0;
    e.exp = null;
    s.touch();
    return 1;
  }),
  command(
    "keys",
    2,
    "read",
    "O(N) with N being the number of keys in the database",
    (s, a) => s.keys(globMatcher(at(a, 0))),
    NO_KEYS,
  ),
  command("scan", -2, "read", "O(1) for every call. O(N) for a complete iteration", scan, NO_KEYS),
  command("rename", 3, "write", "O(1)", (s, a) => rename(s, a, false), firstTwoKeys),
  command("renamenx", 3, "write", "O(1)", (s, a) => rename(s, a, true), firstTwoKeys),
  command(
    "copy",
    -3,
    "write",
    "O(N) worst case for collections, where N is the number of nested items",
    copy,
    firstTwoKeys,
  ),
  command("dbsize", 1, "read", "O(1)", (s) => s.size(), NO_KEYS),
  command("echo", 2, "read", "O(1)", (_s, a) => at(a, 0), NO_KEYS),
  command(
    "ping",
    -1,
    "read",
    "O(1)",
    (_s, a) => {
      if (a.length > 1) throw err.arity("ping");
      return a.length === 1 ? at(a, 0) : new Status("PONG");
    },
    NO_KEYS,
  ),
  command(
    "time",
    1,
    "read",
    "O(1)",
    (s) => [String(Math.floor(s.now / 1000)), String((s.now % 1000) * 1000)],
    NO_KEYS,
  ),
  command(
    "select",
    2,
    "read",
    "O(1)",
    (_s, a) => {
      const n = parseInt64(at(a, 0));
      if (n === null) throw err.notInteger();
      if (n !== 0n) throw new RedisError("ERR DB index is out of range");
      return OK;
    },
    NO_KEYS,
  ),
];
