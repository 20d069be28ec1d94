import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/sandbox.js";
import { runAttempt, scriptLimits } from "./interpreter.js";
import { emptySnapshot, Store } from "./store.js";

function run(...commands: string[]) {
  const store = new Store(emptySnapshot(), 64 * 1024 * 1024);
  return runAttempt(
    store,
    { query: commands.join("\n"), allowWrites: true },
    { ...scriptLimits, maxRows: 1000 },
  );
}

/** The last reply's cells. */
function values(...commands: string[]): Cell[] {
  const outcome = run(...commands);
  if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
  return outcome.result.rows.map((row) => row[0] ?? null);
}

const value = (...commands: string[]): Cell => {
  const rows = values(...commands);
  expect(rows).toHaveLength(1);
  return rows[0] ?? null;
};

/** The Redis message of the failing line, without "query line N: ". */
function error(...commands: string[]): string {
  const outcome = run(...commands);
  if (outcome.ok) throw new Error("expected an error");
  return outcome.message.replace(/^query line \d+: /, "");
}

describe("lists", () => {
  it("given LPUSH and RPUSH, orders elements like Redis and returns the length", () => {
    expect(values("LPUSH l a b c", "LRANGE l 0 -1")).toEqual(["c", "b", "a"]);
    expect(value("RPUSH l a b", "RPUSH l c")).toBe(3);
    expect(values("RPUSH l a b c d", "LRANGE l -2 100")).toEqual(["c", "d"]);
    expect(values("RPUSH l a", "LRANGE l 5 10")).toEqual([]);
    expect(value("LPUSHX none a")).toBe(0);
  });

  it("given LPOP and RPOP with and without a count, replies bulk, array, nil or empty", () => {
    expect(value("RPUSH l a b c", "LPOP l")).toBe("a");
    expect(values("RPUSH l a b c", "RPOP l 2")).toEqual(["c", "b"]);
    expect(values("RPUSH l a b", "LPOP l 10")).toEqual(["a", "b"]);
    expect(values("LPOP none")).toEqual([null]);
    expect(values("LPOP none 2")).toEqual([null]);
    expect(values("RPUSH l a", "LPOP l 0")).toEqual([]);
    expect(error("RPUSH l a", "LPOP l -1")).toBe("ERR value is out of range, must be positive");
    expect(error("LPOP l 1 2")).toBe("ERR wrong number of arguments for 'lpop' command");
  });

  it("given the last element popped, the key is gone", () => {
    expect(value("RPUSH l a", "LPOP l", "EXISTS l")).toBe(0);
  });

  it("given LINDEX, LSET, LLEN, replies and errors follow Redis", () => {
    expect(value("RPUSH l a b c", "LINDEX l -1")).toBe("c");
    expect(values("RPUSH l a", "LINDEX l 3")).toEqual([null]);
    expect(values("RPUSH l a b", "LSET l 1 x", "LRANGE l 0 -1")).toEqual(["a", "x"]);
    expect(error("RPUSH l a", "LSET l 5 x")).toBe("ERR index out of range");
    expect(error("LSET none 0 x")).toBe("ERR no such key");
    expect(value("RPUSH l a b", "LLEN l")).toBe(2);
  });

  it("given LREM, LTRIM, LMOVE and LPOS, gives the documented examples' answers", () => {
    expect(values("RPUSH l hello hello foo hello", "LREM l -2 hello", "LRANGE l 0 -1")).toEqual([
      "hello",
      "foo",
    ]);
    expect(value("RPUSH l hello hello foo hello", "LREM l 0 hello")).toBe(3);
    expect(values("RPUSH l one two three", "LTRIM l 1 -1", "LRANGE l 0 -1")).toEqual(["two", "three"]);
    const moved = ["RPUSH l one two three", "LMOVE l o RIGHT LEFT", "LMOVE l o LEFT RIGHT"];
    expect(values(...moved, "LRANGE l 0 -1")).toEqual(["two"]);
    expect(values(...moved, "LRANGE o 0 -1")).toEqual(["three", "one"]);
    expect(error("RPUSH l a", "LMOVE l o UP LEFT")).toBe("ERR syntax error");
    expect(value("RPUSH l a b c d 1 2 3 4 3 3 3", "LPOS l 3")).toBe(6);
    expect(values("RPUSH l a b c d 1 2 3 4 3 3 3", "LPOS l 3 COUNT 0 RANK 2")).toEqual([8, 9, 10]);
    expect(values("RPUSH l a b c", "LINSERT l BEFORE b x", "LRANGE l 0 -1")).toEqual(["a", "x", "b", "c"]);
  });
});

describe("sets", () => {
  it("given SADD, SREM, SCARD and SISMEMBER, counts only real changes", () => {
    expect(value("SADD s a b a")).toBe(2);
    expect(value("SADD s a b", "SREM s a x")).toBe(1);
    expect(value("SADD s a b", "SCARD s")).toBe(2);
    expect(value("SADD s a", "SISMEMBER s a")).toBe(1);
    expect(values("SADD s a", "SMISMEMBER s a x")).toEqual([1, 0]);
  });

  it("given SMEMBERS, lists integers sorted (intset) and other members in insertion order", () => {
    expect(values("SADD s 10 2 33 -4", "SMEMBERS s")).toEqual(["-4", "2", "10", "33"]);
    expect(values("SADD s pear apple fig", "SMEMBERS s")).toEqual(["pear", "apple", "fig"]);
    expect(values("SADD s 3 1", "SADD s b a", "SMEMBERS s")).toEqual(["1", "3", "b", "a"]);
  });

  it("given SINTER, SUNION, SDIFF and SINTERCARD, gives the documented examples' answers", () => {
    const setup = ["SADD key1 a b c d", "SADD key2 c", "SADD key3 a c e"];
    expect(values(...setup, "SDIFF key1 key2 key3")).toEqual(["b", "d"]);
    expect(values(...setup, "SINTER key1 key2 key3")).toEqual(["c"]);
    expect(values(...setup, "SUNION key1 key2 key3")).toEqual(["a", "b", "c", "d", "e"]);
    expect(values(...setup, "SINTER key1 missing")).toEqual([]);
    expect(value(...setup, "SINTERCARD 2 key1 key3")).toBe(2);
    expect(value(...setup, "SINTERCARD 2 key1 key3 LIMIT 1")).toBe(1);
    expect(value(...setup, "SUNIONSTORE out key1 key3", "SCARD out")).toBe(5);
    expect(error("SINTERCARD 0 a")).toBe("ERR numkeys should be greater than 0");
    expect(error("SINTERCARD 3 a b")).toBe("ERR Number of keys can't be greater than number of args");
    expect(error("SET str x", "SUNION key1 str")).toContain("WRONGTYPE");
  });

  it("given SMOVE, moves one member between sets", () => {
    expect(values("SADD a x y", "SMOVE a b x", "SMEMBERS b")).toEqual(["x"]);
    expect(value("SADD a x", "SMOVE a b nope")).toBe(0);
  });
});

describe("hashes", () => {
  it("given HSET, HGET, HMGET and HGETALL, keeps fields in insertion order", () => {
    expect(value("HSET h name ada city paris", "HSET h city rome age 36")).toBe(1);
    expect(values("HSET h name ada city paris", "HGETALL h")).toEqual(["name", "ada", "city", "paris"]);
    expect(values("HSET h a 1", "HMGET h a b")).toEqual(["1", null]);
    expect(values("HMGET none a b")).toEqual([null, null]);
    expect(value("HSET h a 1", "HGET h a")).toBe("1");
    expect(error("HSET h a")).toBe("ERR wrong number of arguments for 'hset' command");
  });

  it("given HDEL, HEXISTS, HLEN, HKEYS and HVALS, reports the hash", () => {
    expect(value("HSET h a 1 b 2", "HDEL h a x")).toBe(1);
    expect(value("HSET h a 1", "HEXISTS h a")).toBe(1);
    expect(value("HSET h a 1 b 2", "HLEN h")).toBe(2);
    expect(values("HSET h a 1 b 2", "HKEYS h")).toEqual(["a", "b"]);
    expect(values("HSET h a 1 b 2", "HVALS h")).toEqual(["1", "2"]);
    expect(value("HSET h a 1", "HDEL h a", "EXISTS h")).toBe(0);
  });

  it("given HINCRBY and HINCRBYFLOAT, counts like Redis (the documented examples)", () => {
    expect(value("HSET h f 5", "HINCRBY h f 1", "HINCRBY h f -10")).toBe(-4);
    expect(error("HSET h f x", "HINCRBY h f 1")).toBe("ERR hash value is not an integer");
    expect(value("HSET h f 10.50", "HINCRBYFLOAT h f 0.1")).toBe("10.6");
    expect(value("HSET h f 5.0e3", "HINCRBYFLOAT h f 2.0e2")).toBe("5200");
    expect(error("HSET h f x", "HINCRBYFLOAT h f 1")).toBe("ERR hash value is not a float");
    expect(error("HINCRBYFLOAT h f x")).toBe("ERR value is not a valid float");
  });
});

describe("sorted sets", () => {
  const board = "ZADD board 100 alice 250 bob 175 carol 90 dave";

  it("given ZADD, orders by score then member and replies added counts", () => {
    expect(value(board)).toBe(4);
    expect(values("ZADD z 1 b 1 a 2 c", "ZRANGE z 0 -1")).toEqual(["a", "b", "c"]);
    expect(values(board, "ZRANGE board 0 1 WITHSCORES")).toEqual(["dave", "90", "alice", "100"]);
    expect(values("ZADD z 1.5 a -2e3 b inf c", "ZRANGE z 0 -1 WITHSCORES")).toEqual([
      "b",
      "-2000",
      "a",
      "1.5",
      "c",
      "inf",
    ]);
  });

  it("given ZADD's NX, XX, GT, LT, CH and INCR, follows Redis 7", () => {
    expect(value("ZADD z 1 a", "ZADD z NX 5 a 2 b")).toBe(1);
    expect(value("ZADD z 1 a", "ZADD z NX 5 a", "ZSCORE z a")).toBe("1");
    expect(value("ZADD z 1 a", "ZADD z XX 5 a 2 b")).toBe(0);
    expect(value("ZADD z 1 a", "ZADD z XX CH 5 a 2 b")).toBe(1);
    expect(value("ZADD z 5 a", "ZADD z GT 3 a", "ZSCORE z a")).toBe("5");
    expect(value("ZADD z 5 a", "ZADD z LT 3 a", "ZSCORE z a")).toBe("3");
    expect(value("ZADD z 5 a", "ZADD z INCR 2.5 a")).toBe("7.5");
    expect(values("ZADD z 5 a", "ZADD z NX INCR 1 a")).toEqual([null]);
    expect(values("ZADD z XX INCR 1 a")).toEqual([null]);
    expect(error("ZADD z NX XX 1 a")).toBe("ERR XX and NX options at the same time are not compatible");
    expect(error("ZADD z GT LT 1 a")).toBe(
      "ERR GT, LT, and/or NX options at the same time are not compatible",
    );
    expect(error("ZADD z INCR 1 a 2 b")).toBe("ERR INCR option supports a single increment-element pair");
    expect(error("ZADD z abc a")).toBe("ERR value is not a valid float");
    expect(error("ZADD z 1 a 2")).toBe("ERR syntax error");
    expect(error("ZADD z 1 a", "ZINCRBY z -inf a", "ZINCRBY z +inf a")).toBe(
      "ERR resulting score is not a number (NaN)",
    );
  });

  it("given ZSCORE, ZRANK, ZREVRANK and ZCARD, reports positions and scores", () => {
    expect(value(board, "ZSCORE board carol")).toBe("175");
    expect(values(board, "ZSCORE board nobody")).toEqual([null]);
    expect(value(board, "ZRANK board carol")).toBe(2);
    expect(value(board, "ZREVRANK board carol")).toBe(1);
    expect(values(board, "ZRANK board carol WITHSCORE")).toEqual([2, "175"]);
    expect(value(board, "ZCARD board")).toBe(4);
    expect(value(board, "ZINCRBY board 100 dave")).toBe("190");
  });

  it("given ZRANGE BYSCORE, REV and LIMIT, and the older forms, selects like Redis", () => {
    expect(values(board, "ZRANGE board 100 200 BYSCORE")).toEqual(["alice", "carol"]);
    expect(values(board, "ZRANGE board (100 +inf BYSCORE")).toEqual(["carol", "bob"]);
    expect(values(board, "ZRANGE board +inf -inf BYSCORE REV LIMIT 0 2")).toEqual(["bob", "carol"]);
    expect(values(board, "ZRANGE board 0 1 REV WITHSCORES")).toEqual(["bob", "250", "carol", "175"]);
    expect(values(board, "ZREVRANGE board 0 0")).toEqual(["bob"]);
    expect(values(board, "ZRANGEBYSCORE board -inf 100 WITHSCORES")).toEqual(["dave", "90", "alice", "100"]);
    expect(values(board, "ZRANGEBYSCORE board 0 1000 LIMIT 1 2")).toEqual(["alice", "carol"]);
    expect(values(board, "ZREVRANGEBYSCORE board 200 (90")).toEqual(["carol", "alice"]);
    expect(values("ZADD z 0 a 0 b 0 c", "ZRANGE z [b + BYLEX")).toEqual(["b", "c"]);
    expect(error(board, "ZRANGE board 0 1 LIMIT 0 1")).toBe(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
    expect(error(board, "ZRANGEBYSCORE board abc 1")).toBe("ERR min or max is not a float");
  });

  it("given ZCOUNT, ZREM, ZPOPMIN and ZPOPMAX, counts, removes and pops with scores", () => {
    expect(value(board, "ZCOUNT board 100 (250")).toBe(2);
    expect(value(board, "ZREM board alice nobody alice")).toBe(1);
    expect(values(board, "ZPOPMAX board")).toEqual(["bob", "250"]);
    expect(values(board, "ZPOPMIN board 2")).toEqual(["dave", "90", "alice", "100"]);
    expect(values("ZPOPMIN none")).toEqual([]);
    expect(value("ZADD z 1 a", "ZPOPMIN z", "EXISTS z")).toBe(0);
    expect(value(board, "ZREMRANGEBYSCORE board -inf 100")).toBe(2);
  });

  it("given ZUNIONSTORE and ZINTERSTORE with WEIGHTS, gives the documented examples' answers", () => {
    const setup = ["ZADD zset1 1 one 2 two", "ZADD zset2 1 one 2 two 3 three"];
    expect(
      values(...setup, "ZUNIONSTORE out 2 zset1 zset2 WEIGHTS 2 3", "ZRANGE out 0 -1 WITHSCORES"),
    ).toEqual(["one", "5", "three", "9", "two", "10"]);
    expect(
      values(...setup, "ZINTERSTORE out 2 zset1 zset2 WEIGHTS 2 3", "ZRANGE out 0 -1 WITHSCORES"),
    ).toEqual(["one", "5", "two", "10"]);
    expect(values(...setup, "ZUNION 2 zset1 zset2 AGGREGATE MAX WITHSCORES")).toEqual([
      "one",
      "1",
      "two",
      "2",
      "three",
      "3",
    ]);
    expect(values(...setup, "ZDIFF 2 zset2 zset1")).toEqual(["three"]);
  });
});
