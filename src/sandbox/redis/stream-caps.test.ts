/** A stream cannot take an attempt past the sandbox's caps, and its memory count stays exact. */
import { describe, expect, it } from "vitest";
import { buildSnapshot, runAttempt, type ScriptLimits, scriptLimits } from "./interpreter.js";
import { cost, emptySnapshot, MAX_VALUE_BYTES, type Snapshot, Store } from "./store.js";
import { type StreamValue, streamCost } from "./stream.js";

const MiB = 1024 * 1024;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lines = (...commands: string[]) => commands.join("\n");

/** 20,000 entries of about 100 bytes, a group that has read them all, in a dataset built once. */
const built = buildSnapshot(
  lines(
    ...range(20_000).map((i) => `XADD big ${i + 1}-0 n ${i} payload ${"p".repeat(90)}`),
    "XGROUP CREATE big g 0",
    "XREADGROUP GROUP g w STREAMS big >",
  ),
  256 * MiB,
);
if (!built.ok) throw new Error(built.message);
const base = built.snapshot;

function run(
  query: string,
  options: { base?: Snapshot; extraMb?: number; limits?: Partial<ScriptLimits> } = {},
) {
  const snapshot = options.base ?? emptySnapshot();
  const store = new Store(snapshot, snapshot.used + (options.extraMb ?? 64) * MiB);
  const outcome = runAttempt(
    store,
    { query, allowWrites: true },
    { ...scriptLimits, maxRows: 100_000, ...options.limits },
  );
  return { outcome, store };
}

describe("hostile stream input against the caps", () => {
  it.each([
    {
      name: "XADD in a loop, 32 KiB a line, stops at the line that would pass the budget",
      query: range(100)
        .map((i) => `XADD s * f ${"x".repeat(32 * 1024 - 8)} n ${i}`)
        .join("\n"),
      extraMb: 2,
      reason: "memory",
      message: /the data would grow past the memory limit/,
    },
    {
      name: "a field value over 1 MiB, refused as an over-long bulk argument",
      query: `XADD s * f ${"x".repeat(MAX_VALUE_BYTES + 1)}`,
      limits: { maxArgBytes: 4 * MiB },
      reason: "too-large",
      message: /ERR Protocol error: invalid bulk length/,
    },
    {
      name: "XRANGE of 20,000 entries fifty times inside EXEC, stops when the held replies pass the budget",
      query: lines("MULTI", ...range(50).map(() => "XRANGE big - +"), "EXEC"),
      base,
      extraMb: 24,
      reason: "memory",
      message: /the reply would grow past the memory limit/,
    },
    {
      name: "XINFO STREAM FULL COUNT 0 again and again inside EXEC, stops when the replies pass the budget",
      query: lines("MULTI", ...range(50).map(() => "XINFO STREAM big FULL COUNT 0"), "EXEC"),
      base,
      extraMb: 24,
      reason: "memory",
      message: /the reply would grow past the memory limit/,
    },
    {
      name: "COPY of a 20,000-entry stream to many keys, stops before the copies pass the budget",
      query: range(50)
        .map((i) => `COPY big c${i}`)
        .join("\n"),
      base,
      extraMb: 8,
      reason: "memory",
      message: /the data would grow past the memory limit/,
    },
    {
      name: "new groups reading 20,000 entries each into their PEL, stop before the PELs pass the budget",
      query: range(50)
        .map((i) => `XGROUP CREATE big r${i} 0\nXREADGROUP GROUP r${i} w STREAMS big >`)
        .join("\n"),
      base,
      extraMb: 8,
      reason: "memory",
      message: /past the memory limit/,
    },
    {
      name: "a read of a big base stream on a budget too small for its copy, refuses the copy",
      query: "XLEN big",
      base,
      extraMb: 0.05,
      reason: "memory",
      message: /the data would grow past the memory limit/,
    },
    {
      name: "XRANGE of 20,000 entries into a small result, refused before the text is built",
      query: "XRANGE big - +",
      base,
      limits: { maxResultChars: 64 * 1024 },
      reason: "too-large",
      message: /^result: the result is larger than/,
    },
  ])("given $name", ({ query, reason, message, ...options }) => {
    const { outcome, store } = run(query, options);
    expect(outcome).toMatchObject({ ok: false, reason });
    if (!outcome.ok) expect(outcome.message).toMatch(message);
    expect(store.total).toBeLessThanOrEqual(store.limitBytes);
  });

  it("given XAUTOCLAIM with a COUNT no allocation could hold, replies Redis's out-of-memory error", () => {
    const { outcome } = run("XAUTOCLAIM big g w2 0 0 COUNT 576460752303423487", { base });
    expect(outcome).toMatchObject({
      ok: false,
      reason: "runtime",
      message: "query line 1: ERR Insufficient memory, failed allocating transient memory, COUNT too high.",
    });
  });
});

/** What the store should hold for a stream, counted from its structure. */
function expectedBytes(s: StreamValue): number {
  let n = streamCost.base;
  for (const e of s.entries) n += streamCost.entry(e.f);
  for (const node of s.nodes) n += streamCost.node(node.fields.length);
  for (const [name, g] of s.groups) {
    n += streamCost.group(name) + g.pel.size * streamCost.pending;
    for (const c of g.consumers.keys()) n += streamCost.consumer(c);
  }
  return n;
}

describe("the memory count of a stream", () => {
  it("given every kind of change, the stream's charge equals what its structure costs, and DEL frees it all", () => {
    const store = new Store(emptySnapshot(), 64 * MiB);
    const script = lines(
      ...range(300).map((i) => `XADD s ${i + 1}-0 f ${i} ${i % 3 ? "g" : "h"} v`),
      "XDEL s 5-0 6-0 150-0 151-0",
      "XTRIM s MAXLEN ~ 180",
      "XTRIM s MINID 130",
      "XADD s MAXLEN 150 * f new",
      "XGROUP CREATE s g 0",
      "XGROUP CREATE s h $",
      "XREADGROUP GROUP g alice COUNT 40 STREAMS s >",
      "XREADGROUP GROUP g bob COUNT 40 STREAMS s >",
      "XACK s g 131-0 132-0",
      "XCLAIM s g carol 0 140-0 141-0 999-0 FORCE",
      "XAUTOCLAIM s g dave 0 0 COUNT 10",
      "XGROUP CREATECONSUMER s h erin",
      "XGROUP DELCONSUMER s g bob",
      "XDEL s 160-0",
      "XAUTOCLAIM s g dave 0 0",
      "XGROUP DESTROY s h",
      "XLEN s",
    );
    const outcome = runAttempt(store, { query: script, allowWrites: true }, { ...scriptLimits, maxRows: 10 });
    expect(outcome.ok).toBe(true);
    const s = store.get("s", "stream");
    if (!s) throw new Error("no stream");
    expect(s.bytes).toBe(expectedBytes(s));
    expect(store.used).toBe(cost.key("s") + s.bytes);
    store.delete("s");
    expect(store.used).toBe(0);
  });
});
