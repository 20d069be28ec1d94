/** Consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO) reply like Redis. */
import { describe, expect, it } from "vitest";
import { failure, lines, values } from "../../../test/redis-attempt.js";
import { buildSnapshot, runAttempt, scriptLimits } from "./interpreter.js";
import { Store, VIRTUAL_NOW } from "./store.js";

const rows = (...commands: string[]) =>
  values(lines(...commands)).map((cell) =>
    typeof cell === "string" && cell.startsWith("[") ? JSON.parse(cell) : cell,
  );
const one = (...commands: string[]) => rows(...commands)[0];
const error = (...commands: string[]) => failure(lines(...commands)).message.replace(/^query line \d+: /, "");

const five = ["XADD s 1-0 a 1", "XADD s 2-0 b 2", "XADD s 3-0 c 3", "XADD s 4-0 d 4", "XADD s 5-0 e 5"];
const group = [...five, "XGROUP CREATE s g 0"];

/** A flat name/value reply (XINFO) as an object. */
const map = (flat: unknown[]) =>
  Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v as string, flat[i + 1]]] : [])));

describe("XGROUP", () => {
  it("given CREATE with $, 0 or an ID, the group starts after that ID", () => {
    expect(rows(...five, "XGROUP CREATE s g $", "XREADGROUP GROUP g c STREAMS s >")).toEqual([null]);
    expect(rows(...five, "XGROUP CREATE s g 3", "XREADGROUP GROUP g c STREAMS s >")[0][1]).toHaveLength(2);
    expect(rows(...group, "XREADGROUP GROUP g c COUNT 1 STREAMS s >")).toEqual([
      ["s", [["1-0", ["a", "1"]]]],
    ]);
  });

  it("given a missing key, CREATE needs MKSTREAM, which makes an empty stream", () => {
    expect(error("XGROUP CREATE s g $")).toBe(
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
    );
    expect(rows("XGROUP CREATE s g $ MKSTREAM", "TYPE s")).toEqual(["stream"]);
    expect(rows("XGROUP CREATE s g $ MKSTREAM", "XLEN s")).toEqual([0]);
  });

  it("given a name in use, an unknown subcommand, the wrong arity or options, replies Redis's errors", () => {
    expect(error(...group, "XGROUP CREATE s g $")).toBe("BUSYGROUP Consumer Group name already exists");
    expect(error(...group, "XGROUP FOO s g")).toBe("ERR unknown subcommand 'FOO'. Try XGROUP HELP.");
    expect(error(...group, "XGROUP CREATE s g2")).toBe(
      "ERR wrong number of arguments for 'xgroup|create' command",
    );
    expect(error(...group, "XGROUP CREATE s g2 0 NOPE")).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.",
    );
    expect(error(...group, "XGROUP CREATE s g2 0 ENTRIESREAD -2")).toBe(
      "ERR value for ENTRIESREAD must be positive or -1",
    );
    expect(error(...group, "XGROUP SETID s nope 0")).toBe(
      "NOGROUP No such consumer group 'nope' for key name 's'",
    );
    expect(error(...group, "XGROUP CREATE s g2 +")).toBe(
      "ERR Invalid stream ID specified as stream command argument",
    );
    expect(one("XGROUP HELP")).toBe("XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  });

  it("given SETID, DESTROY, CREATECONSUMER and DELCONSUMER, replies and counts like Redis", () => {
    expect(rows(...group, "XGROUP SETID s g 4 ENTRIESREAD 4", "XREADGROUP GROUP g c STREAMS s >")).toEqual([
      ["s", [["5-0", ["e", "5"]]]],
    ]);
    expect(rows(...group, "XGROUP DESTROY s g", "XGROUP DESTROY s g")).toEqual([0]);
    expect(rows(...group, "XGROUP DESTROY s g")).toEqual([1]);
    expect(rows(...group, "XGROUP CREATECONSUMER s g alice")).toEqual([1]);
    expect(rows(...group, "XGROUP CREATECONSUMER s g alice", "XGROUP CREATECONSUMER s g alice")).toEqual([0]);
    const read = [...group, "XREADGROUP GROUP g bob COUNT 3 STREAMS s >"];
    expect(rows(...read, "XGROUP DELCONSUMER s g bob")).toEqual([3]);
    expect(rows(...read, "XGROUP DELCONSUMER s g bob", "XPENDING s g")).toEqual([0, null, null, null]);
  });
});

describe("XREADGROUP and XACK", () => {
  it("given >, delivers each entry once across the group's consumers and adds it to the PEL", () => {
    const read = [
      ...group,
      "XREADGROUP GROUP g alice COUNT 2 STREAMS s >",
      "XREADGROUP GROUP g bob STREAMS s >",
    ];
    expect(rows(...read)[0][1].map((e: unknown[]) => e[0])).toEqual(["3-0", "4-0", "5-0"]);
    expect(rows(...read, "XPENDING s g")).toEqual([
      5,
      "1-0",
      "5-0",
      [
        ["alice", "2"],
        ["bob", "3"],
      ],
    ]);
    expect(rows(...read, "XREADGROUP GROUP g carol STREAMS s >")).toEqual([null]);
  });

  it("given an ID instead of >, returns the consumer's own pending history, a deleted entry as nil", () => {
    const read = [...group, "XREADGROUP GROUP g alice COUNT 2 STREAMS s >"];
    expect(rows(...read, "XREADGROUP GROUP g alice STREAMS s 0")).toEqual([
      [
        "s",
        [
          ["1-0", ["a", "1"]],
          ["2-0", ["b", "2"]],
        ],
      ],
    ]);
    expect(rows(...read, "XDEL s 1-0", "XREADGROUP GROUP g alice STREAMS s 0")).toEqual([
      [
        "s",
        [
          ["1-0", null],
          ["2-0", ["b", "2"]],
        ],
      ],
    ]);
    expect(rows(...read, "XREADGROUP GROUP g bob STREAMS s 0")).toEqual([["s", []]]);
    expect(rows(...read, "XREADGROUP GROUP g alice STREAMS s 0", "XPENDING s g - + 1")).toEqual([
      ["1-0", "alice", 0, 2],
    ]);
  });

  it("given XACK, removes entries from the PEL and counts only those it found", () => {
    const read = [...group, "XREADGROUP GROUP g alice STREAMS s >"];
    expect(rows(...read, "XACK s g 1-0 2-0 2-0 9-0")).toEqual([2]);
    expect(rows(...read, "XACK s g 1-0 2-0", "XPENDING s g")).toEqual([3, "3-0", "5-0", [["alice", "3"]]]);
    expect(rows("XACK s g 1-0")).toEqual([0]);
    expect(error(...read, "XACK s g 1-0 bad")).toBe(
      "ERR Invalid stream ID specified as stream command argument",
    );
  });

  it("given NOACK, delivers without a pending entry, so a crash loses the message", () => {
    expect(rows(...group, "XREADGROUP GROUP g alice NOACK STREAMS s >", "XPENDING s g")).toEqual([
      0,
      null,
      null,
      null,
    ]);
  });

  it("given SETID back to 0, entries already pending move to the consumer that reads them again", () => {
    const read = [...group, "XREADGROUP GROUP g alice STREAMS s >", "XGROUP SETID s g 0"];
    expect(rows(...read, "XREADGROUP GROUP g bob COUNT 1 STREAMS s >", "XPENDING s g - + 1")).toEqual([
      ["1-0", "bob", 0, 1],
    ]);
  });

  it("given malformed arguments, replies Redis's errors", () => {
    expect(error(...group, "XREADGROUP GROUP g c STREAMS s $")).toBe(
      "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
    );
    expect(error(...group, "XREADGROUP GROUP nope c STREAMS s >")).toBe(
      "NOGROUP No such key 's' or consumer group 'nope' in XREADGROUP with GROUP option",
    );
    expect(error(...group, "XREADGROUP COUNT 1 NOACK STREAMS s > x")).toBe(
      "ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.",
    );
    expect(error(...group, "XREADGROUP COUNT 1 STREAMS s > x >")).toBe(
      "ERR Missing GROUP option for XREADGROUP",
    );
  });
});

describe("idle times and claiming", () => {
  // worker-2 took three entries twenty minutes ago; worker-1 took one seven minutes ago.
  const stale = [
    ...group,
    "XREADGROUP GROUP g worker-2 COUNT 3 STREAMS s >",
    "XREADGROUP GROUP g worker-1 COUNT 1 STREAMS s >",
    "XCLAIM s g worker-2 0 1-0 2-0 3-0 IDLE 1200000 RETRYCOUNT 1 JUSTID",
    "XCLAIM s g worker-1 0 4-0 IDLE 420000 RETRYCOUNT 2 JUSTID",
  ];

  it("given deliveries made with XCLAIM IDLE, XPENDING reports their idle time on the virtual clock", () => {
    expect(rows(...stale, "XPENDING s g - + 10")).toEqual([
      ["1-0", "worker-2", 1200000, 1],
      ["2-0", "worker-2", 1200000, 1],
      ["3-0", "worker-2", 1200000, 1],
      ["4-0", "worker-1", 420000, 2],
    ]);
    expect(rows(...stale, "XPENDING s g IDLE 600000 - + 10").map((r) => r[0])).toEqual(["1-0", "2-0", "3-0"]);
    expect(rows(...stale, "XPENDING s g (1-0 + 10 worker-2").map((r) => r[0])).toEqual(["2-0", "3-0"]);
    expect(rows(...stale, "XPENDING s g - + 10 nobody")).toEqual([]);
    expect(
      rows(...stale, `XCLAIM s g worker-1 0 4-0 TIME ${VIRTUAL_NOW - 5000}`, "XPENDING s g 4-0 4-0 1"),
    ).toEqual([["4-0", "worker-1", 5000, 3]]);
  });

  it("given XCLAIM, moves only entries idle long enough, resets their idle time and counts a delivery", () => {
    expect(rows(...stale, "XCLAIM s g worker-3 600000 1-0 4-0")).toEqual([["1-0", ["a", "1"]]]);
    expect(rows(...stale, "XCLAIM s g worker-3 600000 1-0 4-0", "XPENDING s g - + 1")).toEqual([
      ["1-0", "worker-3", 0, 2],
    ]);
    expect(rows(...stale, "XCLAIM s g worker-3 0 4-0 JUSTID RETRYCOUNT 7", "XPENDING s g 4-0 4-0 1")).toEqual(
      [["4-0", "worker-3", 0, 7]],
    );
    expect(rows(...stale, "XCLAIM s g worker-3 0 5-0")).toEqual([]);
    expect(rows(...stale, "XCLAIM s g worker-3 0 5-0 FORCE JUSTID", "XPENDING s g 5-0 5-0 1")).toEqual([
      ["5-0", "worker-3", 0, 1],
    ]);
    expect(rows(...stale, "XDEL s 2-0", "XCLAIM s g worker-3 0 2-0 3-0 JUSTID", "XPENDING s g")).toEqual([
      3,
      "1-0",
      "4-0",
      [
        ["worker-1", "1"],
        ["worker-2", "1"],
        ["worker-3", "1"],
      ],
    ]);
  });

  it("given bad XCLAIM options, replies Redis's errors", () => {
    expect(error(...stale, "XCLAIM s g w 0 1-0 FOO")).toBe("ERR Unrecognized XCLAIM option 'FOO'");
    expect(error(...stale, "XCLAIM s g w x 1-0")).toBe("ERR Invalid min-idle-time argument for XCLAIM");
    expect(error(...stale, "XCLAIM s g w 0 1-0 IDLE x")).toBe("ERR Invalid IDLE option argument for XCLAIM");
    expect(error(...stale, "XCLAIM s nope w 0 1-0")).toBe("NOGROUP No such key 's' or consumer group 'nope'");
  });

  it("given XAUTOCLAIM, claims idle entries from any consumer and returns the cursor to go on from", () => {
    expect(rows(...stale, "XAUTOCLAIM s g worker-3 300000 0-0 COUNT 25")).toEqual([
      "0-0",
      [
        ["1-0", ["a", "1"]],
        ["2-0", ["b", "2"]],
        ["3-0", ["c", "3"]],
        ["4-0", ["d", "4"]],
      ],
      [],
    ]);
    expect(rows(...stale, "XAUTOCLAIM s g worker-3 300000 0-0 COUNT 2 JUSTID")).toEqual([
      "3-0",
      ["1-0", "2-0"],
      [],
    ]);
    expect(rows(...stale, "XAUTOCLAIM s g worker-3 600000 - JUSTID")).toEqual([
      "0-0",
      ["1-0", "2-0", "3-0"],
      [],
    ]);
    expect(rows(...stale, "XDEL s 2-0", "XAUTOCLAIM s g worker-3 0 0 JUSTID")).toEqual([
      "0-0",
      ["1-0", "3-0", "4-0"],
      ["2-0"],
    ]);
  });

  it("given XAUTOCLAIM with JUSTID, the delivery count stays; without it, it goes up", () => {
    const claimed = (justid: string) =>
      rows(...stale, `XAUTOCLAIM s g worker-3 300000 0-0 ${justid}`, "XPENDING s g 4-0 4-0 1")[0];
    expect(claimed("JUSTID")).toEqual(["4-0", "worker-3", 0, 2]);
    expect(claimed("")).toEqual(["4-0", "worker-3", 0, 3]);
  });

  it("given bad XAUTOCLAIM arguments, replies Redis's errors", () => {
    expect(error(...stale, "XAUTOCLAIM s g w 0 0 COUNT 0")).toBe("ERR COUNT must be > 0");
    expect(error(...stale, "XAUTOCLAIM s g w x 0")).toBe("ERR Invalid min-idle-time argument for XAUTOCLAIM");
    expect(error(...stale, "XAUTOCLAIM s g w 0 0 FOO")).toBe("ERR syntax error");
    expect(error("XAUTOCLAIM s g w 0 0")).toBe("NOGROUP No such key 's' or consumer group 'g'");
  });
});

describe("XINFO", () => {
  it("given STREAM, reports the documented fields for a small stream", () => {
    const info = map(rows(...group, "XDEL s 3-0", "XINFO STREAM s"));
    expect(info).toEqual({
      length: 4,
      "radix-tree-keys": 1,
      "radix-tree-nodes": 2,
      "last-generated-id": "5-0",
      "max-deleted-entry-id": "3-0",
      "entries-added": 5,
      "recorded-first-entry-id": "1-0",
      groups: 1,
      "first-entry": ["1-0", ["a", "1"]],
      "last-entry": ["5-0", ["e", "5"]],
    });
    expect(map(rows("XGROUP CREATE e g $ MKSTREAM", "XINFO STREAM e"))["first-entry"]).toBeNull();
  });

  it("given GROUPS and CONSUMERS, reports pending counts, entries read and lag, in name order", () => {
    const read = [...group, "XGROUP CREATE s audit $", "XREADGROUP GROUP g bob COUNT 2 STREAMS s >"];
    expect(rows(...read, "XINFO GROUPS s").map(map)).toEqual([
      { name: "audit", consumers: 0, pending: 0, "last-delivered-id": "5-0", "entries-read": null, lag: 0 },
      { name: "g", consumers: 1, pending: 2, "last-delivered-id": "2-0", "entries-read": 2, lag: 3 },
    ]);
    expect(rows(...read, "XGROUP CREATECONSUMER s g alice", "XINFO CONSUMERS s g").map(map)).toEqual([
      { name: "alice", pending: 0, idle: 0, inactive: -1 },
      { name: "bob", pending: 2, idle: 0, inactive: 0 },
    ]);
    expect(error(...read, "XINFO CONSUMERS s nope")).toBe(
      "NOGROUP No such consumer group 'nope' for key name 's'",
    );
    expect(error("XINFO STREAM nothing")).toBe("ERR no such key");
    expect(error(...read, "XINFO STREAM s FOO")).toBe(
      "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.",
    );
  });

  it("given STREAM FULL, lists entries, groups, their PEL and consumers, COUNT at a time", () => {
    const full = map(
      rows(...group, "XREADGROUP GROUP g bob COUNT 2 STREAMS s >", "XINFO STREAM s FULL COUNT 1"),
    );
    expect(full.entries).toEqual([["1-0", ["a", "1"]]]);
    expect(map((full.groups as unknown[][])[0] ?? [])).toEqual({
      name: "g",
      "last-delivered-id": "2-0",
      "entries-read": 2,
      lag: 3,
      "pel-count": 2,
      pending: [["1-0", "bob", VIRTUAL_NOW, 1]],
      consumers: [
        [
          "name",
          "bob",
          "seen-time",
          VIRTUAL_NOW,
          "active-time",
          VIRTUAL_NOW,
          "pel-count",
          2,
          "pending",
          [["1-0", VIRTUAL_NOW, 1]],
        ],
      ],
    });
  });

  // The lag cases of Redis's own test suite (stream-cgroups.tcl).
  const lag = (...commands: string[]) => map(rows(...commands, "XINFO GROUPS x")[0]);
  const x = [
    "XADD x 1-0 data a",
    "XADD x 2-0 data b",
    "XADD x 3-0 data c",
    "XADD x 4-0 data d",
    "XADD x 5-0 data e",
  ];

  it("given the read counter sanity case, entries-read and lag follow each read", () => {
    const g1 = [...x, "XGROUP CREATE x g1 0"];
    expect(lag(...g1)).toMatchObject({ "entries-read": null, lag: 5 });
    expect(lag(...g1, "XREADGROUP GROUP g1 c11 COUNT 1 STREAMS x >")).toMatchObject({
      "entries-read": 1,
      lag: 4,
    });
    const all = [...g1, "XREADGROUP GROUP g1 c12 COUNT 10 STREAMS x >"];
    expect(lag(...all)).toMatchObject({ "entries-read": 5, lag: 0 });
    expect(lag(...all, "XADD x 6-0 data f")).toMatchObject({ "entries-read": 5, lag: 1 });
  });

  it("given XDEL before the group's position, the lag is unknown until the group reads past it", () => {
    const g1 = [...x, "XDEL x 3-0", "XGROUP CREATE x g1 0"];
    expect(lag(...g1)).toMatchObject({ "entries-read": null, lag: null });
    const read = (n: number) => Array(n).fill("XREADGROUP GROUP g1 c11 COUNT 1 STREAMS x >");
    expect(lag(...g1, ...read(3))).toMatchObject({ "entries-read": null, lag: null });
    expect(lag(...g1, ...read(4))).toMatchObject({ "entries-read": 5, lag: 0 });
  });

  it("given a tombstone after the group's position that the stream then leaves behind, the lag comes back", () => {
    const g1 = [
      "XGROUP CREATE x g1 $ MKSTREAM",
      "XADD x 1-0 data a",
      "XREADGROUP GROUP g1 alice STREAMS x >",
    ];
    const gap = [...g1, "XADD x 2-0 data c", "XADD x 3-0 data d", "XDEL x 2-0"];
    expect(lag(...gap)).toMatchObject({ "entries-read": 1, lag: null });
    expect(lag(...gap, "XDEL x 1-0")).toMatchObject({ "entries-read": 1, lag: 1 });
    expect(lag(...gap, "XDEL x 1-0", "XREADGROUP GROUP g1 alice STREAMS x >")).toMatchObject({
      "entries-read": 3,
      lag: 0,
    });
  });

  it("given XTRIM past the group's position, the lag is what is left in the stream", () => {
    const g = ["XGROUP CREATE x g $ MKSTREAM", ...x, "XREADGROUP GROUP g alice COUNT 1 STREAMS x >"];
    expect(lag(...g, "XTRIM x MAXLEN 1")).toMatchObject({ "entries-read": 1, lag: 1 });
    expect(lag(...g, "XTRIM x MAXLEN 1", "XREADGROUP GROUP g alice STREAMS x >")).toMatchObject({
      "entries-read": 5,
      lag: 0,
    });
    expect(lag(...g, "XTRIM x MAXLEN 0")).toMatchObject({ lag: 0 });
  });
});

describe("groups in a dataset", () => {
  it("given a setup that builds a group and stale deliveries, every attempt starts from that state", () => {
    const built = buildSnapshot(
      lines(...group, "XREADGROUP GROUP g w COUNT 2 STREAMS s >", "XCLAIM s g w 0 1-0 2-0 IDLE 60000 JUSTID"),
      64 * 1024 * 1024,
    );
    if (!built.ok) throw new Error(built.message);
    const run = (query: string) => {
      const outcome = runAttempt(
        new Store(built.snapshot, 64 * 1024 * 1024),
        { query, allowWrites: true },
        { ...scriptLimits, maxRows: 100 },
      );
      return outcome.ok ? outcome.result.rows.map((r) => r[0]) : outcome.message;
    };
    expect(run("XACK s g 1-0 2-0")).toEqual([2]);
    expect(run("XPENDING s g - + 10")).toEqual([
      JSON.stringify(["1-0", "w", 60000, 1]),
      JSON.stringify(["2-0", "w", 60000, 1]),
    ]);
  });
});
