import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Dataset,
  defaultLimits,
  type FailureReason,
  type Limits,
  type Sandbox,
} from "../../core/sandbox.js";
import { createMongodbSandbox } from "./sandbox.js";

// 200 orders, each with a string that makes (a+)+$ backtrack catastrophically.
const shop: Dataset = {
  id: "mongo-abuse-shop",
  engine: "mongodb",
  setup: JSON.stringify({
    orders: Array.from({ length: 200 }, (_, i) => ({
      _id: i,
      customer: `c${i % 7}`,
      total: i,
      name: `${"a".repeat(40)}!`,
    })),
  }),
};

const limits: Limits = { ...defaultLimits, timeMs: 1_000 };
const attackWord = "pwned";
let sandbox: Sandbox;
let trap: string;
let before: { cwd: Set<string>; tmp: Set<string> };

const listing = () => ({ cwd: new Set(readdirSync(process.cwd())), tmp: new Set(readdirSync(tmpdir())) });

beforeAll(async () => {
  before = listing();
  trap = mkdtempSync(join(tmpdir(), "mongo-abuse-"));
  sandbox = createMongodbSandbox();
  // Both warm processes started: the first attack does not pay for start-up.
  await Promise.all([normalQueryWorks(), normalQueryWorks()]);
});

afterAll(async () => {
  await sandbox.close();
  rmSync(trap, { recursive: true, force: true });
});

async function normalQueryWorks(): Promise<void> {
  const out = await sandbox.run(
    { dataset: shop, query: `db.orders.countDocuments({ total: { $lt: 10 } })`, allowWrites: false },
    limits,
  );
  expect(out.ok ? out.result.rows : out).toEqual([[10]]);
}

/** Runs one hostile input; it must fail with the expected reason, then the sandbox must still serve. */
async function expectVerdict(
  query: string,
  reason: FailureReason,
  options: { limits?: Limits; allowWrites?: boolean; message?: RegExp } = {},
): Promise<void> {
  const l = options.limits ?? limits;
  const out = await sandbox.run({ dataset: shop, query, allowWrites: options.allowWrites ?? true }, l);
  expect(out.ok ? "ok" : out.reason, out.ok ? "ok" : out.message).toBe(reason);
  if (!out.ok && options.message) expect(out.message).toMatch(options.message);
  if (!out.ok) expect(out.message).not.toMatch(/\n/);
  // Two at once: both pooled processes (including any replacement of a killed one) answer before the next attack.
  await Promise.all([normalQueryWorks(), normalQueryWorks()]);
}

describe("the mongodb sandbox under attack", () => {
  it("given $where with an endless loop, blocks it", async () => {
    await expectVerdict(`db.orders.find({ $where: "while(true){}" })`, "blocked", { message: /\$where/ });
  });

  it("given $function with a body, alone or inside $expr, blocks it", async () => {
    await expectVerdict(
      `db.orders.aggregate([{ $addFields: { x: { $function: { body: "function() { while (true) {} }", args: [], lang: "js" } } } }])`,
      "blocked",
      { message: /\$function/ },
    );
    await expectVerdict(
      `db.orders.find({ $expr: { $function: { body: "function() { return true }", args: [], lang: "js" } } })`,
      "blocked",
    );
  });

  it("given $accumulator, blocks it", async () => {
    await expectVerdict(
      `db.orders.aggregate([{ $group: { _id: null, x: { $accumulator: { init: "function() { return 0 }", accumulate: "function(s) { return s }", accumulateArgs: [], merge: "function(a) { return a }", lang: "js" } } } }])`,
      "blocked",
      { message: /\$accumulator/ },
    );
  });

  it("given JavaScript functions or code calls written as arguments, blocks them", async () => {
    const file = join(trap, `${attackWord}-function`);
    await expectVerdict(
      `db.orders.find({ $where: function () { require("fs").writeFileSync(${JSON.stringify(file)}, "x"); return true } })`,
      "blocked",
    );
    await expectVerdict(
      `db.orders.find({ a: require("fs").writeFileSync(${JSON.stringify(file)}, "x") })`,
      "blocked",
    );
    await expectVerdict(`db.orders.find({ a: new Function("return process")() })`, "blocked");
    expect(existsSync(file)).toBe(false);
  });

  it("given $out or $merge aimed at a file path, blocks them and writes nothing", async () => {
    const out = join(trap, `${attackWord}-out`);
    const merge = join(trap, `${attackWord}-merge`);
    await expectVerdict(`db.orders.aggregate([{ $out: ${JSON.stringify(out)} }])`, "blocked", {
      message: /\$out/,
    });
    await expectVerdict(`db.orders.aggregate([{ $merge: { into: ${JSON.stringify(merge)} } }])`, "blocked", {
      message: /\$merge/,
    });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(merge)).toBe(false);
  });

  it("given mapReduce, forEach with a callback or db.getSiblingDB, blocks them", async () => {
    const file = join(trap, `${attackWord}-foreach`);
    await expectVerdict(
      `db.orders.find().forEach(function (d) { require("fs").writeFileSync(${JSON.stringify(file)}, "x") })`,
      "blocked",
    );
    await expectVerdict(
      `db.orders.mapReduce("function() { emit(1, 1) }", "function(k, v) { return 1 }")`,
      "blocked",
    );
    await expectVerdict(`db.getSiblingDB("admin").system.users.find()`, "blocked");
    expect(existsSync(file)).toBe(false);
  });

  it("given a regex that backtracks catastrophically on a long string, stops it on time", async () => {
    await expectVerdict(`db.orders.find({ name: { $regex: "(a+)+$" } })`, "timeout");
  });

  it("given a runaway computation, stops it on time", async () => {
    await expectVerdict(
      `db.orders.aggregate([{ $project: { s: { $reduce: { input: { $range: [0, 1000000] }, initialValue: 0, in: { $add: ["$$value", { $sqrt: "$$this" }] } } } } }])`,
      "timeout",
    );
  });

  it("given a $lookup self-join explosion, stops it", async () => {
    await expectVerdict(
      `db.orders.aggregate([
        { $lookup: { from: "orders", pipeline: [], as: "a" } }, { $unwind: "$a" },
        { $lookup: { from: "orders", pipeline: [], as: "b" } }, { $unwind: "$b" },
        { $lookup: { from: "orders", pipeline: [], as: "c" } }, { $unwind: "$c" },
        { $count: "n" }
      ])`,
      "timeout",
    );
  });

  it("given $range of 1e9 unwound, kills only the worker process and reports memory", async () => {
    await expectVerdict(
      `db.orders.aggregate([{ $project: { r: { $range: [0, 1000000000] } } }, { $unwind: "$r" }])`,
      "memory",
      { limits: { ...limits, timeMs: 5_000 } },
    );
  });

  it("given arrays or objects nested 10,000 deep, refuses them as too large", async () => {
    const arrays = `db.orders.find({ a: ${"[".repeat(10_000)}${"]".repeat(10_000)} })`;
    await expectVerdict(arrays, "too-large");
    const objects = `db.orders.find(${"{ a: ".repeat(10_000)}1${" }".repeat(10_000)})`;
    await expectVerdict(objects, "too-large", { limits: { ...limits, maxQueryBytes: 200_000 } });
    await expectVerdict(arrays, "too-large", { limits: { ...limits, maxQueryBytes: 200_000 } });
  });

  it("given a pipeline that builds data nested 100,000 deep, refuses it as too large", async () => {
    await expectVerdict(
      `db.orders.aggregate([{ $limit: 1 }, { $project: { s: { $reduce: { input: { $range: [0, 100000] }, initialValue: [], in: ["$$value"] } } } }])`,
      "too-large",
    );
  });

  it("given a pipeline that builds a result of many megabytes, refuses it as too large", async () => {
    await expectVerdict(
      `db.orders.aggregate([{ $project: { s: { $reduce: { input: { $range: [0, 16] }, initialValue: "ab", in: { $concat: ["$$value", "$$value"] } } } } }])`,
      "too-large",
      { message: /result is larger/ },
    );
  });

  it("given a 1 MB query, refuses it before running", async () => {
    const huge = `db.orders.find({ name: "${"x".repeat(1024 * 1024)}" })`;
    await expectVerdict(huge, "too-large", { message: /longer than/ });
  });

  it("given __proto__ or constructor keys, blocks them and leaves every prototype untouched", async () => {
    await expectVerdict(`db.orders.find({ "__proto__": { "polluted": "yes" } })`, "blocked");
    await expectVerdict(`db.orders.insertOne({ "__proto__": { "polluted": "yes" } })`, "blocked");
    await expectVerdict(`db.orders.updateMany({}, { $set: { "__proto__.polluted": "yes" } })`, "blocked");
    await expectVerdict(
      `db.orders.updateMany({}, { $set: { "constructor.prototype.polluted": "yes" } })`,
      "blocked",
    );
    await expectVerdict(`db.orders.aggregate([{ $project: { p: "$constructor.prototype" } }])`, "blocked");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // And inside the worker process: a fresh document has no inherited "polluted" field.
    const inside = await sandbox.run(
      {
        dataset: shop,
        query: `db.orders.aggregate([{ $limit: 1 }, { $project: { _id: 0, t: { $type: "$polluted" } } }])`,
        allowWrites: false,
      },
      limits,
    );
    expect(inside.ok ? inside.result.rows : inside).toEqual([["missing"]]);
  });

  it("given writes in a read-only task, refuses them even when hidden after a read", async () => {
    await expectVerdict(`db.orders.find(); db.orders.deleteMany({})`, "read-only", { allowWrites: false });
  });

  it("given the whole suite, no file named after an attack appeared in the working or temp directory", () => {
    const after = listing();
    const fresh = (now: Set<string>, was: Set<string>) =>
      [...now].filter((name) => !was.has(name) && name.toLowerCase().includes(attackWord));
    expect(fresh(after.cwd, before.cwd)).toEqual([]);
    expect(fresh(after.tmp, before.tmp)).toEqual([]);
    expect(readdirSync(trap)).toEqual([]);
  });
});
