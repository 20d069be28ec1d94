/** Stream entries (XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XREAD) reply like Redis. */
import { describe, expect, it } from "vitest";
import { attempt, failure, lines, value, values } from "../../../test/redis-attempt.js";
import { buildSnapshot, runAttempt, scriptLimits } from "./interpreter.js";
import { Store, VIRTUAL_NOW } from "./store.js";

const MiB = 1024 * 1024;
const limits = { ...scriptLimits, maxRows: 1000 };

/** The last reply's rows, nested arrays parsed back from their JSON cells. */
const rows = (...commands: string[]) =>
  values(lines(...commands)).map((cell) =>
    typeof cell === "string" && cell.startsWith("[") ? JSON.parse(cell) : cell,
  );

/** The Redis error of the failing line, without "query line N: ". */
const error = (...commands: string[]) => failure(lines(...commands)).message.replace(/^query line \d+: /, "");

const writers = [
  "XADD writers 1-0 name Virginia surname Woolf",
  "XADD writers 2-0 name Jane surname Austen",
  "XADD writers 3-0 name Toni surname Morrison",
  "XADD writers 4-0 name Agatha surname Christie",
  "XADD writers 5-0 name Ngozi surname Adichie",
];

describe("XADD", () => {
  it("given *, takes the ID from the virtual clock and counts the sequence up within the instant", () => {
    expect(rows("XADD s * name Sara surname OConnor", "XADD s * field1 value1", "XRANGE s - +")).toEqual([
      [`${VIRTUAL_NOW}-0`, ["name", "Sara", "surname", "OConnor"]],
      [`${VIRTUAL_NOW}-1`, ["field1", "value1"]],
    ]);
  });

  it("given an explicit ID, keeps it, and refuses one not above the top entry or 0-0", () => {
    expect(value("XADD s 1526919030474-55 a 1")).toBe("1526919030474-55");
    expect(error("XADD s 5-0 a 1", "XADD s 5-0 b 2")).toBe(
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    expect(error("XADD s 0-0 a 1")).toBe("ERR The ID specified in XADD must be greater than 0-0");
    expect(value("XADD s 0-1 a 1")).toBe("0-1");
  });

  it("given ms-*, generates the sequence within that millisecond", () => {
    expect(values(lines("XADD s 5-* a 1", "XADD s 5-* a 2", "XADD s 6-* a 3", "XRANGE s - +"))).toHaveLength(
      3,
    );
    expect(rows("XADD s 5-3 a 1", "XADD s 5-* a 2", "XADD s 7-* a 3", "XREVRANGE s + - COUNT 2")).toEqual([
      ["7-0", ["a", "3"]],
      ["5-4", ["a", "2"]],
    ]);
    expect(value("XADD s 0-* a 1")).toBe("0-1");
  });

  it("given a clock behind the last ID, goes on from the last ID rather than back in time", () => {
    expect(value(lines(`XADD s ${VIRTUAL_NOW + 5000}-7 a 1`, "XADD s * a 2"))).toBe(
      `${VIRTUAL_NOW + 5000}-8`,
    );
    expect(error("XADD s 9-18446744073709551615 a 1", "XADD s 9-* a 2")).toContain("equal or smaller");
    expect(value(lines("XADD s 9-18446744073709551615 a 1", "XADD s * a 2"))).toBe(`${VIRTUAL_NOW}-0`);
  });

  it("given NOMKSTREAM on a missing key, replies nil and creates nothing", () => {
    expect(rows("XADD s NOMKSTREAM * a 1", "EXISTS s")).toEqual([0]);
    expect(values("XADD s NOMKSTREAM * a 1")).toEqual([null]);
    expect(value(lines("XADD s 1-0 a 1", "XADD s NOMKSTREAM 2-0 b 2", "XLEN s"))).toBe(2);
  });

  it("given MAXLEN or MINID, trims after adding (exactly unless ~)", () => {
    expect(rows(...writers.slice(0, 3), "XADD writers MAXLEN 2 9-0 name Toni", "XRANGE writers - +")).toEqual(
      [
        ["3-0", ["name", "Toni", "surname", "Morrison"]],
        ["9-0", ["name", "Toni"]],
      ],
    );
    expect(value(lines(...writers, "XADD writers MINID = 4 6-0 a b", "XLEN writers"))).toBe(3);
    expect(value(lines(...writers, "XADD writers MAXLEN ~ 2 6-0 a b", "XLEN writers"))).toBe(6);
  });

  it("given malformed options, replies Redis's errors", () => {
    expect(error("XADD s MAXLEN 1 MINID 1 * a 1")).toBe(
      "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
    );
    expect(error("XADD s LIMIT 10 * a 1")).toBe(
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
    expect(error("XADD s MAXLEN 5 LIMIT 10 * a 1")).toBe(
      "ERR syntax error, LIMIT cannot be used without the special ~ option",
    );
    expect(error("XADD s MAXLEN -1 * a 1")).toBe("ERR The MAXLEN argument must be >= 0.");
    expect(error("XADD s MAXLEN ~ 5 LIMIT -1 * a 1")).toBe("ERR The LIMIT argument must be >= 0.");
    expect(error("XADD s * a")).toBe("ERR wrong number of arguments for 'xadd' command");
    expect(error("XADD s 1-x a 1")).toBe("ERR Invalid stream ID specified as stream command argument");
    expect(error("XADD s 18446744073709551615-18446744073709551615 a 1", "XADD s * a 1")).toBe(
      "ERR The stream has exhausted the last possible ID, unable to add more items",
    );
  });
});

describe("XRANGE and XREVRANGE", () => {
  it("given - and + with COUNT, return the documented first and last writers", () => {
    expect(rows(...writers, "XRANGE writers - + COUNT 2")).toEqual([
      ["1-0", ["name", "Virginia", "surname", "Woolf"]],
      ["2-0", ["name", "Jane", "surname", "Austen"]],
    ]);
    expect(rows(...writers, "XREVRANGE writers + - COUNT 1")).toEqual([
      ["5-0", ["name", "Ngozi", "surname", "Adichie"]],
    ]);
  });

  it("given incomplete and exclusive IDs, reads ms as a whole millisecond and ( as excluding", () => {
    const s = ["XADD s 1-0 a 1", "XADD s 1-1 a 2", "XADD s 2-0 a 3", "XADD s 3-0 a 4"];
    expect(rows(...s, "XRANGE s 1 1").map((e) => e[0])).toEqual(["1-0", "1-1"]);
    expect(rows(...s, "XRANGE s (1-0 (3-0").map((e) => e[0])).toEqual(["1-1", "2-0"]);
    expect(rows(...s, "XREVRANGE s (3-0 - COUNT 1").map((e) => e[0])).toEqual(["2-0"]);
    expect(rows(...s, "XRANGE s 3 1")).toEqual([]);
  });

  it("given COUNT 0, a missing key or a bad bound, replies nil, an empty array or Redis's error", () => {
    expect(values(lines("XADD s 1-0 a 1", "XRANGE s - + COUNT 0"))).toEqual([null]);
    expect(values(lines("XADD s 1-0 a 1", "XRANGE s - + COUNT -1"))).toHaveLength(1);
    expect(values("XRANGE nothing - +")).toEqual([]);
    expect(error("XRANGE s (+ +")).toBe("ERR Invalid stream ID specified as stream command argument");
    expect(error("XRANGE s - (0-0")).toBe("ERR invalid end ID for the interval");
    expect(error("XRANGE s (18446744073709551615-18446744073709551615 +")).toBe(
      "ERR invalid start ID for the interval",
    );
    expect(error("XRANGE s - + COUNT")).toBe("ERR syntax error");
    expect(error("SET k v", "XRANGE k - +")).toContain("WRONGTYPE");
  });
});

describe("XLEN, XDEL and XTRIM", () => {
  it("given the documented XDEL example, deletes one entry and keeps the rest", () => {
    const s = ["XADD s 1538561700640-0 a 1", "XADD s 1538561700640-1 b 2", "XADD s 1538561700641-0 c 3"];
    expect(value(lines(...s, "XDEL s 1538561700640-1"))).toBe(1);
    expect(rows(...s, "XDEL s 1538561700640-1", "XRANGE s - +").map((e) => e[0])).toEqual([
      "1538561700640-0",
      "1538561700641-0",
    ]);
    expect(value(lines(...s, "XDEL s 1538561700640-1 1538561700640-1 9-9"))).toBe(1);
    expect(value("XDEL nothing 1-0")).toBe(0);
  });

  it("given an invalid ID among others, XDEL deletes nothing", () => {
    expect(error("XADD s 1-0 a 1", "XDEL s 1-0 bad")).toBe(
      "ERR Invalid stream ID specified as stream command argument",
    );
  });

  it("given every entry deleted, the stream stays as an empty key that remembers its last ID", () => {
    expect(rows("XADD s 1-0 a 1", "XDEL s 1-0", "EXISTS s")).toEqual([1]);
    expect(rows("XADD s 1-0 a 1", "XDEL s 1-0", "XLEN s")).toEqual([0]);
    expect(rows("XADD s 1-0 a 1", "XDEL s 1-0", "TYPE s")).toEqual(["stream"]);
    expect(error("XADD s 5-0 a 1", "XDEL s 5-0", "XADD s 4-0 a 1")).toContain("equal or smaller");
  });

  it("given the documented XTRIM example, keeps the stream within MAXLEN", () => {
    expect(value(lines("XADD s * field1 A field2 B field3 C field4 D", "XTRIM s MAXLEN 2"))).toBe(0);
    expect(value(lines(...writers, "XTRIM writers MAXLEN 2"))).toBe(3);
    expect(value(lines(...writers, "XTRIM writers MINID 3"))).toBe(2);
    expect(value("XTRIM nothing MAXLEN 0")).toBe(0);
    expect(error("XTRIM s")).toBe("ERR wrong number of arguments for 'xtrim' command");
    expect(error("XTRIM s LIMIT 5")).toBe(
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
    expect(error("XTRIM s LIMIT 0")).toBe("ERR syntax error, XTRIM must be called with a trimming strategy");
  });

  it("given ~, trims whole nodes of 100 entries only, as Redis's own test suite expects", () => {
    const add = Array.from(
      { length: 1000 },
      (_, j) => `XADD s 1-${j} ${j % 10 === 3 ? "yitem" : "xitem"} ${j}`,
    );
    const built = buildSnapshot(lines(...add), 64 * MiB);
    if (!built.ok) throw new Error(built.message);
    const len = (...trims: string[]) => {
      const store = new Store(built.snapshot, 64 * MiB);
      const outcome = runAttempt(store, { query: lines(...trims, "XLEN s"), allowWrites: true }, limits);
      return outcome.ok ? outcome.result.rows[0]?.[0] : outcome.message;
    };
    expect(len("XTRIM s MAXLEN 666")).toBe(666);
    expect(len("XTRIM s MAXLEN 666", "XTRIM s MAXLEN = 555")).toBe(555);
    expect(len("XTRIM s MAXLEN 666", "XTRIM s MAXLEN = 555", "XTRIM s MAXLEN ~ 444")).toBe(500);
    expect(
      len("XTRIM s MAXLEN 666", "XTRIM s MAXLEN = 555", "XTRIM s MAXLEN ~ 444", "XTRIM s MAXLEN ~ 400"),
    ).toBe(400);
    expect(len("XTRIM s MAXLEN ~ 0 LIMIT 150")).toBe(900);
    expect(len("XTRIM s MINID ~ 1-150")).toBe(900);
  });

  it("given ~ on a stream smaller than a node, trims nothing", () => {
    expect(value(lines(...writers, "XTRIM writers MAXLEN ~ 1"))).toBe(0);
  });
});

describe("XSETID", () => {
  it("given a last ID, entries added and a maximal deleted ID, sets them as XINFO STREAM shows", () => {
    const info = rows("XADD s 1-0 a 1", "XSETID s 5-0 ENTRIESADDED 10 MAXDELETEDID 3-0", "XINFO STREAM s");
    expect(info.slice(6, 12)).toEqual([
      "last-generated-id",
      "5-0",
      "max-deleted-entry-id",
      "3-0",
      "entries-added",
      10,
    ]);
    expect(value(lines("XADD s 1-0 a 1", "XSETID s 5-0", "XADD s 5-* b 2"))).toBe("5-1");
  });

  it("given IDs or counters that break the stream's order, replies Redis's errors", () => {
    expect(error("XADD s 5-0 a 1", "XSETID s 4-0")).toBe(
      "ERR The ID specified in XSETID is smaller than the target stream top item",
    );
    expect(error("XADD s 1-0 a 1", "XADD s 2-0 a 1", "XSETID s 5-0 ENTRIESADDED 1")).toBe(
      "ERR The entries_added specified in XSETID is smaller than the target stream length",
    );
    expect(error("XADD s 1-0 a 1", "XSETID s 5-0 MAXDELETEDID 6-0")).toBe(
      "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
    );
    expect(error("XADD s 1-0 a 1", "XDEL s 1-0", "XSETID s 0-5")).toBe(
      "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id",
    );
    expect(error("XADD s 1-0 a 1", "XSETID s 5-0 ENTRIESADDED -1")).toBe(
      "ERR entries_added must be positive",
    );
    expect(error("XSETID nothing 1-0")).toBe("ERR no such key");
  });
});

describe("XREAD without BLOCK", () => {
  const two = ["XADD a 1-0 x 1", "XADD a 2-0 x 2", "XADD b 1-5 y 1"];

  it("given IDs per stream, returns entries after each, stream by stream", () => {
    expect(rows(...two, "XREAD COUNT 1 STREAMS a b 0 0")).toEqual([
      ["a", [["1-0", ["x", "1"]]]],
      ["b", [["1-5", ["y", "1"]]]],
    ]);
    expect(rows(...two, "XREAD STREAMS a b 1-0 1-5")).toEqual([["a", [["2-0", ["x", "2"]]]]]);
    expect(rows(...two, "XREAD STREAMS nothing a 0 1")).toEqual([["a", [["2-0", ["x", "2"]]]]]);
  });

  it("given $ nothing is newer, and + reads the last entry (Redis 7.4)", () => {
    expect(values(lines(...two, "XREAD STREAMS a $"))).toEqual([null]);
    expect(rows(...two, "XREAD STREAMS a +")).toEqual([["a", [["2-0", ["x", "2"]]]]]);
  });

  it("given malformed arguments, replies Redis's errors", () => {
    expect(error("XREAD STREAMS a b 0")).toBe(
      "ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.",
    );
    expect(error("XREAD GROUP g c STREAMS a 0")).toBe(
      "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
    );
    expect(error("XREAD STREAMS a >")).toBe(
      "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
    );
    expect(error("XREAD FOO STREAMS a 0")).toBe("ERR syntax error");
    expect(error("XREAD COUNT x STREAMS a 0")).toBe("ERR value is not an integer or out of range");
    expect(error("SET k v", "XREAD STREAMS k 0")).toContain("WRONGTYPE");
  });

  it("given BLOCK, refuses the whole query before it runs; a group named block is no option", () => {
    expect(failure("XREAD BLOCK 100 STREAMS a $")).toMatchObject({ reason: "blocked" });
    expect(failure("XREADGROUP GROUP g c BLOCK 0 STREAMS a >").message).toContain("blocking commands");
    expect(rows("XGROUP CREATE a block $ MKSTREAM", "XREADGROUP GROUP block block STREAMS a >")).toEqual([
      null,
    ]);
  });

  it("given a read-only task, XREAD and XRANGE run but XADD is refused", () => {
    expect(attempt("XREAD STREAMS s 0\nXRANGE s - +\nXLEN s", { allowWrites: false }).ok).toBe(true);
    expect(failure("XADD s * a 1", { allowWrites: false }).reason).toBe("read-only");
    expect(failure("XREADGROUP GROUP g c STREAMS s >", { allowWrites: false }).reason).toBe("read-only");
  });
});

describe("streams among the other keys", () => {
  it("given TYPE, EXISTS, DEL, RENAME, EXPIRE and SCAN TYPE, treats a stream as a key like any other", () => {
    expect(rows("XADD s 1-0 a 1", "SET k v", "TYPE s")).toEqual(["stream"]);
    expect(rows("XADD s 1-0 a 1", "SET k v", "SCAN 0 TYPE stream")).toEqual(["0", ["s"]]);
    expect(value(lines("XADD s 1-0 a 1", "RENAME s t", "XLEN t"))).toBe(1);
    expect(value(lines("XADD s 1-0 a 1", "EXPIRE s 100", "TTL s"))).toBe(100);
    expect(value(lines("XADD s 1-0 a 1", "DEL s", "EXISTS s"))).toBe(0);
    expect(error("XADD s 1-0 a 1", "LPUSH s x")).toContain("WRONGTYPE");
  });

  it("given COPY, the copy is independent of the source, groups included", () => {
    const setup = ["XADD s 1-0 a 1", "XGROUP CREATE s g 0", "COPY s t", "XADD t 2-0 b 2"];
    expect(value(lines(...setup, "XLEN s"))).toBe(1);
    expect(rows(...setup, "XREADGROUP GROUP g c STREAMS t >", "XPENDING s g")).toEqual([0, null, null, null]);
  });
});
