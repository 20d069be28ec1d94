/** The Redis interpreter's results, memory budget and dataset snapshots. */
import { describe, expect, it } from "vitest";
import { attempt, failure, lines, MiB, values } from "../../../test/redis-attempt.js";
import { buildSnapshot, runAttempt, scriptLimits } from "./interpreter.js";
import { Store } from "./store.js";

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
