/**
 * Keys computed at run time must never reach a prototype. These run parse + validate + execute + shape
 * directly, as the worker's `run` does, but WITHOUT the worker's freezing of Object.prototype and
 * Array.prototype: the operators must be safe by construction, not because the prototypes are frozen.
 */
import { OpType } from "mingo/core";
import type { Options } from "mingo/types";
import { afterEach, describe, expect, it } from "vitest";
import type { FailureReason } from "../../core/sandbox.js";
import type { Outcome as WorkerOutcome } from "../kit/outcome.js";
import { shape } from "./cells.js";
import { execute } from "./execute.js";
import { safeContext } from "./operators.js";
import { parseProgram, type Statement } from "./parse.js";
import { isWrite, validate } from "./pipeline.js";
import type { Doc } from "./protocol.js";
import { QueryError } from "./query-error.js";
import { AttemptState } from "./state.js";

const collections = (): Map<string, Doc[]> =>
  new Map([
    [
      "items",
      [
        { _id: 1, name: "pen", price: 2, kind: "tool", meta: { color: "red", "a.b": 1 } },
        { _id: 2, name: "ink", price: 5, kind: "tool", meta: { color: "blue" } },
        { _id: 3, name: "pad", price: 3, kind: "paper", meta: null },
      ],
    ],
  ]);

interface Ran {
  outcome: WorkerOutcome;
  /** The documents the last statement produced, before shaping. */
  docs: unknown[];
  state: AttemptState;
}

/** As the worker runs an attempt, on a fresh copy of the collections, and keeping the raw documents. */
function runStatements(statements: Statement[], allowWrites = true): Ran {
  const state = new AttemptState(collections());
  let docs: unknown[] = [];
  try {
    for (const statement of statements) validate(statement);
    if (!allowWrites && statements.some(isWrite)) throw new Error("unexpected write");
    let output = execute(statements[0] as Statement, state);
    for (const statement of statements.slice(1)) output = execute(statement, state);
    if ("docs" in output) {
      docs = [...output.docs];
      output = { docs };
    }
    return { outcome: shape(output, { maxRows: 100, maxResultBytes: 1024 * 1024 }), docs, state };
  } catch (err) {
    const reason: FailureReason = err instanceof QueryError ? err.reason : "runtime";
    return { outcome: { ok: false, reason, message: (err as Error).message }, docs, state };
  }
}

function run(query: string): Ran {
  try {
    return runStatements(parseProgram(query));
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    const state = new AttemptState(collections());
    return { outcome: { ok: false, reason: err.reason, message: err.message }, docs: [], state };
  }
}

/** A statement built by hand, skipping parse.ts's checks: the runtime alone must hold. */
function unparsed(method: string, ...args: unknown[]): Ran {
  return runStatements([{ collection: "items", calls: [{ method, args, at: "line 1, column 10" }], pos: 0 }]);
}

const protoNames = ["__proto__", "constructor", "prototype"];
const snapshot = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
});
const pristine = snapshot();

/** Every object reachable from `value` has its ordinary prototype (or none) and no prototype-named own key. */
function assertPlain(value: unknown, path = "result"): void {
  if (value === null || typeof value !== "object") return;
  if (value instanceof Date || value instanceof RegExp) return;
  if (Array.isArray(value)) {
    expect(Object.getPrototypeOf(value), `${path} is an array`).toBe(Array.prototype);
    for (const [i, item] of value.entries()) assertPlain(item, `${path}[${i}]`);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  expect(proto === Object.prototype || proto === null, `${path} has a plain prototype`).toBe(true);
  for (const key of Object.getOwnPropertyNames(value)) {
    expect(protoNames, `${path} has no key named ${key}`).not.toContain(key);
    assertPlain((value as Record<string, unknown>)[key], `${path}.${key}`);
  }
}

function assertNothingPolluted(ran: Ran): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown[])[0]).toBeUndefined();
  expect(snapshot()).toEqual(pristine);
  assertPlain(ran.docs);
  assertPlain(ran.state.collection("items"), "items");
}

afterEach(() => {
  // If a test did pollute, clean up so the next one is judged on its own.
  for (const proto of [Object.prototype, Array.prototype] as object[]) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const before = proto === Object.prototype ? pristine.object : pristine.array;
      if (!before.includes(key)) delete (proto as Record<string, unknown>)[key];
    }
  }
});

const computed = (name: string) => ({ $concat: [name.slice(0, 3), name.slice(3)] });
const proto = JSON.stringify(computed("__proto__"));
const ctor = JSON.stringify(computed("constructor"));
const prototype = JSON.stringify(computed("prototype"));
const notAllowed = (name: string) => new RegExp(`the field name '${name}' is not allowed`, "i");

interface Hostile {
  name: string;
  query: string;
  reason: FailureReason;
  message: RegExp;
}

const hostile: Hostile[] = [
  {
    name: "$setField with field { $literal: '__proto__' }, refuses it before running",
    query: `db.items.aggregate([{ $replaceWith: { $setField: { field: { $literal: "__proto__" }, input: "$$ROOT", value: { polluted: 1 } } } }])`,
    reason: "blocked",
    message: /'__proto__' is not allowed/,
  },
  {
    name: "$setField with a computed '__proto__' ($concat), refuses it at run time",
    query: `db.items.aggregate([{ $replaceWith: { $setField: { field: ${proto}, input: "$$ROOT", value: { polluted: 1 } } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$setField with a computed 'constructor', refuses it at run time",
    query: `db.items.aggregate([{ $project: { x: { $setField: { field: ${ctor}, input: "$meta", value: { name: "Date" } } } } }])`,
    reason: "runtime",
    message: notAllowed("constructor"),
  },
  {
    name: "$unsetField with a computed '__proto__', refuses it at run time",
    query: `db.items.aggregate([{ $replaceWith: { $unsetField: { field: ${proto}, input: "$$ROOT" } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$arrayToObject with [['__proto__', { polluted: 1 }]] written out, refuses it before running",
    query: `db.items.aggregate([{ $replaceWith: { $arrayToObject: [[["__proto__", { polluted: 1 }]]] } }])`,
    reason: "blocked",
    message: /'__proto__' is not allowed/,
  },
  {
    name: "$arrayToObject with a computed '__proto__' pair, refuses it at run time",
    query: `db.items.aggregate([{ $replaceWith: { $arrayToObject: [[[${proto}, { polluted: 1 }]]] } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$arrayToObject with a computed 'prototype' { k, v } document, refuses it at run time",
    query: `db.items.aggregate([{ $project: { x: { $arrayToObject: [[{ k: ${prototype}, v: { polluted: 1 } }]] } } }])`,
    reason: "runtime",
    message: notAllowed("prototype"),
  },
  {
    name: "$mergeObjects of a document with a computed '__proto__' key, refuses it at run time",
    query: `db.items.aggregate([{ $replaceWith: { $mergeObjects: ["$$ROOT", { $arrayToObject: [[[${proto}, { polluted: 1 }]]] }] } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$replaceRoot to a computed object with a '__proto__' key, refuses it at run time",
    query: `db.items.aggregate([{ $replaceRoot: { newRoot: { $setField: { field: ${proto}, input: {}, value: { polluted: 1 } } } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$addFields of a computed object with a '__proto__' key, refuses it at run time",
    query: `db.items.aggregate([{ $addFields: { x: { $arrayToObject: [[[${proto}, { polluted: 1 }]]] } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$set with a '__proto__' path written out, refuses it before running",
    query: `db.items.aggregate([{ $set: { "meta.__proto__.polluted": 1 } }])`,
    reason: "blocked",
    message: /__proto__/,
  },
  {
    name: "$group with a computed _id object holding '__proto__', refuses it at run time",
    query: `db.items.aggregate([{ $group: { _id: { $arrayToObject: [[[${proto}, "$kind"]]] }, n: { $sum: 1 } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$group merging computed '__proto__' documents, refuses it at run time",
    query: `db.items.aggregate([{ $group: { _id: "$kind", m: { $mergeObjects: { $setField: { field: ${proto}, input: {}, value: { polluted: 1 } } } } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$getField of a computed '__proto__', refuses it at run time",
    query: `db.items.aggregate([{ $project: { x: { $getField: { field: ${proto}, input: "$$ROOT" } } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$getField of 'constructor' then 'prototype', refuses it at run time",
    query: `db.items.aggregate([{ $project: { x: { $getField: { field: "prototype", input: { $getField: "constructor" } } } } }])`,
    reason: "runtime",
    message: notAllowed("(constructor|prototype)"),
  },
  {
    name: "an update pipeline reaching Array.prototype through $getField to write into it, refuses it",
    query: `db.items.updateOne({ _id: 1 }, [{ $set: { p: { $getField: { field: "prototype", input: { $getField: { field: "constructor", input: [] } } } } } }, { $set: { "p.0": 7 } }])`,
    reason: "runtime",
    message: notAllowed("(constructor|prototype)"),
  },
  {
    name: "an update pipeline setting a computed '__proto__' field, refuses it and leaves the documents alone",
    query: `db.items.updateMany({}, [{ $replaceWith: { $setField: { field: ${proto}, input: "$$ROOT", value: { polluted: 1 } } } }])`,
    reason: "runtime",
    message: notAllowed("__proto__"),
  },
  {
    name: "$count naming its field 'constructor', refuses it before running",
    query: `db.items.aggregate([{ $count: "constructor" }])`,
    reason: "blocked",
    message: notAllowed("constructor"),
  },
  {
    name: "$lookup into 'prototype' inside $facet, refuses it before running",
    query: `db.items.aggregate([{ $facet: { a: [{ $lookup: { from: "items", localField: "_id", foreignField: "_id", as: "prototype" } }] } }])`,
    reason: "blocked",
    message: notAllowed("prototype"),
  },
  {
    name: "$rename to 'constructor', refuses it before running",
    query: `db.items.updateMany({}, { $rename: { name: "constructor" } })`,
    reason: "blocked",
    message: notAllowed("constructor"),
  },
  {
    name: "distinct('constructor'), refuses it before running",
    query: `db.items.distinct("constructor")`,
    reason: "blocked",
    message: notAllowed("constructor"),
  },
];

describe("computed keys that could reach a prototype", () => {
  it.each(hostile)("given $name", ({ query, reason, message }) => {
    const ran = run(query);
    expect(ran.outcome).toMatchObject({ ok: false, reason });
    if (!ran.outcome.ok) expect(ran.outcome.message).toMatch(message);
    assertNothingPolluted(ran);
  });

  it("has at least twelve hostile inputs", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ["$setField", { $setField: { field: "__proto__", input: "$$ROOT", value: { polluted: 1 } } }],
    [
      "$setField",
      { $setField: { field: { $literal: "__proto__" }, input: "$$ROOT", value: { polluted: 1 } } },
    ],
    ["$unsetField", { $unsetField: { field: "constructor", input: "$$ROOT" } }],
    ["$arrayToObject", { $arrayToObject: [[["__proto__", { polluted: 1 }]]] }],
    ["$arrayToObject", { $arrayToObject: [[{ k: "__proto__", v: { polluted: 1 } }]] }],
  ])("given %s with a literal prototype name that skipped parse.ts, the runtime refuses it", (op, expr) => {
    const ran = unparsed("aggregate", [{ $replaceWith: expr }]);
    expect(ran.outcome).toMatchObject({ ok: false, reason: "runtime" });
    if (!ran.outcome.ok) expect(ran.outcome.message).toMatch(new RegExp(`^\\${op}: the field name`));
    assertNothingPolluted(ran);
  });

  it("given a literal '__proto__' key object merged after skipping parse.ts, the runtime refuses it", () => {
    const evil = JSON.parse('{ "__proto__": { "polluted": 1 } }') as unknown;
    expect(Object.hasOwn(evil as object, "__proto__")).toBe(true);
    const ran = unparsed("aggregate", [{ $replaceWith: { $mergeObjects: ["$$ROOT", { $literal: evil }] } }]);
    expect(ran.outcome).toMatchObject({ ok: false, reason: "runtime" });
    assertNothingPolluted(ran);
  });
});

describe("the $mergeObjects accumulator ($setWindowFields calls it directly)", () => {
  const accumulate = safeContext.getOperator(OpType.ACCUMULATOR, "$mergeObjects") as unknown as (
    collection: unknown[],
    expr: unknown,
    options: Options,
  ) => unknown;
  const options = { context: safeContext, failOnError: true } as Options;

  it("given a document with an own '__proto__' key, refuses it and pollutes nothing", () => {
    const evil = JSON.parse('{ "m": { "__proto__": { "polluted": 1 } } }') as unknown;
    expect(() => accumulate([{ m: { a: 1 } }, evil], "$m", options)).toThrow(notAllowed("__proto__"));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("given plain documents, merges each one's value left to right into a plain document", () => {
    const merged = accumulate([{ m: { a: 1, b: 1 } }, { m: null }, { m: { b: 2 } }], "$m", options);
    expect(merged).toEqual({ a: 1, b: 2 });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

describe("the same operators used as intended", () => {
  /** The rows as records (column → cell), so the test does not depend on mingo's key order. */
  const rows = (query: string) => {
    const ran = run(query);
    if (!ran.outcome.ok) throw new Error(`${ran.outcome.reason}: ${ran.outcome.message}`);
    assertNothingPolluted(ran);
    const { columns, rows: cells } = ran.outcome.result;
    return cells.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  };

  it("given $setField and $unsetField, adds, replaces and removes fields, including dotted names", () => {
    expect(
      rows(
        `db.items.aggregate([{ $match: { _id: 1 } }, { $replaceWith: { $setField: { field: { $concat: ["on", "Sale"] }, input: "$$ROOT", value: true } } }, { $unset: "meta" }])`,
      ),
    ).toEqual([{ _id: 1, name: "pen", price: 2, kind: "tool", onSale: true }]);
    expect(
      rows(
        `db.items.aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, m: { $setField: { field: "color", input: "$meta", value: "green" } }, u: { $unsetField: { field: "a.b", input: "$meta" } }, r: { $setField: { field: "color", input: "$meta", value: "$$REMOVE" } } } }])`,
      ),
    ).toEqual([{ m: '{"a.b":1,"color":"green"}', u: '{"color":"red"}', r: '{"a.b":1}' }]);
  });

  it("given $getField, reads own fields (a dotted name too) and nothing inherited", () => {
    expect(
      rows(
        `db.items.aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, c: { $getField: { field: "color", input: "$meta" } }, d: { $getField: { field: "a.b", input: "$meta" } }, n: { $getField: "name" }, t: { $getField: { field: "toString", input: "$meta" } } } }])`,
      ),
    ).toEqual([{ c: "red", d: 1, n: "pen", t: null }]);
  });

  it("given $arrayToObject in both forms, and $objectToArray back, builds the documents MongoDB does", () => {
    expect(
      rows(
        `db.items.aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, pairs: { $arrayToObject: [[["a", 1], ["b", 2], ["a", 3]]] }, kv: { $arrayToObject: [[{ k: "x", v: "$price" }, { k: { $concat: ["y", "z"] }, v: "$name" }]] }, back: { $arrayToObject: { $objectToArray: "$meta" } } } }])`,
      ),
    ).toEqual([{ pairs: '{"a":3,"b":2}', kv: '{"x":2,"yz":"pen"}', back: '{"a.b":1,"color":"red"}' }]);
  });

  it("given $mergeObjects as an expression and in $group, merges left to right and skips nulls", () => {
    expect(
      rows(
        `db.items.aggregate([{ $project: { _id: 1, m: { $mergeObjects: ["$meta", { price: "$price" }, null] } } }, { $sort: { _id: 1 } }])`,
      ),
    ).toEqual([
      { _id: 1, m: '{"a.b":1,"color":"red","price":2}' },
      { _id: 2, m: '{"color":"blue","price":5}' },
      { _id: 3, m: '{"price":3}' },
    ]);
    expect(
      rows(
        `db.items.aggregate([{ $group: { _id: "$kind", m: { $mergeObjects: "$meta" } } }, { $sort: { _id: 1 } }])`,
      ),
    ).toEqual([
      { _id: "paper", m: "{}" },
      { _id: "tool", m: '{"a.b":1,"color":"blue"}' },
    ]);
  });

  it("given $group on a computed _id object and $replaceWith a merged document, returns plain rows", () => {
    expect(
      rows(
        `db.items.aggregate([{ $group: { _id: { $arrayToObject: [[["kind", "$kind"]]] }, n: { $sum: 1 } } }, { $replaceWith: { $mergeObjects: ["$_id", { n: "$n" }] } }, { $sort: { kind: 1 } }])`,
      ),
    ).toEqual([
      { kind: "paper", n: 1 },
      { kind: "tool", n: 2 },
    ]);
  });

  it("given an update pipeline with $setField, writes plain documents", () => {
    const ran = run(
      `db.items.updateMany({}, [{ $replaceWith: { $setField: { field: "checked", input: "$$ROOT", value: true } } }])`,
    );
    expect(ran.outcome).toMatchObject({ ok: true, result: { rows: [[true, 3, 3, 0, null]] } });
    expect(ran.state.collection("items").every((d) => d.checked === true)).toBe(true);
    assertNothingPolluted(ran);
  });
});
