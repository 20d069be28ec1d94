/**
 * Set commands (t_set.c). Member order follows Redis 7's small encodings: a set whose
 * members are all integers (intset) lists them sorted; otherwise in insertion order
 * (listpack). Large Redis sets (hashtable) have no stable order; graders must sort.
 */

import { scanOptions, scanPage } from "./cmd-keys.js";
import { allKeys, at, type Command, command, firstTwoKeys, numKeys } from "./command.js";
import { intArg, parseInt64 } from "./numbers.js";
import { err, RedisError, type Reply } from "./reply.js";
import { cost, type SetValue, type Store } from "./store.js";

const MAX_INTSET = 512;
const MAX_LISTPACK = 128;

export function members(v: SetValue): string[] {
  const all = [...v.m];
  if (!v.intset) return all;
  const num = new Map(all.map((m) => [m, parseInt64(m) ?? 0n]));
  return all.sort((x, y) => {
    const a = num.get(x) ?? 0n;
    const b = num.get(y) ?? 0n;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** `members` as a reply: room first for the list (and, for an intset, the numbers it sorts by). */
function listMembers(store: Store, v: SetValue): string[] {
  store.ensureSlots(v.m.size * (v.intset ? 4 : 1));
  return members(v);
}

/** Add one member, converting from intset (sorted) as Redis does; true if it was new. */
function addMember(v: SetValue, member: string): boolean {
  if (v.m.has(member)) return false;
  if (v.intset && (parseInt64(member) === null || v.m.size >= MAX_INTSET)) {
    v.m = new Set(members(v));
    v.intset = false;
  }
  v.m.add(member);
  return true;
}

function newSet(first: string | undefined): SetValue {
  return { type: "set", m: new Set(), intset: first === undefined || parseInt64(first) !== null };
}

function buildSet(list: Iterable<string>): SetValue {
  const v = newSet(undefined);
  for (const m of list) addMember(v, m);
  return v;
}

/** The sets named, WRONGTYPE checked for every key; a missing key is an empty set. */
function sets(store: Store, keys: string[]): (SetValue | undefined)[] {
  return keys.map((k) => store.get(k, "set"));
}

/** Room for a result holding at most the members of `bound`, as a set and as a list. */
function roomForResult(store: Store, bound: (SetValue | undefined)[], what: string): void {
  let bytes = 0;
  let count = 0;
  for (const s of bound) {
    if (!s) continue;
    count += s.m.size;
    for (const m of s.m) bytes += cost.setMember(m);
  }
  store.ensureSlots(count, bytes, what);
}

/** SINTER: the smallest set's members found in every other set, in the smallest set's order. */
function inter(store: Store, keys: string[], what = "the reply"): string[] {
  const found = sets(store, keys);
  if (found.some((s) => !s)) return [];
  const present = found.filter((s): s is SetValue => s !== undefined);
  const ordered = [...present].sort((x, y) => x.m.size - y.m.size);
  const [smallest, ...rest] = ordered;
  if (!smallest) return [];
  roomForResult(store, [smallest], what);
  return members(smallest).filter((m) => rest.every((s) => s.m.has(m)));
}

function union(store: Store, keys: string[], what = "the reply"): SetValue {
  const found = sets(store, keys);
  roomForResult(store, found, what);
  const out = buildSet([]);
  for (const s of found) if (s) for (const m of members(s)) addMember(out, m);
  return out;
}

function diff(store: Store, keys: string[], what = "the reply"): SetValue {
  const [first, ...rest] = sets(store, keys);
  if (!first) return buildSet([]);
  roomForResult(store, [first], what);
  return buildSet(members(first).filter((m) => !rest.some((s) => s?.m.has(m))));
}

/** The *STORE forms: the result (room was made before it was built) under `dest`. */
function store_(store: Store, dest: string, v: SetValue): Reply {
  if (v.m.size === 0) {
    store.delete(dest);
    return 0;
  }
  store.put(dest, v);
  return v.m.size;
}

function sadd(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  const added = a.slice(1);
  const existing = store.get(key, "set");
  const v =
    existing ?? store.getOrCreate(key, "set", parseInt64(at(a, 1)) !== null && added.length <= MAX_INTSET);
  let n = 0;
  for (const m of added) {
    if (!v.m.has(m)) store.charge(cost.setMember(m));
    if (addMember(v, m)) n++;
  }
  return n;
}

function srem(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  const v = store.get(key, "set");
  if (!v) return 0;
  let n = 0;
  for (const m of a.slice(1)) {
    if (v.m.delete(m)) {
      n++;
      store.refund(cost.setMember(m));
    }
  }
  store.dropIfEmpty(key, v);
  return n;
}

function sintercard(store: Store, a: string[]): Reply {
  const n = intArg(at(a, 0), () => new RedisError("ERR numkeys should be greater than 0"));
  if (n < 1) throw new RedisError("ERR numkeys should be greater than 0");
  if (n > a.length - 1) throw new RedisError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let i = 1 + n; i < a.length; i++) {
    if (at(a, i).toLowerCase() === "limit" && i + 1 < a.length) {
      limit = intArg(at(a, ++i), () => new RedisError("ERR LIMIT can't be negative"));
      if (limit < 0) throw new RedisError("ERR LIMIT can't be negative");
    } else throw err.syntax();
  }
  const count = inter(store, a.slice(1, 1 + n)).length;
  return limit > 0 ? Math.min(limit, count) : count;
}

function smove(store: Store, a: string[]): Reply {
  const [from = "", to = "", member = ""] = a;
  const source = store.get(from, "set");
  if (!source) return 0;
  const dest = store.get(to, "set");
  if (source === dest) return source.m.has(member) ? 1 : 0;
  if (!source.m.delete(member)) return 0;
  store.refund(cost.setMember(member));
  store.dropIfEmpty(from, source);
  const target = dest ?? store.getOrCreate(to, "set", parseInt64(member) !== null);
  store.charge(cost.setMember(member));
  addMember(target, member);
  return 1;
}

export const setCommands: Command[] = [
  command("sadd", -3, "write", "O(1) for each element added", sadd),
  command("srem", -3, "write", "O(N) where N is the number of members to be removed", srem),
  command("smembers", 2, "read", "O(N) where N is the set cardinality", (s, a) => {
    const v = s.get(at(a, 0), "set");
    return v ? listMembers(s, v) : [];
  }),
  command("sismember", 3, "read", "O(1)", (s, a) => (s.get(at(a, 0), "set")?.m.has(at(a, 1)) ? 1 : 0)),
  command("smismember", -3, "read", "O(N) where N is the number of elements being checked", (s, a) => {
    const v = s.get(at(a, 0), "set");
    return a.slice(1).map((m) => (v?.m.has(m) ? 1 : 0));
  }),
  command("scard", 2, "read", "O(1)", (s, a) => s.get(at(a, 0), "set")?.m.size ?? 0),
  command(
    "sinter",
    -2,
    "read",
    "O(N*M) worst case, N the smallest set's cardinality, M the number of sets",
    (s, a) => inter(s, a),
    allKeys,
  ),
  command(
    "sunion",
    -2,
    "read",
    "O(N) where N is the total number of elements in all given sets",
    (s, a) => listMembers(s, union(s, a)),
    allKeys,
  ),
  command(
    "sdiff",
    -2,
    "read",
    "O(N) where N is the total number of elements in all given sets",
    (s, a) => listMembers(s, diff(s, a)),
    allKeys,
  ),
  command(
    "sinterstore",
    -3,
    "write",
    "O(N*M) worst case, N the smallest set's cardinality, M the number of sets",
    (s, a) => store_(s, at(a, 0), buildSet(inter(s, a.slice(1), "the data"))),
    allKeys,
  ),
  command(
    "sunionstore",
    -3,
    "write",
    "O(N) where N is the total number of elements in all given sets",
    (s, a) => store_(s, at(a, 0), union(s, a.slice(1), "the data")),
    allKeys,
  ),
  command(
    "sdiffstore",
    -3,
    "write",
    "O(N) where N is the total number of elements in all given sets",
    (s, a) => store_(s, at(a, 0), diff(s, a.slice(1), "the data")),
    allKeys,
  ),
  command(
    "sintercard",
    -3,
    "read",
    "O(N*M) worst case, N the smallest set's cardinality, M the number of sets",
    sintercard,
    numKeys(0),
  ),
  command("smove", 4, "write", "O(1)", smove, firstTwoKeys),
  command("sscan", -3, "read", "O(1) for every call. O(N) for a complete iteration", (s, a) => {
    const o = scanOptions(a, 2, false);
    const v = s.get(at(a, 0), "set");
    const list = v ? listMembers(s, v) : [];
    return scanPage(
      s,
      list,
      o,
      (m) => m,
      (m) => [m],
      v === undefined || v.intset || list.length <= MAX_LISTPACK,
    );
  }),
];
