/**
 * Stream commands that read and write entries (t_stream.c): XADD, XTRIM, XDEL, XLEN, XRANGE,
 * XREVRANGE, XSETID. Consumer groups live in cmd-stream-groups.ts, XREAD/XREADGROUP in
 * cmd-stream-read.ts, XINFO in cmd-stream-info.ts.
 *
 * `*` IDs come from the store's virtual clock (store.now), which stands still during an attempt:
 * the first `XADD s * …` gets `<now>-0`, the next ones `<now>-1`, `<now>-2`, … as Redis does when
 * its clock has not moved, so the same script always gets the same IDs.
 */
import { at, type Command, command, word } from "./command.js";
import { bigIntArg, intArg } from "./numbers.js";
import { err, OK, RedisError, type Reply } from "./reply.js";
import type { Store } from "./store.js";
import {
  appendEntry,
  deleteEntries,
  entryReply,
  formatId,
  intervalId,
  MAX_ID,
  newStream,
  nextId,
  parseId,
  rangeEntries,
  roomForEntries,
  type StreamValue,
  strictId,
  type Trim,
  trimStream,
} from "./stream.js";

const U64 = (1n << 64n) - 1n;

interface AddTrimArgs {
  trim: Trim | null;
  /** Where the ID is (XADD), or the argument count. */
  idPos: number;
  id: bigint | null;
  seqGiven: boolean;
  noMkstream: boolean;
}

/** streamParseAddOrTrimArgsOrReply: the options of XADD (up to its ID) or XTRIM, with Redis's errors. */
function parseAddOrTrim(a: string[], xadd: boolean): AddTrimArgs {
  let strategy: Trim["strategy"] | null = null;
  let approx = false;
  let maxlen = 0;
  let minid = 0n;
  let limit = 0n;
  let limitGiven = false;
  const out: AddTrimArgs = { trim: null, idPos: a.length, id: null, seqGiven: true, noMkstream: false };
  let i = 1;
  for (; i < a.length; i++) {
    const more = a.length - 1 - i;
    const opt = at(a, i);
    const o = word(opt);
    if (xadd && opt === "*") break;
    if ((o === "maxlen" || o === "minid") && more > 0) {
      if (strategy) {
        throw new RedisError(
          "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
        );
      }
      const next = at(a, i + 1);
      approx = more >= 2 && next === "~";
      if (more >= 2 && (next === "~" || next === "=")) i++;
      if (o === "maxlen") {
        const n = bigIntArg(at(a, i + 1));
        if (n < 0n) throw new RedisError("ERR The MAXLEN argument must be >= 0.");
        maxlen = Number(n);
      } else minid = strictId(at(a, i + 1));
      i++;
      strategy = o;
    } else if (o === "limit" && more > 0) {
      limit = bigIntArg(at(a, i + 1));
      if (limit < 0n) throw new RedisError("ERR The LIMIT argument must be >= 0.");
      limitGiven = true;
      i++;
    } else if (xadd && o === "nomkstream") {
      out.noMkstream = true;
    } else if (xadd) {
      const parsed = parseId(opt, 0n, true, true);
      out.id = parsed.id;
      out.seqGiven = parsed.seqGiven;
      break;
    } else throw err.syntax();
  }
  out.idPos = i;
  if (limit !== 0n && !strategy) {
    throw new RedisError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
  }
  if (!xadd && !strategy)
    throw new RedisError("ERR syntax error, XTRIM must be called with a trimming strategy");
  if (limitGiven && !approx) {
    throw new RedisError("ERR syntax error, LIMIT cannot be used without the special ~ option");
  }
  // Approximate trimming does at most 100 nodes' worth of work (100 × stream-node-max-entries).
  const work = limitGiven ? Number(limit) : approx ? 10_000 : 0;
  if (strategy) out.trim = { strategy, approx, limit: work, maxlen, minid };
  return out;
}

/** A new empty stream under `key`, charged like any new value. */
export function createStream(store: Store, key: string): StreamValue {
  const s = newStream();
  store.put(key, s);
  return s;
}

function xadd(store: Store, a: string[]): Reply {
  const p = parseAddOrTrim(a, true);
  const fieldPos = p.idPos + 1;
  const rest = a.length - fieldPos;
  if (rest < 2 || rest % 2 === 1) throw err.arity("xadd");
  if (p.id === 0n && p.seqGiven)
    throw new RedisError("ERR The ID specified in XADD must be greater than 0-0");
  const key = at(a, 0);
  let s = store.get(key, "stream");
  if (!s) {
    if (p.noMkstream) return null;
    s = createStream(store, key);
  }
  if (s.last === MAX_ID) {
    throw new RedisError("ERR The stream has exhausted the last possible ID, unable to add more items");
  }
  const smaller = () =>
    new RedisError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
  let id: bigint;
  if (p.id === null) id = nextId(s, store.now);
  else if (p.seqGiven || p.id >> 64n !== s.last >> 64n) id = p.id;
  else if ((s.last & U64) === U64) throw smaller();
  else id = s.last + 1n; // ms-* in the last ID's millisecond: the next sequence number
  if (id <= s.last) throw smaller();
  appendEntry(store, s, id, a.slice(fieldPos));
  if (p.trim) trimStream(store, s, p.trim);
  return formatId(id);
}

function xrange(store: Store, a: string[], rev: boolean): Reply {
  const start = intervalId(at(a, rev ? 2 : 1), false);
  const end = intervalId(at(a, rev ? 1 : 2), true);
  let count = -1;
  for (let j = 3; j < a.length; j++) {
    if (word(a[j]) !== "count" || j + 1 >= a.length) throw err.syntax();
    count = Math.max(0, intArg(at(a, ++j)));
  }
  const s = store.get(at(a, 0), "stream");
  if (!s) return [];
  if (count === 0) return null;
  const entries = rangeEntries(store, s, start, end, Math.max(0, count), rev);
  roomForEntries(store, entries);
  return entries.map(entryReply);
}

function xsetid(store: Store, a: string[]): Reply {
  const id = strictId(at(a, 1));
  let added = -1n;
  let maxDeleted = 0n;
  for (let i = 2; i < a.length; i += 2) {
    const o = word(a[i]);
    if (o === "entriesadded" && i + 1 < a.length) {
      added = bigIntArg(at(a, i + 1));
      if (added < 0n) throw new RedisError("ERR entries_added must be positive");
    } else if (o === "maxdeletedid" && i + 1 < a.length) {
      maxDeleted = strictId(at(a, i + 1));
      if (id < maxDeleted) {
        throw new RedisError(
          "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
        );
      }
    } else throw err.syntax();
  }
  const s = store.get(at(a, 0), "stream");
  if (!s) throw err.noSuchKey();
  if (id < s.maxDeleted) {
    throw new RedisError("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
  }
  const top = s.entries.at(-1);
  if (top) {
    if (id < top.id) {
      throw new RedisError("ERR The ID specified in XSETID is smaller than the target stream top item");
    }
    if (added !== -1n && BigInt(s.entries.length) > added) {
      throw new RedisError(
        "ERR The entries_added specified in XSETID is smaller than the target stream length",
      );
    }
  }
  s.last = id;
  if (added !== -1n) s.added = added;
  if (maxDeleted !== 0n) s.maxDeleted = maxDeleted;
  store.touch();
  return OK;
}

export const streamCommands: Command[] = [
  command(
    "xadd",
    -5,
    "write",
    "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted",
    xadd,
  ),
  command("xlen", 2, "read", "O(1)", (s, a) => s.get(at(a, 0), "stream")?.entries.length ?? 0),
  command("xrange", -4, "read", "O(N) with N being the number of elements being returned", (s, a) =>
    xrange(s, a, false),
  ),
  command("xrevrange", -4, "read", "O(N) with N being the number of elements being returned", (s, a) =>
    xrange(s, a, true),
  ),
  command("xdel", -3, "write", "O(1) for each single item to delete in the stream", (s, a) => {
    const stream = s.get(at(a, 0), "stream");
    if (!stream) return 0;
    return deleteEntries(s, stream, a.slice(1).map(strictId));
  }),
  command("xtrim", -4, "write", "O(N), with N being the number of evicted entries", (s, a) => {
    const trim = parseAddOrTrim(a, false).trim;
    const stream = s.get(at(a, 0), "stream");
    return stream && trim ? trimStream(s, stream, trim) : 0;
  }),
  command("xsetid", -3, "write", "O(1)", xsetid),
];
