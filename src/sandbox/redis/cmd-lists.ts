/** List commands (t_list.c). */
import { at, type Command, command, firstTwoKeys, rankRange, word } from "./command.js";
import { intArg } from "./numbers.js";
import { err, OK, RedisError, type Reply } from "./reply.js";
import { cost, type ListValue, type Store } from "./store.js";

function push(store: Store, a: string[], left: boolean, onlyIfExists: boolean): Reply {
  const key = at(a, 0);
  const values = a.slice(1);
  const existing = store.get(key, "list");
  if (!existing && onlyIfExists) return 0;
  const list = existing ?? store.getOrCreate(key, "list");
  const added = values.reduce((n, v) => n + cost.listItem(v), 0);
  // The new array is built while the old one is alive.
  store.ensureSlots(list.items.length + values.length, added, "the data");
  store.charge(added);
  // No spread into push/unshift: a million arguments would overflow the call stack.
  list.items = left ? values.reverse().concat(list.items) : list.items.concat(values);
  return list.items.length;
}

function take(store: Store, key: string, list: ListValue, left: boolean, count: number): string[] {
  store.ensureSlots(Math.min(count, list.items.length));
  const out = left ? list.items.splice(0, count) : list.items.splice(-count, count).reverse();
  store.refund(out.reduce((n, v) => n + cost.listItem(v), 0));
  store.dropIfEmpty(key, list);
  return out;
}

function pop(store: Store, a: string[], left: boolean, name: string): Reply {
  if (a.length > 2) throw err.arity(name);
  const key = at(a, 0);
  const hasCount = a.length === 2;
  const count = hasCount ? intArg(at(a, 1), err.mustBePositive) : 1;
  if (count < 0) throw err.mustBePositive();
  const list = store.get(key, "list");
  if (!list) return null;
  if (hasCount && count === 0) return [];
  const out = take(store, key, list, left, count);
  return hasCount ? out : (out[0] ?? null);
}

function side(arg: string | undefined): boolean {
  const o = word(arg);
  if (o === "left") return true;
  if (o === "right") return false;
  throw err.syntax();
}

function move(store: Store, from: string, to: string, fromLeft: boolean, toLeft: boolean): Reply {
  const source = store.get(from, "list");
  if (!source) return null;
  store.get(to, "list"); // WRONGTYPE before anything moves
  const [value] = take(store, from, source, fromLeft, 1);
  if (value === undefined) return null;
  push(store, [to, value], toLeft, false);
  return value;
}

function lrem(store: Store, a: string[]): Reply {
  const key = at(a, 0);
  const count = intArg(at(a, 1));
  const value = at(a, 2);
  const list = store.get(key, "list");
  if (!list) return 0;
  const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
  const items = list.items;
  store.ensureSlots(items.length, 0, "the data"); // the kept items, while the old array is alive
  const kept: string[] = [];
  let removed = 0;
  for (let n = 0; n < items.length; n++) {
    const item = items[count < 0 ? items.length - 1 - n : n] ?? "";
    if (item === value && removed < limit) removed++;
    else kept.push(item);
  }
  if (removed === 0) return 0;
  list.items = count < 0 ? kept.reverse() : kept;
  store.refund(removed * cost.listItem(value));
  store.dropIfEmpty(key, list);
  return removed;
}

function lpos(store: Store, a: string[]): Reply {
  const [key = "", value = ""] = a;
  let rank = 1;
  let count: number | null = null;
  let maxlen = 0;
  for (let i = 2; i < a.length; i += 2) {
    const o = word(a[i]);
    const v = a[i + 1];
    if (v === undefined) throw err.syntax();
    if (o === "rank") {
      rank = intArg(v);
      if (rank === 0) {
        throw new RedisError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
    } else if (o === "count") {
      count = intArg(v);
      if (count < 0) throw new RedisError("ERR COUNT can't be negative");
    } else if (o === "maxlen") {
      maxlen = intArg(v);
      if (maxlen < 0) throw new RedisError("ERR MAXLEN can't be negative");
    } else throw err.syntax();
  }
  const list = store.get(key, "list");
  if (!list) return count === null ? null : [];
  const items = list.items;
  if (count !== null) store.ensureSlots(count === 0 ? items.length : Math.min(count, items.length));
  const found: number[] = [];
  let skip = Math.abs(rank) - 1;
  const want = count === null ? 1 : count === 0 ? Number.POSITIVE_INFINITY : count;
  for (let n = 0; n < items.length && (maxlen === 0 || n < maxlen) && found.length < want; n++) {
    const i = rank > 0 ? n : items.length - 1 - n;
    if (items[i] !== value) continue;
    if (skip > 0) skip--;
    else found.push(i);
  }
  return count === null ? (found[0] ?? null) : found;
}

function linsert(store: Store, a: string[]): Reply {
  const [key = "", where = "", pivot = "", value = ""] = a;
  const o = word(where);
  if (o !== "before" && o !== "after") throw err.syntax();
  const list = store.get(key, "list");
  if (!list) return 0;
  const i = list.items.indexOf(pivot);
  if (i < 0) return -1;
  store.charge(cost.listItem(value));
  list.items.splice(o === "before" ? i : i + 1, 0, value);
  return list.items.length;
}

export const listCommands: Command[] = [
  command("lpush", -3, "write", "O(1) for each element added", (s, a) => push(s, a, true, false)),
  command("rpush", -3, "write", "O(1) for each element added", (s, a) => push(s, a, false, false)),
  command("lpushx", -3, "write", "O(1) for each element added", (s, a) => push(s, a, true, true)),
  command("rpushx", -3, "write", "O(1) for each element added", (s, a) => push(s, a, false, true)),
  command("lpop", -2, "write", "O(N) where N is the number of elements returned", (s, a) =>
    pop(s, a, true, "lpop"),
  ),
  command("rpop", -2, "write", "O(N) where N is the number of elements returned", (s, a) =>
    pop(s, a, false, "rpop"),
  ),
  command("llen", 2, "read", "O(1)", (s, a) => s.get(at(a, 0), "list")?.items.length ?? 0),
  command("lrange", 4, "read", "O(S+N) where S is the start offset and N the number of elements", (s, a) => {
    const start = intArg(at(a, 1));
    const stop = intArg(at(a, 2));
    const items = s.get(at(a, 0), "list")?.items ?? [];
    const range = rankRange(start, stop, items.length);
    if (!range) return [];
    s.ensureSlots(range[1] - range[0] + 1);
    return items.slice(range[0], range[1] + 1);
  }),
  command("lindex", 3, "read", "O(N) where N is the number of elements to traverse", (s, a) => {
    const items = s.get(at(a, 0), "list")?.items;
    if (!items) return null;
    const i = intArg(at(a, 1));
    return items[i < 0 ? items.length + i : i] ?? null;
  }),
  command("lset", 4, "write", "O(N) where N is the length of the list", (s, a) => {
    const i = intArg(at(a, 1));
    const list = s.get(at(a, 0), "list");
    if (!list) throw err.noSuchKey();
    const index = i < 0 ? list.items.length + i : i;
    const old = list.items[index];
    if (old === undefined) throw new RedisError("ERR index out of range");
    s.charge(at(a, 2).length - old.length);
    list.items[index] = at(a, 2);
    return OK;
  }),
  command("lrem", 4, "write", "O(N+M) where N is the length of the list and M the number removed", lrem),
  command("ltrim", 4, "write", "O(N) where N is the number of elements to be removed", (s, a) => {
    const key = at(a, 0);
    const start = intArg(at(a, 1));
    const stop = intArg(at(a, 2));
    const list = s.get(key, "list");
    if (!list) return OK;
    const range = rankRange(start, stop, list.items.length);
    const [from, to] = range ?? [list.items.length, list.items.length - 1];
    s.ensureSlots(to - from + 1, 0, "the data"); // the kept items, while the old array is alive
    const kept = list.items.slice(from, to + 1);
    let dropped = 0;
    for (let i = 0; i < list.items.length; i++) {
      if (i < from || i > to) dropped += cost.listItem(list.items[i] ?? "");
    }
    list.items = kept;
    s.refund(dropped);
    s.dropIfEmpty(key, list);
    return OK;
  }),
  command("linsert", 5, "write", "O(N) where N is the number of elements to traverse", linsert),
  command("lpos", -3, "read", "O(N) where N is the number of elements in the list", lpos),
  command(
    "lmove",
    5,
    "write",
    "O(1)",
    (s, a) => move(s, at(a, 0), at(a, 1), side(a[2]), side(a[3])),
    firstTwoKeys,
  ),
  command("rpoplpush", 3, "write", "O(1)", (s, a) => move(s, at(a, 0), at(a, 1), false, true), firstTwoKeys),
];
