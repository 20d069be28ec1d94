/**
 * The keyspace: plain data (so a snapshot can cross threads by structured clone), a
 * virtual clock, and an estimate of the memory it holds.
 *
 * The clock: every attempt (and every dataset build) sees the same instant, VIRTUAL_NOW,
 * and the clock does not move while an attempt runs. TTL/PTTL report against it, so
 * `EXPIRE k 100` followed by `TTL k` is always 100, and a key expires only when the clock
 * has passed it, which in practice means an EXPIREAT/PXAT in the past (deleted at once,
 * as Redis does). Grading never depends on wall time.
 *
 * The caps:
 * - One value: MAX_VALUE_BYTES (1 MiB), the sandbox's proto-max-bulk-len. It bounds every
 *   argument (so every key name, list item, hash field and value, set and sorted-set
 *   member; the interpreter checks them before a command runs: "ERR Protocol error:
 *   invalid bulk length") and every string a command builds (SET, SETRANGE, APPEND,
 *   INCRBYFLOAT, …; checked before it is built: "ERR string exceeds maximum allowed size
 *   (proto-max-bulk-len)"). Either ends the attempt as "too-large".
 * - The budget: `limitBytes` (limits.memoryMb, 256 MiB by default) over everything the
 *   attempt keeps alive, estimated with `cost`: the data (`used`); what the base still
 *   holds on the attempt's behalf (`kept`: the copy of each base value the attempt
 *   reached, and base values it dropped, which the shared base keeps); the replies still
 *   referenced (`held`: the last reply, and every reply of an EXEC until it returns, each
 *   counted with the bytes of its strings, as if materialised). Past it: "memory".
 * - Temporaries count: a command that builds a new value (or a reply) of n bytes while the
 *   old one is still alive (SETRANGE, APPEND, COPY, the *STORE forms, LRANGE, KEYS, …)
 *   first asks `ensureRoom(n)` on top of all of the above, so the peak, not just the
 *   growth, stays within the budget; the growth is charged when the new value is stored.
 */
import { err, type Reply, Status } from "./reply.js";
import { cloneStream, type StreamValue, streamCopyCost } from "./stream.js";

/** The most one value may hold: a key name, a string, one element of a collection. */
export const MAX_VALUE_BYTES = 1024 * 1024;

/** 2025-01-01T00:00:00Z: the fixed instant of every attempt. */
export const VIRTUAL_NOW = Date.UTC(2025, 0, 1);

export interface StrValue {
  type: "string";
  s: string;
}
export interface ListValue {
  type: "list";
  items: string[];
}
/** `intset`: every member is an integer, so Redis (intset encoding) lists them sorted. */
export interface SetValue {
  type: "set";
  m: Set<string>;
  intset: boolean;
}
export interface HashValue {
  type: "hash";
  m: Map<string, string>;
}
/** `sorted`: members by (score, member), rebuilt lazily after a change. */
export interface ZSetValue {
  type: "zset";
  m: Map<string, number>;
  sorted: string[] | null;
}
export type Value = StrValue | ListValue | SetValue | HashValue | ZSetValue | StreamValue;
export type TypeName = Value["type"];
type ValueOf<T extends TypeName> = Extract<Value, { type: T }>;

export interface Entry {
  v: Value;
  /** Absolute expiry in ms on the virtual clock, or null. */
  exp: number | null;
}

export interface Snapshot {
  data: Map<string, Entry>;
  /** Estimated bytes, see `cost`. */
  used: number;
}

/**
 * Rough JavaScript costs in bytes (object headers, Map/Set slots), so that the budget
 * tracks the heap and not just the payload.
 */
export const cost = {
  key: (key: string) => 96 + key.length,
  string: (s: string) => 24 + s.length,
  listItem: (s: string) => 16 + s.length,
  setMember: (s: string) => 48 + s.length,
  hashField: (f: string, v: string) => 64 + f.length + v.length,
  zsetMember: (s: string) => 72 + s.length,
  /** One element of an array a command builds (a reply, a filtered copy): the pointer and some slack. */
  slot: 16,
  /** A number a command formats into a reply (a score): at most 24 characters. */
  number: 40,
};

/**
 * A reply's bytes as if materialised: a slot per element plus the bytes of every string,
 * even one the store shares (the result is built from it, and an EXEC keeps them all).
 */
export function replyBytes(reply: Reply): number {
  if (typeof reply === "string") return cost.slot + reply.length;
  if (Array.isArray(reply)) {
    let n = cost.slot;
    for (const item of reply) n += replyBytes(item);
    return n;
  }
  return reply instanceof Status ? cost.slot + reply.text.length : cost.slot;
}

export function sizeOf(v: Value): number {
  let n = 0;
  switch (v.type) {
    case "string":
      return cost.string(v.s);
    case "list":
      for (const s of v.items) n += cost.listItem(s);
      return n;
    case "set":
      for (const s of v.m) n += cost.setMember(s);
      return n;
    case "hash":
      for (const [f, x] of v.m) n += cost.hashField(f, x);
      return n;
    case "zset":
      for (const s of v.m.keys()) n += cost.zsetMember(s);
      return n;
    case "stream":
      return v.bytes; // kept up to date by every change (stream.ts)
  }
}

/**
 * What a copy of `v` allocates: its structure, not its strings (JavaScript strings are
 * immutable and shared by the copy).
 */
export function copyCost(v: Value): number {
  switch (v.type) {
    case "string":
      return cost.string("");
    case "list":
      return v.items.length * cost.listItem("");
    case "set":
      return v.m.size * cost.setMember("");
    case "hash":
      return v.m.size * cost.hashField("", "");
    case "zset":
      return v.m.size * cost.zsetMember("");
    case "stream":
      return streamCopyCost(v);
  }
}

export function cloneValue(v: Value): Value {
  switch (v.type) {
    case "string":
      return { type: "string", s: v.s };
    case "list":
      return { type: "list", items: v.items.slice() };
    case "set":
      return { type: "set", m: new Set(v.m), intset: v.intset };
    case "hash":
      return { type: "hash", m: new Map(v.m) };
    case "zset":
      return { type: "zset", m: new Map(v.m), sorted: v.sorted ? v.sorted.slice() : null };
    case "stream":
      return cloneStream(v);
  }
}

export function emptySnapshot(): Snapshot {
  return { data: new Map(), used: 0 };
}

export class MemoryLimitError extends Error {}

/** Refuses a key name longer than one value may be (it can only come from an argument). */
function checkKey(key: string): void {
  if (key.length > MAX_VALUE_BYTES) throw err.bulkTooLong();
}

/** Refuses a string value longer than MAX_VALUE_BYTES, in Redis's words; call before building it. */
export function checkStringLength(length: number): void {
  if (length > MAX_VALUE_BYTES) throw err.tooBig();
}

/** What `peek` shows of a key: enough for EXISTS, TYPE, TTL, KEYS, never the value. */
export interface KeyInfo {
  type: TypeName;
  exp: number | null;
}

/**
 * One attempt's keyspace over a base snapshot, copied on access: the first time a key's
 * value is reached (read or write) it is deep-copied into this store, so the base is
 * never touched and an attempt pays only for the keys it uses. `peek` reads type and
 * expiry without copying.
 */
export class Store {
  private readonly data: Map<string, Entry>;
  /** Entries this store made or copied; any other entry still belongs to the base. */
  private readonly owned = new WeakSet<Entry>();
  /** Estimated bytes of the data, as a snapshot of it would hold them. */
  used: number;
  /**
   * Bytes alive for this attempt outside `used`: the structure of every base value copied
   * on access, and every base value dropped (the base is shared and keeps it). Never shrinks.
   */
  private kept = 0;
  /** Bytes of replies still referenced (see `hold`). */
  private held = 0;
  /** Counts changes; a read-only attempt that ends with dirty > 0 is refused after all. */
  dirty = 0;

  /** `base` is copied on access; a store built from scratch passes emptySnapshot(). */
  constructor(
    base: Snapshot,
    readonly limitBytes: number,
    readonly now: number = VIRTUAL_NOW,
  ) {
    this.data = new Map(base.data);
    this.used = base.used;
  }

  /** The data as a snapshot (used once a dataset's setup has run). */
  snapshot(): Snapshot {
    const data = new Map<string, Entry>();
    for (const key of this.data.keys()) {
      const e = this.entry(key);
      if (e) data.set(key, e);
    }
    return { data, used: this.used };
  }

  /** Everything counted against the budget: the data, what the base keeps for us, replies held. */
  get total(): number {
    return this.used + this.kept + this.held;
  }

  /**
   * Throws if `bytes` more would pass the budget; call before allocating something big,
   * even a temporary (a new copy of a value, a reply), while the old one is still alive.
   */
  ensureRoom(bytes: number, what = "the data"): void {
    if (this.total + bytes > this.limitBytes) {
      throw new MemoryLimitError(
        `${what} would grow past the memory limit of ${Math.round(this.limitBytes / 1048576)} MiB`,
      );
    }
  }

  /** Room for an array of `elements` a command is about to build (a reply, a filtered copy). */
  ensureSlots(elements: number, extraBytes = 0, what = "the reply"): void {
    this.ensureRoom(elements * cost.slot + extraBytes, what);
  }

  /** Reserve bytes before allocating them; past the budget the attempt stops. */
  charge(bytes: number): void {
    this.dirty++;
    this.ensureRoom(bytes);
    this.used += bytes;
  }

  refund(bytes: number): void {
    this.dirty++;
    this.used = Math.max(0, this.used - bytes);
  }

  /** Count a reply that stays referenced (the last one, those an EXEC collects); not a change. */
  hold(bytes: number): void {
    this.ensureRoom(bytes, "the reply");
    this.held += bytes;
  }

  /** A held reply let go. */
  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }

  /** An in-place change that neither grows nor shrinks (an expiry, LSET of the same size, …). */
  touch(): void {
    this.dirty++;
  }

  /** Take `e` out of the data; a base value stays alive in the base, so it moves to `kept`. */
  private drop(key: string, e: Entry): number {
    this.data.delete(key);
    const size = cost.key(key) + sizeOf(e.v);
    if (!this.owned.has(e)) this.kept += size;
    return size;
  }

  /** The raw entry if live, dropping it once the virtual clock has passed its expiry. */
  private live(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e && e.exp !== null && e.exp <= this.now) {
      this.used = Math.max(0, this.used - this.drop(key, e));
      return undefined;
    }
    return e;
  }

  /** Type and expiry of a live key, without copying its value. */
  peek(key: string): KeyInfo | undefined {
    const e = this.live(key);
    return e ? { type: e.v.type, exp: e.exp } : undefined;
  }

  /** The live entry, this store's own copy: safe to change. The copy counts against the budget. */
  entry(key: string): Entry | undefined {
    const e = this.live(key);
    if (!e || this.owned.has(e)) return e;
    const bytes = copyCost(e.v);
    this.ensureRoom(bytes);
    this.kept += bytes;
    return this.setEntry(key, { v: cloneValue(e.v), exp: e.exp });
  }

  private setEntry(key: string, e: Entry): Entry {
    this.owned.add(e);
    this.data.set(key, e);
    return e;
  }

  /** The value of `key` if it has type `type`; undefined if missing; WRONGTYPE otherwise. */
  get<T extends TypeName>(key: string, type: T): ValueOf<T> | undefined {
    const info = this.peek(key);
    if (!info) return undefined;
    if (info.type !== type) throw err.wrongType();
    return this.entry(key)?.v as ValueOf<T>;
  }

  /** The existing value, or a new empty one of `type` stored under `key`. */
  getOrCreate<T extends "list" | "set" | "hash" | "zset">(key: string, type: T, intset = false): ValueOf<T> {
    const found = this.get(key, type);
    if (found) return found;
    checkKey(key);
    this.charge(cost.key(key));
    const fresh: Record<"list" | "set" | "hash" | "zset", Value> = {
      list: { type: "list", items: [] },
      set: { type: "set", m: new Set(), intset },
      hash: { type: "hash", m: new Map() },
      zset: { type: "zset", m: new Map(), sorted: null },
    };
    return this.setEntry(key, { v: fresh[type], exp: null }).v as ValueOf<T>;
  }

  /**
   * Store a whole value (replacing any), charging its growth first; `exp` null clears the
   * TTL. The caller made room for the value before building it (see `ensureRoom`).
   */
  put(key: string, v: Value, exp: number | null = null): void {
    checkKey(key);
    if (v.type === "string") checkStringLength(v.s.length);
    const size = cost.key(key) + sizeOf(v);
    const old = this.live(key);
    const freed = old ? cost.key(key) + sizeOf(old.v) : 0;
    this.charge(Math.max(0, size - freed));
    // Replaced in place (the key keeps its position); a base value stays alive in the base.
    if (old && !this.owned.has(old)) this.kept += freed;
    if (size < freed) this.refund(freed - size);
    this.setEntry(key, { v, exp });
  }

  /** Move a key's entry (value and expiry) under another name, replacing what was there. */
  rename(from: string, to: string): void {
    checkKey(to);
    const e = this.entry(from);
    if (!e) return;
    this.delete(to);
    this.data.delete(from);
    this.charge(to.length - from.length);
    this.setEntry(to, e);
  }

  delete(key: string): boolean {
    const e = this.live(key);
    if (!e) return false;
    this.refund(this.drop(key, e));
    return true;
  }

  /** Collections never stay empty in Redis: the key goes with the last element (a stream stays). */
  dropIfEmpty(key: string, v: Value): void {
    if (v.type === "stream") return;
    const size = v.type === "list" ? v.items.length : v.type === "string" ? 1 : v.m.size;
    if (size === 0) this.delete(key);
  }

  /** How many keys are live, without listing them. */
  size(): number {
    let n = 0;
    // Deleting from a Map while iterating it is safe: an expired key just drops out.
    for (const key of this.data.keys()) if (this.peek(key)) n++;
    return n;
  }

  /** Every live key `match` accepts, in insertion order; the list counts as a reply being built. */
  keys(match: (key: string) => boolean = () => true): string[] {
    this.ensureSlots(this.data.size);
    const out: string[] = [];
    for (const key of this.data.keys()) if (this.peek(key) && match(key)) out.push(key);
    return out;
  }
}
