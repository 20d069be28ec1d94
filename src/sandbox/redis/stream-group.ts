/**
 * Consumer groups over a stream (t_stream.c): the read counter and lag, the pending entries list
 * (PEL) and consumers, each change charged to the store through stream.ts's grow and shrink.
 */
import type { Store } from "./store.js";
import {
  type Consumer,
  firstId,
  type Group,
  grow,
  type Pending,
  type StreamValue,
  shrink,
  streamCost,
} from "./stream.js";

/** streamRangeHasTombstones from `start` to the end of the stream. */
function tombstonesFrom(s: StreamValue, start: bigint): boolean {
  return s.entries.length > 0 && s.maxDeleted !== 0n && start <= s.maxDeleted;
}

/** streamEstimateDistanceFromFirstEverEntry: the entries_read an ID stands for, or -1 if unknown. */
export function estimateRead(s: StreamValue, id: bigint): bigint {
  if (s.added === 0n) return 0n;
  if (s.entries.length === 0 && id <= s.last) return s.added;
  if (id !== 0n && id < s.maxDeleted) return -1n;
  if (id === s.last) return s.added;
  if (id > s.last) return -1n;
  const first = firstId(s);
  if (s.maxDeleted === 0n || s.maxDeleted < first) {
    if (id < first) return s.added - BigInt(s.entries.length);
    if (id === first) return s.added - BigInt(s.entries.length) + 1n;
  }
  return -1n;
}

/** A group's lag (entries not yet delivered), or null when tombstones make it unknowable. */
export function groupLag(s: StreamValue, g: Group): bigint | null {
  if (s.added === 0n || s.entries.length === 0) return 0n;
  const first = firstId(s);
  // The group and every deletion are behind the first entry: everything left is still to come.
  if (g.last < first && s.maxDeleted < first) return BigInt(s.entries.length);
  if (g.read !== -1n && !tombstonesFrom(s, g.last)) return s.added - g.read;
  const read = estimateRead(s, g.last);
  return read === -1n ? null : s.added - read;
}

/** What delivering `id` to a group does to its last-delivered ID and entries_read. */
export function advanceGroup(s: StreamValue, g: Group, id: bigint): void {
  if (id <= g.last) return;
  if (g.read !== -1n && g.last >= firstId(s) && !tombstonesFrom(s, g.last)) g.read++;
  else if (s.added !== 0n) g.read = estimateRead(s, id);
  g.last = id;
}

export const pelKey = (id: bigint): string => id.toString(16);

/** The pending entry of an ID, if any. */
export const pendingEntry = (g: Group, id: bigint): Pending | undefined => g.pel.get(pelKey(id));

/** The PEL's IDs in order. */
export function pelOrder(g: Group): bigint[] {
  if (!g.order) g.order = [...g.pel.values()].map((p) => p.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  else if (g.order.length !== g.pel.size) g.order = g.order.filter((id) => g.pel.has(pelKey(id)));
  return g.order;
}

/** Add (or hand over) a pending entry: delivered now, to `consumer`. */
export function addPending(
  store: Store,
  s: StreamValue,
  g: Group,
  id: bigint,
  consumer: string,
  time: number,
  count: bigint,
): Pending {
  const found = pendingEntry(g, id);
  if (found) {
    Object.assign(found, { consumer, time, count });
    store.touch();
    return found;
  }
  grow(store, s, streamCost.pending);
  const p: Pending = { id, consumer, time, count };
  g.pel.set(pelKey(id), p);
  const tail = g.order?.at(-1);
  if (g.order && (tail === undefined || id > tail)) g.order.push(id);
  else g.order = null;
  return p;
}

export function dropPending(store: Store, s: StreamValue, g: Group, id: bigint): boolean {
  if (!g.pel.delete(pelKey(id))) return false;
  shrink(store, s, streamCost.pending);
  return true;
}

/** The consumer, created (seen now, never active) when missing. */
export function consumerOf(store: Store, s: StreamValue, g: Group, name: string, now: number): Consumer {
  const found = g.consumers.get(name);
  if (found) return found;
  grow(store, s, streamCost.consumer(name));
  const c: Consumer = { seen: now, active: -1 };
  g.consumers.set(name, c);
  return c;
}

/** Names in Redis's order (the radix tree's: bytewise). */
export const sortedNames = <T>(m: Map<string, T>): [string, T][] =>
  [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
