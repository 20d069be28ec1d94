/**
 * Consumer-group commands (t_stream.c): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.
 *
 * Idle times are measured on the store's virtual clock, which stands still during an attempt: a
 * message delivered or claimed in the attempt is 0 ms idle. A dataset makes older deliveries the
 * way Redis's own AOF does, with XCLAIM … IDLE <ms> or TIME <unix-ms> (and RETRYCOUNT), so
 * XPENDING … IDLE, XCLAIM and XAUTOCLAIM have something to find.
 */
import { createStream } from "./cmd-streams.js";
import { at, type Command, command, word } from "./command.js";
import { bigIntArg, parseInt64 } from "./numbers.js";
import { err, OK, RedisError, type Reply, Status } from "./reply.js";
import type { Store } from "./store.js";
import {
  entryReply,
  findEntry,
  formatId,
  type Group,
  grow,
  intervalId,
  lowerBound,
  parseId,
  roomForEntries,
  type StreamValue,
  shrink,
  streamCost,
  strictId,
} from "./stream.js";
import { addPending, consumerOf, dropPending, pelOrder, pendingEntry, sortedNames } from "./stream-group.js";

/** A subcommand's name after the arity Redis 7 checks for it ("xgroup|create"), or Redis's error. */
export function subcommand(name: string, a: string[], arities: ReadonlyMap<string, number>): string {
  const sub = word(a[0]);
  const arity = arities.get(sub);
  if (arity === undefined) {
    throw new RedisError(
      `ERR unknown subcommand '${at(a, 0).slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`,
    );
  }
  const argc = a.length + 1;
  if (arity >= 0 ? argc !== arity : argc < -arity) {
    throw new RedisError(`ERR wrong number of arguments for '${name}|${sub}' command`);
  }
  return sub;
}

/** addReplySubcommandSyntaxError. */
export const subcommandSyntax = (name: string, a: string[]) =>
  new RedisError(
    `ERR unknown subcommand or wrong number of arguments for '${at(a, 0).slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`,
  );

/** addReplyHelp: the usage line, the subcommands' lines, then HELP. */
export const helpReply = (name: string, lines: string[]): Reply =>
  [
    `${name.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    "HELP",
    "    Prints this help.",
  ].map((line) => new Status(line));

const noGroup = (key: string, group: string) =>
  new RedisError(`NOGROUP No such key '${key}' or consumer group '${group}'`);

/** The stream and the group, or NOGROUP as XPENDING, XCLAIM and XAUTOCLAIM report it. */
function streamGroup(store: Store, key: string, group: string): [StreamValue, Group] {
  const s = store.get(key, "stream");
  const g = s?.groups.get(group);
  if (!s || !g) throw noGroup(key, group);
  return [s, g];
}

/** getLongLongFromObjectOrReply with a message of its own. */
function int64(arg: string, message: string): bigint {
  const n = parseInt64(arg);
  if (n === null) throw new RedisError(`ERR ${message}`);
  return n;
}

const XGROUP = new Map([
  ["create", -5],
  ["setid", -5],
  ["destroy", 4],
  ["createconsumer", 5],
  ["delconsumer", 5],
  ["help", 2],
]);

const XGROUP_HELP = [
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
];

function xgroup(store: Store, a: string[]): Reply {
  const sub = subcommand("xgroup", a, XGROUP);
  if (sub === "help") return helpReply("xgroup", XGROUP_HELP);
  let mkstream = false;
  let read = -1n;
  for (let i = 4; i < a.length; ) {
    const o = word(a[i]);
    if (sub === "create" && o === "mkstream") {
      mkstream = true;
      i++;
    } else if ((sub === "create" || sub === "setid") && o === "entriesread" && i + 1 < a.length) {
      read = bigIntArg(at(a, i + 1));
      if (read < -1n) throw new RedisError("ERR value for ENTRIESREAD must be positive or -1");
      i += 2;
    } else throw subcommandSyntax("xgroup", a);
  }
  const [key, name] = [at(a, 1), at(a, 2)];
  let s = store.get(key, "stream");
  const g = s?.groups.get(name);
  if (!mkstream) {
    if (!s) {
      throw new RedisError(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
      );
    }
    if (!g && sub !== "create" && sub !== "destroy") {
      throw new RedisError(`NOGROUP No such consumer group '${name}' for key name '${key}'`);
    }
  }
  const argc = a.length + 1;
  if (sub === "create" && argc <= 8) {
    const id = at(a, 3) === "$" ? (s?.last ?? 0n) : strictId(at(a, 3));
    s ??= createStream(store, key);
    if (s.groups.has(name)) throw new RedisError("BUSYGROUP Consumer Group name already exists");
    grow(store, s, streamCost.group(name));
    s.groups.set(name, { last: id, read, pel: new Map(), consumers: new Map(), order: [] });
    return OK;
  }
  if (!s) throw subcommandSyntax("xgroup", a);
  if (sub === "setid" && (argc === 5 || argc === 7) && g) {
    g.last = at(a, 3) === "$" ? s.last : parseId(at(a, 3), 0n, false).id;
    g.read = read;
    store.touch();
    return OK;
  }
  if (sub === "destroy") {
    if (!g) return 0;
    let bytes = streamCost.group(name) + g.pel.size * streamCost.pending;
    for (const c of g.consumers.keys()) bytes += streamCost.consumer(c);
    s.groups.delete(name);
    shrink(store, s, bytes);
    return 1;
  }
  if (sub === "createconsumer" && g) {
    if (g.consumers.has(at(a, 3))) return 0;
    consumerOf(store, s, g, at(a, 3), store.now);
    return 1;
  }
  if (sub === "delconsumer" && g) {
    const consumer = at(a, 3);
    if (!g.consumers.has(consumer)) return 0;
    let pending = 0;
    for (const id of pelOrder(g).slice()) {
      if (pendingEntry(g, id)?.consumer === consumer && dropPending(store, s, g, id)) pending++;
    }
    g.consumers.delete(consumer);
    shrink(store, s, streamCost.consumer(consumer));
    return pending;
  }
  throw subcommandSyntax("xgroup", a);
}

function xack(store: Store, a: string[]): Reply {
  const s = store.get(at(a, 0), "stream");
  const g = s?.groups.get(at(a, 1));
  if (!s || !g) return 0;
  const ids = a.slice(2).map(strictId);
  return ids.filter((id) => dropPending(store, s, g, id)).length;
}

function xpending(store: Store, a: string[]): Reply {
  const argc = a.length + 1;
  if (argc !== 3 && (argc < 6 || argc > 9)) throw err.syntax();
  let minIdle = 0;
  let start = 0n;
  let end = 0n;
  let count = 0;
  let consumer: string | null = null;
  if (argc >= 6) {
    let i = 2;
    if (word(a[2]) === "idle") {
      minIdle = Number(bigIntArg(at(a, 3)));
      if (argc < 8) throw err.syntax();
      i += 2;
    }
    count = Math.max(0, Number(bigIntArg(at(a, i + 2))));
    start = intervalId(at(a, i), false);
    end = intervalId(at(a, i + 1), true);
    if (i + 3 < a.length) consumer = at(a, i + 3);
  }
  const [, g] = streamGroup(store, at(a, 0), at(a, 1));
  const ids = pelOrder(g);
  if (argc === 3) {
    const first = ids[0];
    const last = ids.at(-1);
    if (first === undefined || last === undefined) return [0, null, null, null];
    const owned = new Map<string, number>();
    for (const p of g.pel.values()) owned.set(p.consumer, (owned.get(p.consumer) ?? 0) + 1);
    const consumers = sortedNames(owned).map(([name, n]): Reply => [name, String(n)]);
    return [ids.length, formatId(first), formatId(last), consumers];
  }
  if (consumer !== null && !g.consumers.has(consumer)) return [];
  const out: Reply[] = [];
  for (let i = lowerBound(ids, (id) => id, start); i < ids.length && out.length < count; i++) {
    const id = ids[i] ?? 0n;
    const p = pendingEntry(g, id);
    if (id > end) break;
    if (!p || (consumer !== null && p.consumer !== consumer)) continue;
    const idle = store.now - p.time;
    if (minIdle !== 0 && idle < minIdle) continue;
    store.ensureSlots(5);
    out.push([formatId(id), p.consumer, Math.max(0, idle), p.count]);
  }
  return out;
}

function xclaim(store: Store, a: string[]): Reply {
  const [s, g] = streamGroup(store, at(a, 0), at(a, 1));
  const now = store.now;
  const minIdle = Math.max(0, Number(int64(at(a, 3), "Invalid min-idle-time argument for XCLAIM")));
  const ids: bigint[] = [];
  let j = 4;
  for (; j < a.length; j++) {
    try {
      ids.push(strictId(at(a, j)));
    } catch {
      break;
    }
  }
  let time: number | null = null;
  let retry = -1n;
  let force = false;
  let justid = false;
  let lastId = 0n;
  for (; j < a.length; j++) {
    const opt = at(a, j);
    const o = word(opt);
    const more = j + 1 < a.length;
    if (o === "force") force = true;
    else if (o === "justid") justid = true;
    else if (o === "idle" && more)
      time = now - Number(int64(at(a, ++j), "Invalid IDLE option argument for XCLAIM"));
    else if (o === "time" && more)
      time = Number(int64(at(a, ++j), "Invalid TIME option argument for XCLAIM"));
    else if (o === "retrycount" && more)
      retry = int64(at(a, ++j), "Invalid RETRYCOUNT option argument for XCLAIM");
    else if (o === "lastid" && more) lastId = strictId(at(a, ++j));
    else throw new RedisError(`ERR Unrecognized XCLAIM option '${opt}'`);
  }
  if (lastId > g.last) g.last = lastId;
  // A delivery time in the future or before 1970 is taken as now, as Redis does.
  const delivered = time === null || time < 0 || time > now ? now : time;
  const name = at(a, 2);
  const c = consumerOf(store, s, g, name, now);
  c.seen = now;
  store.touch();
  roomForEntries(
    store,
    ids.flatMap((id) => findEntry(s, id) ?? []),
  );
  const out: Reply[] = [];
  for (const id of ids) {
    const e = findEntry(s, id);
    let p = pendingEntry(g, id);
    if (!e) {
      if (p) dropPending(store, s, g, id);
      continue;
    }
    const fresh = !p && force;
    if (!p) {
      if (!force) continue;
      p = addPending(store, s, g, id, name, now, 1n);
    }
    if (!fresh && minIdle > 0 && now - p.time < minIdle) continue;
    p.consumer = name;
    p.time = delivered;
    if (retry >= 0n) p.count = retry;
    else if (!justid) p.count++;
    out.push(justid ? formatId(id) : entryReply(e));
    c.active = now;
  }
  return out;
}

function xautoclaim(store: Store, a: string[]): Reply {
  const now = store.now;
  const minIdle = Math.max(0, Number(int64(at(a, 3), "Invalid min-idle-time argument for XAUTOCLAIM")));
  const start = intervalId(at(a, 4), false);
  let count = 100;
  let justid = false;
  for (let j = 5; j < a.length; j++) {
    const o = word(a[j]);
    if (o === "count" && j + 1 < a.length) {
      const n = parseInt64(at(a, ++j));
      if (n === null || n < 1n || n > 576460752303423487n) throw new RedisError("ERR COUNT must be > 0");
      count = Number(n);
    } else if (o === "justid") justid = true;
    else throw err.syntax();
  }
  const [s, g] = streamGroup(store, at(a, 0), at(a, 1));
  // Redis allocates room for COUNT deleted IDs (16 bytes each) up front, and says so when it can't.
  if (count * 16 > store.limitBytes) {
    throw new RedisError("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
  }
  const name = at(a, 2);
  const c = consumerOf(store, s, g, name, now);
  c.seen = now;
  store.touch();
  // The PEL in order; acknowledging or dropping below leaves it as it is, so walking it is safe.
  const order = pelOrder(g);
  let i = lowerBound(order, (id) => id, start);
  store.ensureSlots(3 * Math.min(count, order.length - i));
  let attempts = 10 * count;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  while (attempts-- > 0 && count > 0 && i < order.length) {
    const id = order[i++] ?? 0n;
    const p = pendingEntry(g, id);
    if (!p) continue;
    const e = findEntry(s, id);
    if (!e) {
      dropPending(store, s, g, id);
      deleted.push(formatId(id));
      count--;
      continue;
    }
    if (minIdle > 0 && now - p.time < minIdle) continue;
    p.consumer = name;
    p.time = now;
    if (!justid) p.count++;
    roomForEntries(store, justid ? [] : [e]);
    claimed.push(justid ? formatId(id) : entryReply(e));
    count--;
    c.active = now;
  }
  // The cursor: the next entry of the PEL not looked at, or 0-0 at its end.
  return [formatId(order[i] ?? 0n), claimed, deleted];
}

export const streamGroupCommands: Command[] = [
  command(
    "xgroup",
    -2,
    "write",
    "O(1) for CREATE, SETID, CREATECONSUMER and DELCONSUMER; DESTROY is O(N) where N is the number of entries in the group's pending entries list (PEL)",
    xgroup,
    (a) => a.slice(1, 2),
  ),
  command("xack", -4, "write", "O(1) for each message ID processed", xack),
  command(
    "xpending",
    -3,
    "read",
    "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter",
    xpending,
  ),
  command(
    "xclaim",
    -6,
    "write",
    "O(log N) with N being the number of messages in the PEL of the consumer group",
    xclaim,
  ),
  command("xautoclaim", -6, "write", "O(1) if COUNT is small", xautoclaim),
];
