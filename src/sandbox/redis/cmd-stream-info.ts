/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS (t_stream.c, xinfoCommand). Maps are
 * replied as RESP2 flat arrays of name, value, name, value. Groups and consumers come in Redis's
 * order (its radix trees': bytewise by name). Times are on the store's virtual clock.
 */
import { helpReply, subcommand, subcommandSyntax } from "./cmd-stream-groups.js";
import { at, type Command, command, word } from "./command.js";
import { bigIntArg } from "./numbers.js";
import { err, RedisError, type Reply } from "./reply.js";
import type { Store } from "./store.js";
import {
  entryReply,
  firstId,
  formatId,
  type Group,
  MAX_ID,
  radixNodes,
  rangeEntries,
  roomForEntries,
  type StreamValue,
} from "./stream.js";
import { groupLag, pelOrder, pendingEntry, sortedNames } from "./stream-group.js";

const XINFO = new Map([
  ["stream", -3],
  ["groups", 3],
  ["consumers", 4],
  ["help", 2],
]);

const XINFO_HELP = [
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
];

/** Each consumer's pending IDs in order, in one pass over the PEL. */
function pendingByConsumer(g: Group): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  for (const id of pelOrder(g)) {
    const owner = pendingEntry(g, id)?.consumer ?? "";
    const ids = out.get(owner);
    if (ids) ids.push(id);
    else out.set(owner, [id]);
  }
  return out;
}

function groups(s: StreamValue): Reply {
  return sortedNames(s.groups).map(
    ([name, g]): Reply => [
      "name",
      name,
      "consumers",
      g.consumers.size,
      "pending",
      g.pel.size,
      "last-delivered-id",
      formatId(g.last),
      "entries-read",
      g.read === -1n ? null : g.read,
      "lag",
      groupLag(s, g),
    ],
  );
}

function consumers(store: Store, g: Group): Reply {
  store.ensureSlots(9 * g.consumers.size);
  const owned = pendingByConsumer(g);
  return sortedNames(g.consumers).map(
    ([name, c]): Reply => [
      "name",
      name,
      "pending",
      owned.get(name)?.length ?? 0,
      "idle",
      Math.max(0, store.now - c.seen),
      "inactive",
      c.active === -1 ? -1 : store.now - c.active,
    ],
  );
}

function streamInfo(store: Store, s: StreamValue, a: string[]): Reply {
  const options = a.slice(2);
  let full = false;
  let count = 10;
  if (options.length > 0) {
    if ((options.length !== 1 && options.length !== 3) || word(options[0]) !== "full") {
      throw subcommandSyntax("xinfo", a);
    }
    full = true;
    if (options.length === 3) {
      if (word(options[1]) !== "count") throw subcommandSyntax("xinfo", a);
      const n = bigIntArg(at(options, 2));
      count = n < 0n ? 10 : Number(n);
    }
  }
  const head: Reply[] = [
    "length",
    s.entries.length,
    "radix-tree-keys",
    s.nodes.length,
    "radix-tree-nodes",
    radixNodes(s),
    "last-generated-id",
    formatId(s.last),
    "max-deleted-entry-id",
    formatId(s.maxDeleted),
    "entries-added",
    s.added,
    "recorded-first-entry-id",
    formatId(firstId(s)),
  ];
  if (!full) {
    const first = s.entries[0];
    const last = s.entries.at(-1);
    return [
      ...head,
      "groups",
      s.groups.size,
      "first-entry",
      first ? entryReply(first) : null,
      "last-entry",
      last ? entryReply(last) : null,
    ];
  }
  const entries = rangeEntries(store, s, 0n, MAX_ID, count);
  roomForEntries(store, entries);
  const limit = <T>(items: T[]): T[] => (count > 0 ? items.slice(0, count) : items);
  const detail = sortedNames(s.groups).map(([name, g]): Reply => {
    const pel = limit(pelOrder(g));
    const owned = pendingByConsumer(g);
    store.ensureSlots(5 * pel.length + 11 * g.consumers.size);
    return [
      "name",
      name,
      "last-delivered-id",
      formatId(g.last),
      "entries-read",
      g.read === -1n ? null : g.read,
      "lag",
      groupLag(s, g),
      "pel-count",
      g.pel.size,
      "pending",
      pel.map((id): Reply => {
        const p = pendingEntry(g, id);
        return [formatId(id), p?.consumer ?? "", p?.time ?? 0, p?.count ?? 0n];
      }),
      "consumers",
      sortedNames(g.consumers).map(([consumer, c]): Reply => {
        const own = owned.get(consumer) ?? [];
        return [
          "name",
          consumer,
          "seen-time",
          c.seen,
          "active-time",
          c.active,
          "pel-count",
          own.length,
          "pending",
          limit(own).map(
            (id): Reply => [formatId(id), pendingEntry(g, id)?.time ?? 0, pendingEntry(g, id)?.count ?? 0n],
          ),
        ];
      }),
    ];
  });
  return [...head, "entries", entries.map(entryReply), "groups", detail];
}

function xinfo(store: Store, a: string[]): Reply {
  const sub = subcommand("xinfo", a, XINFO);
  if (sub === "help") return helpReply("xinfo", XINFO_HELP);
  const key = at(a, 1);
  const s = store.get(key, "stream");
  if (!s) throw err.noSuchKey();
  if (sub === "stream") return streamInfo(store, s, a);
  if (sub === "groups") {
    store.ensureSlots(13 * s.groups.size);
    return groups(s);
  }
  const g = s.groups.get(at(a, 2));
  if (!g) throw new RedisError(`NOGROUP No such consumer group '${at(a, 2)}' for key name '${key}'`);
  return consumers(store, g);
}

export const streamInfoCommands: Command[] = [
  command(
    "xinfo",
    -2,
    "read",
    "O(1) for GROUPS and CONSUMERS; STREAM FULL is O(N) where N is the number of entries returned",
    xinfo,
    (a) => a.slice(1, 2),
  ),
];
