/** The command table: what runs, what is refused ("blocked") and why. */
import { hashCommands } from "./cmd-hashes.js";
import { keyCommands } from "./cmd-keys.js";
import { listCommands } from "./cmd-lists.js";
import { setCommands } from "./cmd-sets.js";
import { streamGroupCommands } from "./cmd-stream-groups.js";
import { streamInfoCommands } from "./cmd-stream-info.js";
import { readBlocks, streamReadCommands } from "./cmd-stream-read.js";
import { streamCommands } from "./cmd-streams.js";
import { stringCommands } from "./cmd-strings.js";
import { zsetCommands } from "./cmd-zsets.js";
import { zsetCombineCommands } from "./cmd-zsets-combine.js";
import type { Command } from "./command.js";

export const commands: ReadonlyMap<string, Command> = new Map(
  [
    ...stringCommands,
    ...keyCommands,
    ...listCommands,
    ...setCommands,
    ...hashCommands,
    ...zsetCommands,
    ...zsetCombineCommands,
    ...streamCommands,
    ...streamReadCommands,
    ...streamGroupCommands,
    ...streamInfoCommands,
  ].map((c) => [c.name, c]),
);

/** MULTI/EXEC/DISCARD/WATCH/UNWATCH: handled by the interpreter itself. */
export const transactionCommands: ReadonlyMap<string, { arity: number; complexity: string }> = new Map([
  ["multi", { arity: 1, complexity: "O(1)" }],
  ["exec", { arity: 1, complexity: "depends on the queued commands" }],
  ["discard", { arity: 1, complexity: "O(N) where N is the number of queued commands" }],
  ["watch", { arity: -2, complexity: "O(1) for every key" }],
  ["unwatch", { arity: 1, complexity: "O(1)" }],
]);

const groups: [string[], (name: string) => string][] = [
  [
    ["eval", "evalsha", "eval_ro", "evalsha_ro", "script", "function", "fcall", "fcall_ro"],
    (n) => `${n} is not allowed in the sandbox: Lua scripts and functions cannot run here`,
  ],
  [
    ["flushall", "flushdb", "swapdb", "move"],
    (n) => `${n} is not allowed in the sandbox: it acts on whole databases`,
  ],
  [
    ["subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe"],
    (n) => `${n} is not allowed in the sandbox: pub/sub is out of scope here`,
  ],
  [
    ["publish", "spublish", "pubsub"],
    (n) => `${n} is not allowed in the sandbox: pub/sub is out of scope here`,
  ],
  [
    [
      "blpop",
      "brpop",
      "blmove",
      "brpoplpush",
      "blmpop",
      "bzpopmin",
      "bzpopmax",
      "bzmpop",
      "xread",
      "xreadgroup",
    ],
    (n) => `${n} is not allowed in the sandbox: blocking commands would wait for a client that never comes`,
  ],
  [
    [
      "config",
      "debug",
      "shutdown",
      "save",
      "bgsave",
      "bgrewriteaof",
      "lastsave",
      "replicaof",
      "slaveof",
      "module",
      "migrate",
      "monitor",
      "sync",
      "psync",
      "client",
      "acl",
      "auth",
      "hello",
      "reset",
      "quit",
      "wait",
      "waitaof",
      "failover",
      "cluster",
      "readonly",
      "readwrite",
      "asking",
      "latency",
      "memory",
      "slowlog",
      "info",
      "command",
      "role",
      "lolwut",
      "object",
      "dump",
      "restore",
      "restore-asking",
    ],
    (n) => `${n} is not allowed in the sandbox: server, connection and replication commands are off limits`,
  ],
  [
    [
      "geoadd",
      "geodist",
      "geohash",
      "geopos",
      "georadius",
      "georadiusbymember",
      "geosearch",
      "geosearchstore",
      "pfadd",
      "pfcount",
      "pfmerge",
      "setbit",
      "getbit",
      "bitcount",
      "bitop",
      "bitpos",
      "bitfield",
      "bitfield_ro",
      "sort",
      "sort_ro",
      "spop",
      "srandmember",
      "hrandfield",
      "zrandmember",
      "randomkey",
      "lmpop",
      "zmpop",
      "zrangestore",
      "lcs",
    ],
    (n) =>
      `${n} is not supported by the sandbox (geo, HyperLogLog, bitmaps, SORT and random picks are out of scope)`,
  ],
];

const blockedMessages = new Map<string, (name: string) => string>(
  groups.flatMap(([names, message]) => names.map((n) => [n, message] as const)),
);

/**
 * The reason a command is refused, or null if it may run. XREAD and XREADGROUP block only with
 * BLOCK; without it they answer at once and may run.
 */
export function blockedReason(name: string, args: string[]): string | null {
  const lower = name.toLowerCase();
  if ((lower === "xread" || lower === "xreadgroup") && !readBlocks(args)) return null;
  const message = blockedMessages.get(lower);
  return message ? message(name.toUpperCase()) : null;
}
