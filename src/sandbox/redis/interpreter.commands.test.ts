/** The Redis interpreter's string, key and transaction commands reply like Redis. */
import { describe, expect, it } from "vitest";
import { failure, lines, value, values } from "../../../test/redis-attempt.js";
import { VIRTUAL_NOW } from "./store.js";

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
