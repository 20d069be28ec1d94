import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetRuns, ok } from "../../../test/sandbox-runs.js";
import { type Dataset, defaultLimits, type Limits, type Sandbox } from "../../core/sandbox.js";
import { createMongodbSandbox } from "./sandbox.js";

const shop: Dataset = {
  id: "mongo-test-shop",
  engine: "mongodb",
  setup: JSON.stringify({
    orders: [
      {
        _id: 1,
        customer: "ana",
        status: "paid",
        total: 120.5,
        items: ["pen", "ink"],
        at: { $date: "2024-01-02T10:00:00Z" },
      },
      { _id: 2, customer: "bo", status: "paid", total: 40, at: { $date: "2024-01-05T10:00:00Z" } },
      { _id: 3, customer: "ana", status: "open", total: 75, meta: { z: 1, a: { c: 2, b: 1 } } },
      { _id: 4, customer: "cy", status: "paid", total: 60 },
      { _id: 5, customer: "bo", status: "void", total: 10 },
    ],
    customers: [
      { _id: "ana", city: "Oslo" },
      { _id: "bo", city: "Rome" },
      { _id: "cy", city: "Lima" },
    ],
  }),
};

const limits: Limits = { ...defaultLimits, timeMs: 2_000 };
const builds: string[] = [];
let sandbox: Sandbox;

beforeAll(() => {
  sandbox = createMongodbSandbox({ onDatasetBuild: (id) => builds.push(id) });
});

afterAll(async () => {
  await sandbox.close();
});

const { run } = datasetRuns(() => sandbox, shop, limits);

describe("the mongodb sandbox", () => {
  it("given a find with filter, projection, sort and limit, returns the matching documents in order", async () => {
    const out = ok(
      await run(
        `db.orders.find({ status: "paid", total: { $gt: 50 } }, { _id: 0, customer: 1, total: 1 }).sort({ total: -1 }).limit(5)`,
      ),
    );
    expect(out.result).toEqual({
      columns: ["customer", "total"],
      rows: [
        ["ana", 120.5],
        ["cy", 60],
      ],
    });
    expect(out.truncated).toBe(false);
    expect(out.plan).toBeNull();
  });

  it("given documents of different shapes, returns the union of keys with _id first, nested values as sorted JSON and dates as ISO", async () => {
    const out = ok(await run(`db.orders.find({ _id: { $in: [1, 3] } }).sort({ _id: 1 })`));
    expect(out.result.columns).toEqual(["_id", "customer", "status", "total", "items", "at", "meta"]);
    expect(out.result.rows).toEqual([
      [1, "ana", "paid", 120.5, '["pen","ink"]', "2024-01-02T10:00:00.000Z", null],
      [3, "ana", "open", 75, null, null, '{"a":{"b":1,"c":2},"z":1}'],
    ]);
  });

  it("given an aggregation pipeline, groups, sums and sorts", async () => {
    const out = ok(
      await run(
        `db.orders.aggregate([{ $match: { status: { $ne: "void" } } }, { $group: { _id: "$customer", spent: { $sum: "$total" }, n: { $sum: 1 } } }, { $sort: { spent: -1 } }])`,
      ),
    );
    expect(out.result).toEqual({
      columns: ["_id", "spent", "n"],
      rows: [
        ["ana", 195.5, 2],
        ["cy", 60, 1],
        ["bo", 40, 1],
      ],
    });
  });

  it("given a $lookup into another collection of the dataset, joins it", async () => {
    const out = ok(
      await run(
        `db.orders.aggregate([{ $match: { status: "paid" } }, { $lookup: { from: "customers", localField: "customer", foreignField: "_id", as: "c" } }, { $unwind: "$c" }, { $project: { _id: 1, city: "$c.city" } }, { $sort: { _id: 1 } }])`,
      ),
    );
    expect(out.result.rows).toEqual([
      [1, "Oslo"],
      [2, "Rome"],
      [4, "Lima"],
    ]);
  });

  it("given countDocuments, returns one column 'count'", async () => {
    const out = ok(await run(`db.orders.countDocuments({ status: "paid" })`));
    expect(out.result).toEqual({ columns: ["count"], rows: [[3]] });
  });

  it("given dates, regex literals and distinct, filters like mongosh", async () => {
    const byDate = ok(await run(`db.orders.find({ at: { $gte: ISODate("2024-01-03") } }, { _id: 1 })`));
    expect(byDate.result.rows).toEqual([[2]]);
    const byRegex = ok(await run(`db.orders.find({ customer: /^A/i }, { _id: 1 })`));
    expect(byRegex.result.rows).toEqual([[1], [3]]);
    const distinct = ok(await run(`db.orders.distinct("customer", { status: "paid" })`));
    expect(distinct.result).toEqual({ columns: ["value"], rows: [["ana"], ["bo"], ["cy"]] });
  });

  it("given more rows than maxRows, returns maxRows of them and sets truncated", async () => {
    const cut = ok(
      await run(`db.orders.find({}, { _id: 1 }).sort({ _id: 1 })`, {}, { ...limits, maxRows: 2 }),
    );
    expect(cut.result.rows).toEqual([[1], [2]]);
    expect(cut.truncated).toBe(true);
    const exact = ok(await run(`db.orders.find({}, { _id: 1 })`, {}, { ...limits, maxRows: 5 }));
    expect(exact.result.rows).toHaveLength(5);
    expect(exact.truncated).toBe(false);
  });

  it("given a write when writes are not allowed, refuses it as read-only and changes nothing", async () => {
    for (const query of [
      `db.orders.insertOne({ _id: 99 })`,
      `db.orders.updateMany({}, { $set: { total: 0 } })`,
      `db.orders.find(); db.orders.deleteMany({})`,
    ]) {
      const out = await run(query);
      expect(out.ok ? "ok" : out.reason, query).toBe("read-only");
    }
    const check = await run(`db.orders.find()`, { check: `db.orders.deleteMany({})` });
    expect(check.ok ? "ok" : check.reason).toBe("read-only");
    expect(ok(await run(`db.orders.countDocuments({})`)).result.rows).toEqual([[5]]);
  });

  it("given writes that are allowed, the check sees them and the next attempt does not", async () => {
    const out = ok(
      await run(
        `db.orders.insertOne({ _id: 6, customer: "di", status: "paid", total: 5 })
         db.orders.updateMany({ status: "paid" }, { $inc: { total: 1 } });
         db.orders.deleteOne({ _id: 5 })`,
        { allowWrites: true, check: `db.orders.find({}, { total: 1 }).sort({ _id: 1 })` },
      ),
    );
    expect(out.result).toEqual({
      columns: ["_id", "total"],
      rows: [
        [1, 121.5],
        [2, 41],
        [3, 75],
        [4, 61],
        [6, 6],
      ],
    });
    const after = ok(await run(`db.orders.find({}, { total: 1 }).sort({ _id: 1 })`));
    expect(after.result.rows).toEqual([
      [1, 120.5],
      [2, 40],
      [3, 75],
      [4, 60],
      [5, 10],
    ]);
  });

  it("given a check, returns the check's result rather than the query's", async () => {
    const out = ok(
      await run(`db.orders.updateOne({ _id: 9 }, { $set: { total: 1 } }, { upsert: true })`, {
        allowWrites: true,
        check: `db.orders.countDocuments({})`,
      }),
    );
    expect(out.result).toEqual({ columns: ["count"], rows: [[6]] });
  });

  it("given a write without a check, returns the write's acknowledgement", async () => {
    const out = ok(await run(`db.orders.deleteMany({ status: "paid" })`, { allowWrites: true }));
    expect(out.result).toEqual({ columns: ["acknowledged", "deletedCount"], rows: [[true, 3]] });
    const dup = await run(`db.orders.insertOne({ _id: 1 })`, { allowWrites: true });
    expect(dup.ok ? "ok" : [dup.reason, dup.message]).toEqual([
      "runtime",
      "E11000 duplicate key error collection: orders index: _id_ dup key: { _id: 1 }",
    ]);
  });

  it("given a plan query, returns its parsed stages as plan lines and says there is no planner", async () => {
    const find = `db.orders.find({ status: "paid" }, { customer: 1 }).sort({ total: -1 }).limit(5)`;
    const out = ok(await run(find, { planQuery: find }));
    expect(out.plan?.[0]).toMatch(/no query planner/);
    expect(out.plan?.slice(1)).toEqual([
      "COLLSCAN orders",
      'FILTER {status: "paid"}',
      "SORT {total: -1}",
      "LIMIT 5",
      "PROJECTION {customer: 1}",
    ]);
    const aggregate = `db.orders.aggregate([{ $group: { _id: "$customer", n: { $sum: 1 } } }, { $sort: { n: -1 } }])`;
    const agg = ok(await run(aggregate, { planQuery: aggregate }));
    expect(agg.plan?.slice(1)).toEqual([
      "COLLSCAN orders",
      'GROUP {_id: "$customer", n: {$sum: 1}}',
      "SORT {n: -1}",
    ]);
  });

  it("given .explain() chained on a cursor, returns the plan as rows without running the query", async () => {
    const out = ok(await run(`db.orders.find({ total: { $gt: 1 } }).limit(2).explain("executionStats")`));
    expect(out.result.columns).toEqual(["plan"]);
    expect(out.result.rows.slice(1)).toEqual([
      ["COLLSCAN orders"],
      ["FILTER {total: {$gt: 1}}"],
      ["LIMIT 2"],
    ]);
  });

  it("given text the engine rejects, answers syntax with a short message that points at the position", async () => {
    const bad = await run(`db.orders.find({ total: { $gt: } })`);
    expect(bad.ok ? "ok" : [bad.reason, bad.message]).toEqual([
      "syntax",
      "Argument 1 of find(): invalid character '}' at line 1, column 32",
    ]);
    const unknown = await run(`db.orders.fnd({})`);
    expect(unknown.ok ? "ok" : [unknown.reason, unknown.message]).toEqual([
      "syntax",
      "Unknown method fnd() on db.orders at line 1, column 11",
    ]);
  });

  it("given a query that fails while running, answers runtime with mingo's own first line", async () => {
    const out = await run(`db.orders.find({ $expr: { $divide: [1, "$customer"] } })`);
    expect(out.ok ? "ok" : out.reason).toBe("runtime");
    if (!out.ok) {
      expect(out.message).toMatch(/\$divide/);
      expect(out.message).not.toMatch(/\n|node_modules|\/work\//);
    }
    const stage = await run(`db.orders.aggregate([{ $bogus: 1 }])`);
    expect(stage.ok ? "ok" : [stage.reason, stage.message]).toEqual([
      "runtime",
      "unregistered pipeline operator $bogus.",
    ]);
  });

  it("given a query or check longer than maxQueryBytes, refuses it before running", async () => {
    const long = `db.orders.find({ a: "${"x".repeat(200)}" })`;
    const out = await run(long, {}, { ...limits, maxQueryBytes: 100 });
    expect(out.ok ? "ok" : out.reason).toBe("too-large");
    const check = await run(`db.orders.find()`, { check: long }, { ...limits, maxQueryBytes: 100 });
    expect(check.ok ? "ok" : check.reason).toBe("too-large");
  });

  it("given a dataset that is not valid or not for mongodb, answers unavailable", async () => {
    const unusable: Dataset[] = [
      { id: "mongo-test-broken", engine: "mongodb", setup: "{ not json" },
      { id: "mongo-test-sql", engine: "sqlite", setup: "" },
    ];
    for (const dataset of unusable) {
      const outcome = await sandbox.run({ dataset, query: "db.a.find()", allowWrites: false }, limits);
      expect(outcome.ok ? "ok" : outcome.reason, dataset.id).toBe("unavailable");
    }
  });

  it("given many attempts on the same dataset, builds the dataset once", async () => {
    const before = builds.filter((id) => id === shop.id).length;
    for (let i = 0; i < 3; i++) ok(await run(`db.orders.countDocuments({})`));
    expect(builds.filter((id) => id === shop.id)).toHaveLength(1);
    expect(before).toBe(1);
    const other: Dataset = { id: "mongo-test-other", engine: "mongodb", setup: '{"t":[{"a":1}]}' };
    for (let i = 0; i < 2; i++) {
      ok(await sandbox.run({ dataset: other, query: "db.t.find()", allowWrites: false }, limits));
    }
    expect(builds.filter((id) => id === other.id)).toHaveLength(1);
  });

  it("given several attempts at once, answers each correctly", async () => {
    const queries = Array.from({ length: 10 }, (_, i) => ({
      i,
      query: `db.orders.countDocuments({ total: { $gte: ${i * 10} } })`,
      expected: [120.5, 40, 75, 60, 10].filter((t) => t >= i * 10).length,
    }));
    const outcomes = await Promise.all(
      queries.map(({ i, query }) =>
        i % 3 === 0
          ? run(`db.orders.insertOne({ _id: ${100 + i}, total: 1000 })`, {
              allowWrites: true,
              check: query,
            })
          : run(query),
      ),
    );
    outcomes.forEach((out, k) => {
      const q = queries[k];
      if (q === undefined) throw new Error("missing query");
      expect(ok(out).result.rows).toEqual([[q.expected + (q.i % 3 === 0 ? 1 : 0)]]);
    });
  });

  it("given a closed sandbox, answers unavailable", async () => {
    const own = createMongodbSandbox({ warm: false });
    await own.close();
    const out = await own.run({ dataset: shop, query: "db.orders.find()", allowWrites: false }, limits);
    expect(out.ok ? "ok" : out.reason).toBe("unavailable");
  });
});
