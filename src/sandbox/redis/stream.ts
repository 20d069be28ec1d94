/**
 * The stream value (t_stream.c): entries in ID order, the macro nodes Redis packs them into,
 * consumer groups with their pending entries lists (PEL), and what the store charges for them.
 *
 * An ID is one 128-bit bigint, `ms << 64 | seq`, so comparing, incrementing (a carry into ms when
 * seq overflows) and decrementing are plain arithmetic, as streamIncrID/streamDecrID do them.
 *
 * Nodes: Redis keeps entries in listpacks of at most `stream-node-max-entries` (100) entries and
 * `stream-node-max-bytes` (4096) bytes, and `MAXLEN ~` / `MINID ~` only drop whole nodes. To trim
 * exactly as Redis does, each node here tracks its live and deleted entries and its listpack size
 * in bytes (the listpack encoding's sizes); a deleted entry leaves a tombstone in its node until
 * the node's last live entry goes.
 *
 * The value is plain data (Maps, arrays, bigints) so a snapshot crosses threads by structured
 * clone. `bytes` is what the store has been charged for it; every change goes through `grow` and
 * `shrink`, which charge the store and keep `bytes` equal to the sum of the costs below.
 */
import { parseInt64 } from "./numbers.js";
import { RedisError, type Reply } from "./reply.js";
import type { Store } from "./store.js";

const U64 = (1n << 64n) - 1n;
export const MAX_ID = (1n << 128n) - 1n;

export interface StreamEntry {
  id: bigint;
  /** field, value, field, value, … in the order XADD got them; never changed once added. */
  f: string[];
  /** The master ID of the node that holds the entry. */
  node: bigint;
}

export interface StreamNode {
  master: bigint;
  /** The master entry's field names: entries with the same names store only their values. */
  fields: string[];
  live: number;
  deleted: number;
  /** The listpack's size in bytes (lpBytes). */
  bytes: number;
  /** The last entry appended, live or not (what MINID ~ compares). */
  last: bigint;
}

export interface Pending {
  id: bigint;
  consumer: string;
  /** Last delivery, ms on the virtual clock. */
  time: number;
  count: bigint;
}

export interface Consumer {
  seen: number;
  /** Last successful interaction, or -1 before the first one. */
  active: number;
}

export interface Group {
  last: bigint;
  /** entries_read, or -1 when unknown. */
  read: bigint;
  /** Keyed by pelKey(id): V8 hashes a bigint by its low 64 bits only, and many IDs share a sequence. */
  pel: Map<string, Pending>;
  consumers: Map<string, Consumer>;
  /** The PEL's IDs in order, rebuilt when stale (a cache; acked IDs are filtered out lazily). */
  order: bigint[] | null;
}

export interface StreamValue {
  type: "stream";
  entries: StreamEntry[];
  nodes: StreamNode[];
  last: bigint;
  maxDeleted: bigint;
  added: bigint;
  groups: Map<string, Group>;
  bytes: number;
}

/** Rough JavaScript costs in bytes, as store.ts's `cost` does for the other types. */
export const streamCost = {
  base: 160,
  entry: (f: readonly string[]) => f.reduce((n, s) => n + 16 + s.length, 80),
  node: (fields: number) => 96 + 16 * fields,
  group: (name: string) => 160 + name.length,
  consumer: (name: string) => 96 + name.length,
  pending: 96,
};

export const invalidId = () => new RedisError("ERR Invalid stream ID specified as stream command argument");

export const formatId = (id: bigint): string => `${id >> 64n}-${id & U64}`;
const msOf = (id: bigint) => id >> 64n;
const seqOf = (id: bigint) => id & U64;

/** string2ull: a strict non-negative int64, else what strtoull reads of the whole string. */
function toU64(s: string): bigint | null {
  const ll = parseInt64(s);
  if (ll !== null) return ll < 0n ? null : ll;
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2] ?? "");
  if (v > U64) return null;
  return m[1] === "-" ? (U64 + 1n - v) & U64 : v;
}

/**
 * streamGenericParseIDOrReply: `ms-seq`, `ms` (seq = missingSeq), `-` and `+` unless strict, and
 * `ms-*` when `seqStar` (then seqGiven is false). Throws Redis's invalid-ID error.
 */
export function parseId(
  arg: string,
  missingSeq: bigint,
  strict: boolean,
  seqStar = false,
): { id: bigint; seqGiven: boolean } {
  if (arg.length > 127) throw invalidId();
  const s = arg.split("\0")[0] ?? "";
  if (s === "-" || s === "+") {
    if (strict) throw invalidId();
    return { id: s === "-" ? 0n : MAX_ID, seqGiven: true };
  }
  const dash = s.indexOf("-");
  const ms = toU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) throw invalidId();
  if (dash < 0) return { id: (ms << 64n) | missingSeq, seqGiven: true };
  const rest = s.slice(dash + 1);
  if (seqStar && rest === "*") return { id: ms << 64n, seqGiven: false };
  const seq = toU64(rest);
  if (seq === null) throw invalidId();
  return { id: (ms << 64n) | seq, seqGiven: true };
}

export const strictId = (arg: string): bigint => parseId(arg, 0n, true).id;

/** A range bound: `(` makes it exclusive (the next or previous ID), as XRANGE and XPENDING read it. */
export function intervalId(arg: string, end: boolean): bigint {
  const missing = end ? U64 : 0n;
  if (!(arg.length > 1 && arg.startsWith("("))) return parseId(arg, missing, false).id;
  const id = parseId(arg.slice(1), missing, true).id;
  if (end && id === 0n) throw new RedisError("ERR invalid end ID for the interval");
  if (!end && id === MAX_ID) throw new RedisError("ERR invalid start ID for the interval");
  return end ? id - 1n : id + 1n;
}

export function newStream(): StreamValue {
  return {
    type: "stream",
    entries: [],
    nodes: [],
    last: 0n,
    maxDeleted: 0n,
    added: 0n,
    groups: new Map(),
    bytes: streamCost.base,
  };
}

export function cloneStream(s: StreamValue): StreamValue {
  const groups = new Map<string, Group>();
  for (const [name, g] of s.groups) {
    groups.set(name, {
      last: g.last,
      read: g.read,
      pel: new Map([...g.pel].map(([key, p]) => [key, { ...p }])),
      consumers: new Map([...g.consumers].map(([n, c]) => [n, { ...c }])),
      order: g.order ? g.order.slice() : null,
    });
  }
  return { ...s, entries: s.entries.slice(), nodes: s.nodes.map((n) => ({ ...n })), groups };
}

/** What a copy allocates: its structure (entries and strings are shared). */
export function streamCopyCost(s: StreamValue): number {
  let n = 16 * s.entries.length + 64 * s.nodes.length;
  for (const g of s.groups.values()) n += 120 + 64 * g.pel.size + 64 * g.consumers.size;
  return n;
}

export function grow(store: Store, s: StreamValue, bytes: number): void {
  store.charge(bytes);
  s.bytes += bytes;
}

export function shrink(store: Store, s: StreamValue, bytes: number): void {
  store.refund(bytes);
  s.bytes -= bytes;
}

/** The first index whose key is >= id (items sorted by key). */
export function lowerBound<T>(items: readonly T[], key: (t: T) => bigint, id: bigint): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid] as T) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byId = (e: StreamEntry) => e.id;
const byMaster = (n: StreamNode) => n.master;

export function findEntry(s: StreamValue, id: bigint): StreamEntry | undefined {
  const e = s.entries[lowerBound(s.entries, byId, id)];
  return e?.id === id ? e : undefined;
}

/** Entries with start <= id <= end, at most `count` (0: all), from the end when `rev`. */
export function rangeEntries(
  store: Store,
  s: StreamValue,
  start: bigint,
  end: bigint,
  count: number,
  rev = false,
): StreamEntry[] {
  if (start > end) return [];
  const from = lowerBound(s.entries, byId, start);
  const to = end === MAX_ID ? s.entries.length : lowerBound(s.entries, byId, end + 1n);
  if (to <= from) return [];
  const n = count > 0 ? Math.min(count, to - from) : to - from;
  store.ensureSlots(n);
  return rev ? s.entries.slice(to - n, to).reverse() : s.entries.slice(from, from + n);
}

export const entryReply = (e: StreamEntry): Reply[] => [formatId(e.id), e.f];

/** Room for a reply of these entries, as the interpreter will hold it. */
export function roomForEntries(store: Store, entries: readonly StreamEntry[], extra = 0): void {
  let bytes = extra;
  for (const e of entries) bytes += 112 + 16 * e.f.length;
  store.ensureRoom(bytes, "the reply");
}

/** The next ID for `*` (streamNextID): now, or one past the last ID when the clock has not moved. */
export function nextId(s: StreamValue, now: number): bigint {
  const candidate = BigInt(now) << 64n;
  return candidate > s.last ? candidate : s.last + 1n;
}

// Listpack sizes (listpack.c): an element is its encoding and data, then a back-length.
function lpElement(value: string | bigint): number {
  const n = typeof value === "bigint" ? value : parseInt64(value);
  let l: number;
  if (n !== null) {
    const bits = [7n, 13n, 16n, 24n, 32n].findIndex((b) =>
      b === 7n ? n >= 0n && n < 128n : n >= -(1n << (b - 1n)) && n < 1n << (b - 1n),
    );
    l = bits < 0 ? 9 : bits + 1;
  } else {
    const len = (value as string).length;
    l = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  }
  return l + (l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5);
}

const NODE_MAX_BYTES = 4096;
const NODE_MAX_ENTRIES = 100;

function sameFields(node: StreamNode, f: readonly string[]): boolean {
  return node.fields.length * 2 === f.length && node.fields.every((name, i) => f[2 * i] === name);
}

/** Append an entry with a valid new ID (greater than s.last), opening a node when the tail is full. */
export function appendEntry(store: Store, s: StreamValue, id: bigint, f: string[]): void {
  const total = f.reduce((n, x) => n + x.length, 0);
  let node = s.nodes.at(-1);
  const full = !node || node.bytes + total >= NODE_MAX_BYTES || node.live + node.deleted >= NODE_MAX_ENTRIES;
  if (full || !node) {
    const fields = f.filter((_, i) => i % 2 === 0);
    grow(store, s, streamCost.entry(f) + streamCost.node(fields.length));
    const header = lpElement(1n) + lpElement(0n) + lpElement(BigInt(fields.length)) + lpElement(0n);
    const bytes = 7 + header + fields.reduce((n, x) => n + lpElement(x), 0);
    node = { master: id, fields, live: 0, deleted: 0, bytes, last: id };
    s.nodes.push(node);
  } else grow(store, s, streamCost.entry(f));
  const same = sameFields(node, f);
  const pairs = f.length / 2;
  let bytes = lpElement(0n) + lpElement(BigInt(pairs + 3 + (same ? 0 : pairs + 1)));
  bytes += lpElement(BigInt.asIntN(64, msOf(id) - msOf(node.master)));
  bytes += lpElement(BigInt.asIntN(64, seqOf(id) - seqOf(node.master)));
  if (!same) bytes += lpElement(BigInt(pairs));
  f.forEach((x, i) => {
    if (!same || i % 2 === 1) bytes += lpElement(x);
  });
  node.bytes += bytes;
  node.live++;
  node.last = id;
  s.entries.push({ id, f, node: node.master });
  s.last = id;
  s.added++;
}

/** XDEL: marks each entry deleted (a node goes with its last live entry); returns how many went. */
export function deleteEntries(store: Store, s: StreamValue, ids: readonly bigint[]): number {
  const doomed = new Set<number>();
  for (const id of ids) {
    const i = lowerBound(s.entries, byId, id);
    if (s.entries[i]?.id === id) doomed.add(i);
  }
  if (doomed.size === 0) return 0;
  store.ensureSlots(s.entries.length - doomed.size, 0, "the data"); // the kept entries, beside the old
  for (const i of doomed) {
    const e = s.entries[i];
    if (!e) continue;
    const at = lowerBound(s.nodes, byMaster, e.node);
    const node = s.nodes[at];
    if (node) {
      node.live--;
      node.deleted++;
      if (node.live === 0) {
        s.nodes.splice(at, 1);
        shrink(store, s, streamCost.node(node.fields.length));
      }
    }
    shrink(store, s, streamCost.entry(e.f));
    if (e.id > s.maxDeleted) s.maxDeleted = e.id;
  }
  s.entries = s.entries.filter((_, i) => !doomed.has(i));
  return doomed.size;
}

export interface Trim {
  strategy: "maxlen" | "minid";
  approx: boolean;
  /** Most entries to remove, 0 for no limit. */
  limit: number;
  maxlen: number;
  minid: bigint;
}

/** streamTrim: whole nodes from the head, then (unless approximate) entries inside the next node. */
export function trimStream(store: Store, s: StreamValue, t: Trim): number {
  let cut = 0;
  let nodes = 0;
  let partial = 0;
  for (const node of s.nodes) {
    const length = s.entries.length - cut;
    if (t.strategy === "maxlen" && length <= t.maxlen) break;
    if (t.limit > 0 && cut + node.live > t.limit) break;
    const whole = t.strategy === "maxlen" ? length - node.live >= t.maxlen : node.last < t.minid;
    if (whole) {
      cut += node.live;
      nodes++;
      continue;
    }
    if (t.approx) break;
    while (partial < node.live) {
      const e = s.entries[cut + partial];
      if (!e || (t.strategy === "maxlen" ? length - partial <= t.maxlen : e.id >= t.minid)) break;
      partial++;
    }
    break;
  }
  if (cut + partial === 0 && nodes === 0) return 0;
  store.ensureSlots(s.entries.length - cut - partial, 0, "the data"); // the kept entries, beside the old
  const touched = s.nodes[nodes];
  if (touched && partial > 0) {
    touched.live -= partial;
    touched.deleted += partial;
  }
  for (const node of s.nodes.splice(0, nodes)) shrink(store, s, streamCost.node(node.fields.length));
  cut += partial;
  let freed = 0;
  for (let i = 0; i < cut; i++) freed += streamCost.entry(s.entries[i]?.f ?? []);
  if (freed > 0) shrink(store, s, freed);
  s.entries = s.entries.slice(cut);
  return cut;
}

/** The first entry's ID, or 0-0 when empty (s->first_id). */
export const firstId = (s: StreamValue): bigint => s.entries[0]?.id ?? 0n;

/** rax->numnodes for the nodes' 16-byte big-endian keys, as a compressed radix tree holds them. */
export function radixNodes(s: StreamValue): number {
  if (s.nodes.length === 0) return 1;
  const keys = s.nodes.map((n) => n.master.toString(16).padStart(32, "0"));
  const byte = (k: string, d: number) => k.slice(2 * d, 2 * d + 2);
  const count = (lo: number, hi: number, d: number): number => {
    if (hi - lo === 1) return d === 16 ? 1 : 2;
    const a = keys[lo] ?? "";
    const b = keys[hi - 1] ?? "";
    let l = d;
    while (byte(a, l) === byte(b, l)) l++;
    let n = (l > d ? 1 : 0) + 1;
    for (let i = lo; i < hi; ) {
      let j = i + 1;
      while (j < hi && byte(keys[j] ?? "", l) === byte(keys[i] ?? "", l)) j++;
      n += count(i, j, l + 1);
      i = j;
    }
    return n;
  };
  return count(0, keys.length, 0);
}
