/** The Redis interpreter reads a query like redis-cli, fails like Redis, and refuses what may not run or is too large. */
import { describe, expect, it } from "vitest";
import { attempt, failure, lines, value } from "../../../test/redis-attempt.js";

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

describe("what may run", () => {
  it.each([
    ['EVAL "while true do end" 0', "Lua"],
    ["FLUSHALL", "whole databases"],
    ["subscribe news", "pub/sub is out of scope"],
    ["PUBLISH news hi", "pub/sub is out of scope"],
    ["CONFIG SET dir /tmp", "server"],
    ["BLPOP q 0", "blocking"],
    ["MULTI\nFLUSHDB\nEXEC", "whole databases"],
    ["GEOADD g 13.36 38.11 Palermo", "not supported"],
    ["XREAD BLOCK 0 STREAMS s $", "blocking"],
    ["XREADGROUP GROUP g c COUNT 1 BLOCK 5000 STREAMS s >", "blocking"],
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
