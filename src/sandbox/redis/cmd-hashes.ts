/** Hash commands (t_hash.c). Fields keep insertion order, as Redis's listpack encoding does. */

import { scanOptions, scanPage } from "./cmd-keys.js";
import { at, type Command, command } from "./command.js";
import { addDecimalStrings, bigIntArg, INT64_MAX, INT64_MIN, isLongDouble, parseInt64 } from "./numbers.js";
import { err, OK, RedisError, type Reply } from "./reply.js";
import { cost, type HashValue, type Store } from "./store.js";

function setField(store: Store, h: HashValue, field: string, value: string): boolean {
  const old = h.m.get(field);
  store.charge(old === undefined ? cost.hashField(field, value) : value.length - old.length);
  h.m.set(field, value);
  return old === undefined;
}

function hset(store: Store, a: string[], name: string): number {
  if (a.length % 2 === 0) throw err.arity(name);
  const h = store.getOrCreate(at(a, 0), "hash");
  let added = 0;
  for (let i = 1; i < a.length; i += 2) if (setField(store, h, at(a, i), at(a, i + 1))) added++;
  return added;
}

function hincrby(store: Store, a: string[]): Reply {
  const [key = "", field = ""] = a;
  const by = bigIntArg(at(a, 2));
  const h = store.get(key, "hash");
  const old = h?.m.get(field);
  const current = old === undefined ? 0n : parseInt64(old);
  if (current === null) throw new RedisError("ERR hash value is not an integer");
  const next = current + by;
  if (next > INT64_MAX || next < INT64_MIN) throw err.overflow();
  setField(store, h ?? store.getOrCreate(key, "hash"), field, next.toString());
  return next;
}

function hincrbyfloat(store: Store, a: string[]): Reply {
  const [key = "", field = "", by = ""] = a;
  if (!isLongDouble(by)) throw err.notFloat();
  const h = store.get(key, "hash");
  const next = addDecimalStrings(
    h?.m.get(field) ?? "0",
    by,
    () => new RedisError("ERR hash value is not a float"),
  );
  setField(store, h ?? store.getOrCreate(key, "hash"), field, next);
  return next;
}

function hdel(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  const h = store.get(key, "hash");
  if (!h) return 0;
  let n = 0;
  for (const field of a.slice(1)) {
    const old = h.m.get(field);
    if (old === undefined) continue;
    h.m.delete(field);
    store.refund(cost.hashField(field, old));
    n++;
  }
  store.dropIfEmpty(key, h);
  return n;
}

const fields = (store: Store, key: string): Map<string, string> => store.get(key, "hash")?.m ?? new Map();

export const hashCommands: Command[] = [
  command("hset", -4, "write", "O(1) for each field/value pair added", (s, a) => hset(s, a, "hset")),
  command("hmset", -4, "write", "O(N) where N is the number of fields being set", (s, a) => {
    hset(s, a, "hmset");
    return OK;
  }),
  command("hsetnx", 4, "write", "O(1)", (s, a) => {
    if (s.get(at(a, 0), "hash")?.m.has(at(a, 1))) return 0;
    setField(s, s.getOrCreate(at(a, 0), "hash"), at(a, 1), at(a, 2));
    return 1;
  }),
  command("hget", 3, "read", "O(1)", (s, a) => fields(s, at(a, 0)).get(at(a, 1)) ?? null),
  command("hmget", -3, "read", "O(N) where N is the number of fields being requested", (s, a) => {
    const m = fields(s, at(a, 0));
    return a.slice(1).map((f) => m.get(f) ?? null);
  }),
  command("hgetall", 2, "read", "O(N) where N is the size of the hash", (s, a) => {
    const m = fields(s, at(a, 0));
    s.ensureSlots(2 * m.size);
    const out: string[] = [];
    for (const [f, v] of m) out.push(f, v);
    return out;
  }),
  command("hkeys", 2, "read", "O(N) where N is the size of the hash", (s, a) => {
    const m = fields(s, at(a, 0));
    s.ensureSlots(m.size);
    return [...m.keys()];
  }),
  command("hvals", 2, "read", "O(N) where N is the size of the hash", (s, a) => {
    const m = fields(s, at(a, 0));
    s.ensureSlots(m.size);
    return [...m.values()];
  }),
  command("hlen", 2, "read", "O(1)", (s, a) => fields(s, at(a, 0)).size),
  command("hexists", 3, "read", "O(1)", (s, a) => (fields(s, at(a, 0)).has(at(a, 1)) ? 1 : 0)),
  command("hstrlen", 3, "read", "O(1)", (s, a) => fields(s, at(a, 0)).get(at(a, 1))?.length ?? 0),
  command("hdel", -3, "write", "O(N) where N is the number of fields to be removed", hdel),
  command("hincrby", 4, "write", "O(1)", hincrby),
  command("hincrbyfloat", 4, "write", "O(1)", hincrbyfloat),
  command("hscan", -3, "read", "O(1) for every call. O(N) for a complete iteration", (s, a) => {
    const o = scanOptions(a, 2, false);
    const m = fields(s, at(a, 0));
    s.ensureSlots(3 * m.size); // a [field, value] pair each
    const list = [...m];
    return scanPage(
      s,
      list,
      o,
      ([f]) => f,
      ([f, v]) => [f, v],
      list.length <= 128,
    );
  }),
];
