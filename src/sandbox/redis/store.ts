/**
 * The keyspace: plain data (so a snapshot can cross threads by structured clone), a
 * virtual clock, and an estimate of the memory it holds.
 *
 * The clock: every attempt (and every dataset build) sees the same instant, VIRTUAL_NOW,
 * and the clock does not move while an attempt runs. TTL/PTTL report against it, so
 * `EXPIRE k 100` followed by `TTL k` is always 100, and a key expires only when the clock
 * has passed it, which in practice means an EXPIREAT/PXAT in the past (deleted at once,
 * as Redis does). Grading never depends on wall time.
 */
import { err } from "./reply.js";

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
export type Value = StrValue | ListValue | SetValue | HashValue | ZSetValue;
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
};

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
  }
}

export function emptySnapshot(): Snapshot {
  return { data: new Map(), used: 0 };
}

export class MemoryLimitError extends Error {}

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
  used: number;
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

  /** Throws if `bytes` more would pass the budget; call before allocating something big. */
  ensureRoom(bytes: number): void {
    if (this.used + bytes > this.limitBytes) {
      throw new MemoryLimitError(
        `the data would grow past the memory limit of ${Math.round(this.limitBytes / 1048576)} MiB`,
      );
    }
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

  /** An in-place change that neither grows nor shrinks (an expiry, LSET of the same size, …). */
  touch(): void {
    this.dirty++;
  }

  /** The raw entry if live, dropping it once the virtual clock has passed its expiry. */
  private live(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e && e.exp !== null && e.exp <= this.now) {
      this.data.delete(key);
      this.used = Math.max(0, this.used - cost.key(key) - sizeOf(e.v));
      return undefined;
    }
    return e;
  }

  /** Type and expiry of a live key, without copying its value. */
  peek(key: string): KeyInfo | undefined {
    const e = this.live(key);
    return e ? { type: e.v.type, exp: e.exp } : undefined;
  }

  /** The live entry, this store's own copy: safe to change. */
  entry(key: string): Entry | undefined {
    const e = this.live(key);
    if (!e || this.owned.has(e)) return e;
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
    this.charge(cost.key(key));
    const fresh: Record<"list" | "set" | "hash" | "zset", Value> = {
      list: { type: "list", items: [] },
      set: { type: "set", m: new Set(), intset },
      hash: { type: "hash", m: new Map() },
      zset: { type: "zset", m: new Map(), sorted: null },
    };
    return this.setEntry(key, { v: fresh[type], exp: null }).v as ValueOf<T>;
  }

  /** Store a whole value (replacing any), charging it first; `exp` null clears the TTL. */
  put(key: string, v: Value, exp: number | null = null): void {
    const size = cost.key(key) + sizeOf(v);
    const old = this.live(key);
    const freed = old ? cost.key(key) + sizeOf(old.v) : 0;
    this.charge(Math.max(0, size - freed));
    if (size < freed) this.refund(freed - size);
    this.setEntry(key, { v, exp });
  }

  /** Move a key's entry (value and expiry) under another name, replacing what was there. */
  rename(from: string, to: string): void {
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
    this.data.delete(key);
    this.refund(cost.key(key) + sizeOf(e.v));
    return true;
  }

  /** Collections never stay empty in Redis: the key goes with the last element. */
  dropIfEmpty(key: string, v: Value): void {
    const size = v.type === "list" ? v.items.length : v.type === "string" ? 1 : v.m.size;
    if (size === 0) this.delete(key);
  }

  /** Every live key, in insertion order. */
  keys(): string[] {
    return [...this.data.keys()].filter((key) => this.peek(key));
  }
}
