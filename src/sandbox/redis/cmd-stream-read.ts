/**
 * XREAD and XREADGROUP without BLOCK (t_stream.c, xreadCommand). With BLOCK they are refused before
 * the script runs (commands.ts): in the sandbox no other client will ever add the entry they would
 * wait for. Without it they answer at once, exactly as Redis answers a read that need not wait.
 */
import { at, type Command, command, type KeyFn, word } from "./command.js";
import { intArg } from "./numbers.js";
import { err, RedisError, type Reply } from "./reply.js";
import type { Store } from "./store.js";
import {
  entryReply,
  findEntry,
  formatId,
  type Group,
  MAX_ID,
  rangeEntries,
  roomForEntries,
  type StreamValue,
  strictId,
} from "./stream.js";
import { addPending, advanceGroup, consumerOf, pelOrder, pendingEntry } from "./stream-group.js";

interface ReadArgs {
  count: number;
  noack: boolean;
  group: { name: string; consumer: string } | null;
  /** Index of the first key in the arguments, and how many keys. */
  first: number;
  streams: number;
}

/**
 * Walks the options before STREAMS as xreadCommand does: the index just past STREAMS (-1 if the
 * options stop first), and whether BLOCK came up. `stopAtBlock` stops there, as Redis would block.
 */
function walkOptions(a: string[], stopAtBlock: boolean): { first: number; blocks: boolean } {
  for (let i = 0; i < a.length; i++) {
    const more = a.length - i - 1;
    const o = word(a[i]);
    if (o === "block" && more > 0 && stopAtBlock) return { first: -1, blocks: true };
    if ((o === "count" || o === "block") && more > 0) i++;
    else if (o === "streams" && more > 0) return { first: i + 1, blocks: false };
    else if (o === "group" && more >= 2) i += 2;
    else if (o !== "noack") break;
  }
  return { first: -1, blocks: false };
}

/** Whether XREAD/XREADGROUP arguments ask to BLOCK (checked before anything runs). */
export const readBlocks = (a: string[]): boolean => walkOptions(a, true).blocks;

/** The keys after STREAMS, for EXPLAIN. */
export const readKeys: KeyFn = (a) => {
  const { first } = walkOptions(a, false);
  return first < 0 ? [] : a.slice(first, first + Math.floor((a.length - first) / 2));
};

function parseRead(a: string[], xreadgroup: boolean): ReadArgs {
  const name = xreadgroup ? "xreadgroup" : "xread";
  const out: ReadArgs = { count: 0, noack: false, group: null, first: -1, streams: 0 };
  for (let i = 0; i < a.length; i++) {
    const more = a.length - i - 1;
    const o = word(a[i]);
    if (o === "block" && more > 0) {
      i++; // refused before the script ran (commands.ts); nothing here can wait
    } else if (o === "count" && more > 0) {
      out.count = Math.max(0, intArg(at(a, ++i)));
    } else if (o === "streams" && more > 0) {
      out.first = i + 1;
      if (more % 2 !== 0) {
        throw new RedisError(
          `ERR Unbalanced '${name}' list of streams: for each stream key an ID or '${xreadgroup ? ">" : "$"}' must be specified.`,
        );
      }
      out.streams = more / 2;
      break;
    } else if (o === "group" && more >= 2) {
      if (!xreadgroup) {
        throw new RedisError(
          "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
        );
      }
      out.group = { name: at(a, i + 1), consumer: at(a, i + 2) };
      i += 2;
    } else if (o === "noack") {
      if (!xreadgroup) {
        throw new RedisError(
          "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
        );
      }
      out.noack = true;
    } else throw err.syntax();
  }
  if (out.first < 0) throw err.syntax();
  if (xreadgroup && !out.group) throw new RedisError("ERR Missing GROUP option for XREADGROUP");
  return out;
}

const meaningless = (id: string) =>
  new RedisError(
    `ERR The ${id} ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The ${id} ID would just return an empty result set.`,
  );

/** New entries for a consumer of a group: they join its PEL (unless NOACK) and move the group on. */
function deliver(
  store: Store,
  s: StreamValue,
  g: Group,
  consumer: string,
  after: bigint,
  r: ReadArgs,
): Reply[] {
  const entries = rangeEntries(store, s, after + 1n, MAX_ID, r.count);
  roomForEntries(store, entries);
  const c = consumerOf(store, s, g, consumer, store.now);
  for (const e of entries) {
    advanceGroup(s, g, e.id);
    if (!r.noack) {
      addPending(store, s, g, e.id, consumer, store.now, 1n);
      c.active = store.now;
    }
  }
  store.touch();
  return entries.map(entryReply);
}

/** A consumer's own pending entries from an ID on: delivered again (a deleted one comes back as nil). */
function history(
  store: Store,
  s: StreamValue,
  g: Group,
  consumer: string,
  after: bigint,
  count: number,
): Reply[] {
  const ids: bigint[] = [];
  for (const id of pelOrder(g)) {
    if (count > 0 && ids.length >= count) break;
    if (id > after && pendingEntry(g, id)?.consumer === consumer) ids.push(id);
  }
  store.ensureSlots(3 * ids.length);
  const found = ids.flatMap((id) => findEntry(s, id) ?? []);
  roomForEntries(store, found);
  return ids.map((id) => {
    const e = findEntry(s, id);
    const p = pendingEntry(g, id);
    if (!e || !p) return [formatId(id), null];
    p.time = store.now;
    p.count++;
    store.touch();
    return entryReply(e);
  });
}

function xread(store: Store, a: string[], xreadgroup: boolean): Reply {
  const r = parseRead(a, xreadgroup);
  const keys = a.slice(r.first, r.first + r.streams);
  const after: bigint[] = [];
  keys.forEach((key, k) => {
    const arg = at(a, r.first + r.streams + k);
    const s = store.get(key, "stream");
    if (r.group && !s?.groups.has(r.group.name)) {
      throw new RedisError(
        `NOGROUP No such key '${key}' or consumer group '${r.group.name}' in XREADGROUP with GROUP option`,
      );
    }
    if (arg === "$" || arg === "+") {
      if (xreadgroup) throw meaningless(arg);
      const top = s?.entries.at(-1);
      after.push(arg === "$" ? (s?.last ?? 0n) : top ? top.id - 1n : 0n);
    } else if (arg === ">") {
      if (!xreadgroup) {
        throw new RedisError(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
        );
      }
      after.push(MAX_ID);
    } else after.push(strictId(arg));
  });
  const out: Reply[] = [];
  keys.forEach((key, k) => {
    const s = store.get(key, "stream");
    if (!s) return;
    const gt = after[k] ?? 0n;
    const top = s.entries.at(-1)?.id;
    const g = r.group ? s.groups.get(r.group.name) : undefined;
    if (!r.group || !g) {
      if (top !== undefined && top > gt) {
        const entries = rangeEntries(store, s, gt + 1n, MAX_ID, r.count);
        roomForEntries(store, entries);
        out.push([key, entries.map(entryReply)]);
      }
      return;
    }
    consumerOf(store, s, g, r.group.consumer, store.now).seen = store.now;
    store.touch();
    if (gt !== MAX_ID) out.push([key, history(store, s, g, r.group.consumer, gt, r.count)]);
    else if (top !== undefined && top > g.last)
      out.push([key, deliver(store, s, g, r.group.consumer, g.last, r)]);
  });
  return out.length > 0 ? out : null;
}

const READ_COMPLEXITY =
  "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1)";

export const streamReadCommands: Command[] = [
  command("xread", -4, "read", READ_COMPLEXITY, (s, a) => xread(s, a, false), readKeys),
  command("xreadgroup", -7, "write", READ_COMPLEXITY, (s, a) => xread(s, a, true), readKeys),
];
