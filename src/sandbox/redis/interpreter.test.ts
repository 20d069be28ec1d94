import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/sandbox.js";
import { buildSnapshot, runAttempt, scriptLimits } from "./interpreter.js";
import { emptySnapshot, Store, VIRTUAL_NOW } from "./store.js";

const MiB = 1024 * 1024;

function attempt(
  query: string,
  options: { allowWrites?: boolean; check?: string; memoryMb?: number; maxRows?: number } = {},
) {
  const store = new Store(emptySnapshot(), (options.memoryMb ?? 64) * MiB);
  return runAttempt(
    store,
    { query, check: options.check, allowWrites: options.allowWrites ?? true },
    { ...scriptLimits, maxRows: options.maxRows ?? 1000 },
  );
}

/** The last reply's cells, one per row. */
function values(query: string): Cell[] {
  const outcome = attempt(query);
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome.result.rows.map((row) => row[0] ?? null);
}

function value(query: string): Cell {
  const rows = values(query);
  expect(rows).toHaveLength(1);
  return rows[0] ?? null;
}

function failure(query: string, options: { allowWrites?: boolean; memoryMb?: number } = {}) {
  const outcome = attempt(query, options);
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.result.rows)}`);
  return { reason: outcome.reason, message: outcome.message };
}

const lines = (...commands: string[]) => commands.join("\n");

describe("splitting lines like redis-cli", () => {
  it('given double quotes with escapes, reads \\n \\t \\xHH \\" and \\\\', () => {
    expect(value(lines('SET k "a\\tb\\x41\\"q\\\\"', "GET k"))).toBe('a\tbA"q\\');
  });

  it("given single quotes, only \\' is an escape", () => {
    expect(value(lines("SET k 'it\\'s \\n'", "GET k"))).toBe("it's \\n");
  });

  it("given a quote inside a bare word, the quoted part joins the word", () => {
    expect(value(lines('SET k ab"c d"', "GET k"))).toBe("abc d");
  });

  it("given unbalanced quotes, fails as syntax with redis-cli's message and the line", () => {
    expect(failure(lines("GET a", 'SET k "open'))).toEqual({
      reason: "syntax",
      message: "query line 2: Invalid argument(s)",
    });
    expect(failure('SET k "a"b').reason).toBe("syntax");
  });

  it("given blank lines, skips them but counts them in line numbers", () => {
    expect(failure("\n\n  \nNOPE").message).toBe(
      "query line 4: ERR unknown command 'NOPE', with args beginning with:",
    );
  });

  it("given UTF-8 text, lengths are in bytes and text comes back intact", () => {
    expect(value(lines('SET k "héllo"', "STRLEN k"))).toBe(6);
    expect(value(lines('SET k "héllo"', "GET k"))).toBe("héllo");
    expect(value(lines('SET k "\\xc3\\xa9"', "GET k"))).toBe("é");
  });

  it("given an empty query, fails as syntax", () => {
    expect(failure("  \n ").reason).toBe("syntax");
  });
});

describe("errors exactly like Redis", () => {
  it.each([
    ["GET", "ERR wrong number of arguments for 'get' command"],
    ["FOO a b", "ERR unknown command 'FOO', with args beginning with: 'a' 'b'"],
    ["RPUSH l a\nGET l", "WRONGTYPE Operation against a key holding the wrong kind of value"],
    ["SET n abc\nINCR n", "ERR value is not an integer or out of range"],
    ["SET n 9223372036854775807\nINCR n", "ERR increment or decrement would overflow"],
    ["DECRBY n -9223372036854775808", "ERR decrement would overflow"],
    ["SET f x\nINCRBYFLOAT f 1", "ERR value is not a valid float"],
    ["SET k v EX 0", "ERR invalid expire time in 'set' command"],
    ["SET k v EX 10 PX 100", "ERR syntax error"],
    ["SETEX k -1 v", "ERR invalid expire time in 'setex' command"],
    ["MSET a 1 b", "ERR wrong number of arguments for 'mset' command"],
    ["RENAME nothing x", "ERR no such key"],
    ["SET k v\nEXPIRE k 10 FOO", "ERR Unsupported option FOO"],
    ["SET k v\nEXPIRE k 10 NX XX", "ERR NX and XX, GT or LT options at the same time are not compatible"],
    ["SCAN abc", "ERR invalid cursor"],
    ["SETRANGE k -1 x", "ERR offset is out of range"],
    ["SELECT 3", "ERR DB index is out of range"],
  ])("given %j, replies %j", (query, message) => {
    const { reason, message: actual } = failure(query);
    expect(reason).toBe("runtime");
    expect(actual).toMatch(/^query line \d+: /);
    expect(actual.replace(/^query line \d+: /, "")).toBe(message);
  });

  it("given a string past the sandbox's value cap, replies Redis's proto-max-bulk-len error as too-large", () => {
    expect(failure("SETRANGE k 536870912 x")).toEqual({
      reason: "too-large",
      message:
        "query line 1: ERR string exceeds maximum allowed size (proto-max-bulk-len); the sandbox allows 1 MiB in one value",
    });
  });

  it("given an error, stops there: later lines do not run", () => {
    const outcome = attempt(lines("SET a 1", "INCR a b", "SET a 2"), { check: "GET a" });
    expect(outcome.ok).toBe(false);
  });
});

describe("strings", () => {
  it("given SET with NX, XX and GET, replies like Redis", () => {
    expect(values(lines("SET k v1", "SET k v2 NX", "GET k"))).toEqual(["v1"]);
    expect(values(lines("SET k v1 XX"))).toEqual([null]);
    expect(values(lines("SET k v1", "SET k v2 GET"))).toEqual(["v1"]);
    expect(values(lines("SET k v1", "SET k v2 NX GET"))).toEqual(["v1"]);
    expect(values(lines("SET k v2 GET"))).toEqual([null]);
    expect(values(lines("SET k v1", "SET k v2"))).toEqual(["OK"]);
    expect(failure(lines("LPUSH k a", "SET k v GET")).message).toContain("WRONGTYPE");
  });

  it("given EX, PX, KEEPTTL and EXAT, TTLs read from the virtual clock", () => {
    expect(value(lines("SET k v EX 100", "TTL k"))).toBe(100);
    expect(value(lines("SET k v PX 1500", "PTTL k"))).toBe(1500);
    expect(value(lines("SET k v PX 1500", "TTL k"))).toBe(2);
    expect(value(lines("SET k v EX 100", "SET k w KEEPTTL", "TTL k"))).toBe(100);
    expect(value(lines("SET k v EX 100", "SET k w", "TTL k"))).toBe(-1);
    expect(value(lines(`SET k v EXAT ${VIRTUAL_NOW / 1000 + 60}`, "TTL k"))).toBe(60);
    expect(value(lines("SET k v EXAT 1", "EXISTS k"))).toBe(0);
    expect(values("TIME")).toEqual([String(VIRTUAL_NOW / 1000), "0"]);
  });

  it("given MSET and MGET, a key of another type reads as nil", () => {
    expect(values(lines("MSET a 1 b 2", "RPUSH l x", "MGET a l b missing"))).toEqual(["1", null, "2", null]);
    expect(values(lines("MSETNX a 1 b 2", "MSETNX b 3 c 4", "MGET a b c"))).toEqual(["1", "2", null]);
  });

  it("given counters, INCR/DECR keep the TTL and big results stay exact", () => {
    expect(value(lines("SET n 10", "INCR n", "INCRBY n 5", "DECR n", "DECRBY n 3"))).toBe(12);
    expect(value(lines("SET n 1 EX 50", "INCR n", "TTL n"))).toBe(50);
    expect(value(lines("INCRBY n 9007199254740993"))).toBe("9007199254740993");
    expect(failure("SET n 01\nINCR n").message).toContain("not an integer");
  });

  it("given INCRBYFLOAT, prints like Redis's long double (the documented examples)", () => {
    expect(values(lines("SET k 10.50", "INCRBYFLOAT k 0.1"))).toEqual(["10.6"]);
    expect(values(lines("SET k 10.50", "INCRBYFLOAT k 0.1", "INCRBYFLOAT k -5"))).toEqual(["5.6"]);
    expect(values(lines("SET k 5.0e3", "INCRBYFLOAT k 2.0e2"))).toEqual(["5200"]);
    expect(values(lines("INCRBYFLOAT k 0.1", "INCRBYFLOAT k 0.2"))).toEqual(["0.3"]);
    expect(failure("INCRBYFLOAT k inf").message).toContain("ERR increment would produce NaN or Infinity");
  });

  it("given APPEND, STRLEN, GETRANGE and SETRANGE, works in bytes (the documented examples)", () => {
    expect(values(lines("APPEND k Hello", "APPEND k ' World'"))).toEqual([11]);
    const s = 'SET s "This is a string"';
    expect(value(lines(s, "GETRANGE s 0 3"))).toBe("This");
    expect(value(lines(s, "GETRANGE s -3 -1"))).toBe("ing");
    expect(value(lines(s, "GETRANGE s 10 100"))).toBe("string");
    expect(values(lines('SET k "Hello World"', "SETRANGE k 6 Redis", "GET k")).at(-1)).toBe("Hello Redis");
    expect(value(lines("SETRANGE k 6 Redis", "GET k"))).toBe("\0\0\0\0\0\0Redis");
    expect(value(lines("SETRANGE k 3 ''", "EXISTS k"))).toBe(0);
  });

  it("given GETDEL, GETEX, GETSET, SETNX and SETEX, replies and TTLs follow Redis", () => {
    expect(values(lines("SET k v", "GETDEL k", "EXISTS k"))).toEqual([0]);
    expect(value(lines("SET k v", "GETDEL k"))).toBe("v");
    expect(value(lines("SET k v EX 9", "GETEX k PERSIST", "TTL k"))).toBe(-1);
    expect(value(lines("SET k v", "GETEX k EX 30", "TTL k"))).toBe(30);
    expect(value(lines("SET k v EX 9", "GETSET k w", "TTL k"))).toBe(-1);
    expect(value(lines("SETNX k a", "SETNX k b"))).toBe(0);
    expect(value(lines("SETEX k 10 v", "PTTL k"))).toBe(10_000);
  });
});

describe("keys", () => {
  it("given DEL, EXISTS and TYPE, counts and names types like Redis", () => {
    expect(value(lines("MSET a 1 b 2", "DEL a b c"))).toBe(2);
    expect(value(lines("SET a 1", "EXISTS a a missing"))).toBe(2);
    const setup = lines("SET s v", "RPUSH l a", "SADD st a", "HSET h f v", "ZADD z 1 a");
    for (const [key, type] of [
      ["s", "string"],
      ["l", "list"],
      ["st", "set"],
      ["h", "hash"],
      ["z", "zset"],
      ["x", "none"],
    ]) {
      expect(value(lines(setup, `TYPE ${key}`))).toBe(type);
    }
  });

  it("given EXPIRE with NX/XX/GT/LT, applies Redis 7's rules", () => {
    expect(value(lines("SET k v", "EXPIRE k 100 NX"))).toBe(1);
    expect(value(lines("SET k v EX 5", "EXPIRE k 100 NX"))).toBe(0);
    expect(value(lines("SET k v", "EXPIRE k 100 XX"))).toBe(0);
    expect(value(lines("SET k v", "EXPIRE k 100 GT"))).toBe(0);
    expect(value(lines("SET k v", "EXPIRE k 100 LT"))).toBe(1);
    expect(value(lines("SET k v EX 50", "EXPIRE k 100 GT", "TTL k"))).toBe(100);
    expect(value(lines("EXPIRE missing 10"))).toBe(0);
  });

  it("given an expiry at or before the clock, the key is gone at once", () => {
    expect(values(lines("SET k v", "EXPIRE k -1", "EXISTS k"))).toEqual([0]);
    expect(value(lines("SET k v", `PEXPIREAT k ${VIRTUAL_NOW}`, "GET k"))).toBe(null);
  });

  it("given TTL, PTTL, EXPIRETIME and PERSIST, reports -2 / -1 / the remaining time", () => {
    expect(value("TTL missing")).toBe(-2);
    expect(value(lines("SET k v", "TTL k"))).toBe(-1);
    expect(value(lines("SET k v EX 100", "EXPIRETIME k"))).toBe(VIRTUAL_NOW / 1000 + 100);
    expect(values(lines("SET k v EX 100", "PERSIST k", "PERSIST k"))).toEqual([0]);
    expect(value(lines("SET k v EX 100", "PERSIST k", "TTL k"))).toBe(-1);
  });

  it("given KEYS with glob patterns, matches like Redis (the documented examples)", () => {
    const setup = "MSET hello 1 hallo 2 hxllo 3 hllo 4 heeeello 5";
    const keys = (pattern: string) => values(lines(setup, `KEYS ${pattern}`)).sort();
    expect(keys("h?llo")).toEqual(["hallo", "hello", "hxllo"]);
    expect(keys("h*llo")).toEqual(["hallo", "heeeello", "hello", "hllo", "hxllo"]);
    expect(keys("h[ae]llo")).toEqual(["hallo", "hello"]);
    expect(keys("h[^e]llo")).toEqual(["hallo", "hxllo"]);
    expect(keys("h[a-b]llo")).toEqual(["hallo"]);
    expect(keys("h\\?llo")).toEqual([]);
  });

  it("given SCAN with COUNT and MATCH, pages through every key once", () => {
    const setup = `MSET ${Array.from({ length: 25 }, (_, i) => `k${i} ${i}`).join(" ")}`;
    const first = values(lines(setup, "SCAN 0 COUNT 10"));
    expect(first[0]).toBe("10");
    expect(JSON.parse(String(first[1]))).toHaveLength(10);
    expect(values(lines(setup, "SCAN 20 COUNT 10"))[0]).toBe("0");
    const matched = values(lines(setup, "SCAN 0 MATCH k1* COUNT 100"));
    expect(JSON.parse(String(matched[1]))).toEqual([
      "k1",
      "k10",
      "k11",
      "k12",
      "k13",
      "k14",
      "k15",
      "k16",
      "k17",
      "k18",
      "k19",
    ]);
    expect(JSON.parse(String(values(lines(setup, "RPUSH l a", "SCAN 0 TYPE list COUNT 100"))[1]))).toEqual([
      "l",
    ]);
  });

  it("given RENAME, the value and its TTL move; RENAMENX refuses an existing target", () => {
    expect(value(lines("SET a v EX 40", "RENAME a b", "TTL b"))).toBe(40);
    expect(value(lines("SET a v", "RENAME a b", "EXISTS a"))).toBe(0);
    expect(value(lines("MSET a 1 b 2", "RENAMENX a b"))).toBe(0);
    expect(value(lines("MSET a 1 c 2", "DBSIZE"))).toBe(2);
  });
});

describe("transactions", () => {
  it("given MULTI … EXEC, queues then returns every reply as rows", () => {
    expect(values(lines("MULTI", "SET a 1", "INCR a", "LRANGE none 0 -1", "EXEC"))).toEqual(["OK", 2, "[]"]);
    expect(values(lines("MULTI", "SET a 1"))).toEqual(["QUEUED"]);
  });

  it("given WATCH and UNWATCH, answers OK (one client: a watched key never changes under it)", () => {
    expect(values(lines("WATCH a", "MULTI", "SET a 1", "UNWATCH", "EXEC"))).toEqual(["OK", "OK"]);
  });

  it("given DISCARD, the queued commands never run", () => {
    expect(value(lines("MULTI", "SET a 1", "DISCARD", "GET a"))).toBe(null);
  });

  it("given misuse, replies Redis's transaction errors", () => {
    expect(failure("EXEC").message).toBe("query line 1: ERR EXEC without MULTI");
    expect(failure("DISCARD").message).toBe("query line 1: ERR DISCARD without MULTI");
    expect(failure("MULTI\nMULTI").message).toBe("query line 2: ERR MULTI calls can not be nested");
    expect(failure("MULTI\nWATCH a").message).toBe("query line 2: ERR WATCH inside MULTI is not allowed");
    expect(failure("MULTI\nNOPE\nEXEC").message).toContain("query line 2: ERR unknown command 'NOPE'");
    expect(failure("MULTI\nGET\nEXEC").message).toBe(
      "query line 2: ERR wrong number of arguments for 'get' command",
    );
  });

  it("given a command failing inside EXEC, reports that command's line", () => {
    expect(failure(lines("MULTI", "SET a x", "INCR a", "EXEC")).message).toBe(
      "query line 3: ERR value is not an integer or out of range",
    );
  });
});

describe("what may run", () => {
  it.each([
    ['EVAL "while true do end" 0', "Lua"],
    ["FLUSHALL", "whole databases"],
    ["subscribe news", "pub/sub is out of scope"],
    ["PUBLISH news hi", "pub/sub is out of scope"],
    ["CONFIG SET dir /tmp", "server"],
    ["BLPOP q 0", "blocking"],
    ["MULTI\nFLUSHDB\nEXEC", "whole databases"],
    ["XADD s * a 1", "not supported"],
  ])("given %j, refuses it as blocked before anything runs", (query, words) => {
    const outcome = failure(query);
    expect(outcome.reason).toBe("blocked");
    expect(outcome.message).toContain(words);
  });

  it("given a write in a read-only task, refuses the whole query as read-only", () => {
    expect(failure(lines("GET a", "MULTI", "DEL a", "EXEC"), { allowWrites: false })).toEqual({
      reason: "read-only",
      message: "query line 3: DEL writes, and this task is read-only",
    });
    expect(attempt("GET a\nZRANGE z 0 -1", { allowWrites: false }).ok).toBe(true);
  });
});

describe("size caps", () => {
  it("given more than 500 commands, refuses the query as too large before running it", () => {
    expect(failure(Array(501).fill("PING").join("\n"))).toEqual({
      reason: "too-large",
      message: "query: more than 500 commands (one per line)",
    });
  });

  it("given a command with more than 10,000 arguments or a 1 MiB argument, refuses it as too large", () => {
    expect(failure(`RPUSH l ${"x ".repeat(10_000)}`).reason).toBe("too-large");
    expect(failure(`SET k ${"x".repeat(1024 * 1024 + 1)}`).message).toContain("longer than 1048576 bytes");
  });
});

describe("results", () => {
  it("given scalar, nil, integer and array replies, makes rows in one 'value' column", () => {
    const outcome = attempt("RPUSH l a b c\nLRANGE l 0 -1");
    expect(outcome).toMatchObject({ ok: true, result: { columns: ["value"], rows: [["a"], ["b"], ["c"]] } });
    expect(values("GET missing")).toEqual([null]);
    expect(values("LRANGE missing 0 -1")).toEqual([]);
  });

  it("given more rows than maxRows, cuts them and says so", () => {
    const outcome = attempt("RPUSH l a b c d\nLRANGE l 0 -1", { maxRows: 2 });
    expect(outcome).toMatchObject({ ok: true, truncated: true, result: { rows: [["a"], ["b"]] } });
  });

  it("given a check, returns the check's reply on the state the query left", () => {
    const outcome = attempt("SET a 1\nINCR a", { check: "GET a" });
    expect(outcome).toMatchObject({ ok: true, result: { rows: [["2"]] } });
  });

  it("given a failing check, names the check's line", () => {
    expect(attempt("SET a 1", { check: "GET a\nLPOP a" })).toMatchObject({
      ok: false,
      reason: "runtime",
      message: "check line 2: WRONGTYPE Operation against a key holding the wrong kind of value",
    });
  });
});

describe("memory", () => {
  it("given SETRANGE under the value cap but past the budget, refuses before allocating", () => {
    expect(failure("SETRANGE k 1000000 x", { memoryMb: 0.5 }).reason).toBe("memory");
  });

  it("given a list growing past the budget, stops with reason memory", () => {
    const push = `RPUSH l ${"abcdefghij ".repeat(1000)}`;
    expect(failure(Array(200).fill(push).join("\n"), { memoryMb: 1 }).reason).toBe("memory");
  });

  it("given copies of a big value, counts each copy", () => {
    const query = lines("SETRANGE k 400000 x", ...Array.from({ length: 10 }, (_, i) => `COPY k c${i}`));
    expect(failure(query, { memoryMb: 2 }).reason).toBe("memory");
  });
});

describe("datasets", () => {
  it("given a setup script, builds a snapshot that attempts change only in their own copy", () => {
    const built = buildSnapshot(
      lines("SET s abc", "RPUSH q a b c", "SADD st x y", "HSET h f 1", "ZADD z 1 a 2 b", "SET n 1 EX 30"),
      8 * MiB,
    );
    if (!built.ok) throw new Error(built.message);
    const limits = { ...scriptLimits, maxRows: 100 };
    const writes = lines(
      "APPEND s def",
      "LPOP q",
      "LSET q 0 changed",
      "SREM st x",
      "HINCRBY h f 5",
      "ZINCRBY z 10 a",
      "PERSIST n",
      "RENAME s s2",
      "SETRANGE s2 0 X",
    );
    expect(
      runAttempt(new Store(built.snapshot, 8 * MiB), { query: writes, allowWrites: true }, limits).ok,
    ).toBe(true);
    const read = (query: string) => {
      const outcome = runAttempt(new Store(built.snapshot, 8 * MiB), { query, allowWrites: false }, limits);
      return outcome.ok ? outcome.result.rows.map((row) => row[0]) : outcome.message;
    };
    expect(read("GET s")).toEqual(["abc"]);
    expect(read("LRANGE q 0 -1")).toEqual(["a", "b", "c"]);
    expect(read("SMEMBERS st")).toEqual(["x", "y"]);
    expect(read("HGET h f")).toEqual(["1"]);
    expect(read("ZRANGE z 0 -1 WITHSCORES")).toEqual(["a", "1", "b", "2"]);
    expect(read("TTL n")).toEqual([30]);
    expect(read("EXISTS s2")).toEqual([0]);
  });

  it("given a setup that fails, says which line", () => {
    expect(buildSnapshot("SET a 1\nINCR a b", MiB)).toMatchObject({
      ok: false,
      message: expect.stringContaining("setup line 2"),
    });
  });
});
