import { describe, expect, it } from "vitest";
import { parseProgram } from "./parse.js";
import { maxNesting, QueryError } from "./query-error.js";

function refusal(text: string): { reason: string; message: string } {
  try {
    parseProgram(text);
  } catch (err) {
    if (err instanceof QueryError) return { reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe("the mongosh call-chain parser", () => {
  it("given a find with a filter, a projection and chained calls, reads the collection, methods and JSON5 arguments", () => {
    const [statement] = parseProgram(
      `db.orders.find({ status: "paid", total: { $gt: 50 } }, { _id: 0, customer: 1 }).sort({ total: -1 }).limit(5)`,
    );
    expect(statement?.collection).toBe("orders");
    expect(statement?.calls.map((c) => c.method)).toEqual(["find", "sort", "limit"]);
    expect(statement?.calls[0]?.args).toEqual([
      { status: "paid", total: { $gt: 50 } },
      { _id: 0, customer: 1 },
    ]);
    expect(statement?.calls[1]?.args).toEqual([{ total: -1 }]);
    expect(statement?.calls[2]?.args).toEqual([5]);
  });

  it("given single quotes, trailing commas, comments and calls continued on the next line, accepts them", () => {
    const [statement] = parseProgram(`db.orders.find({
      status: 'paid', // paid only
      /* and big */ total: { $gte: 40, },
    },)
    .sort({ total: 1 })`);
    expect(statement?.calls[0]?.args).toEqual([{ status: "paid", total: { $gte: 40 } }]);
    expect(statement?.calls[1]?.method).toBe("sort");
  });

  it("given several statements separated by semicolons and new lines, returns each in order", () => {
    const statements = parseProgram(`db.a.insertOne({ x: 1 }); db.a.deleteOne({ x: 2 })\ndb.b.find()`);
    expect(statements.map((s) => `${s.collection}.${s.calls[0]?.method}`)).toEqual([
      "a.insertOne",
      "a.deleteOne",
      "b.find",
    ]);
  });

  it("given ISODate, new Date, ObjectId and NumberInt, turns them into a Date, a string and a number", () => {
    const [statement] = parseProgram(
      `db.o.find({ at: { $gte: ISODate("2024-01-02T00:00:00Z"), $lt: new Date('2024-02-01') }, _id: ObjectId("65a1b2c3d4e5f60718293a4b"), n: NumberInt(3) })`,
    );
    const filter = statement?.calls[0]?.args[0] as { at: { $gte: Date; $lt: Date }; _id: string; n: number };
    expect(filter.at.$gte).toBeInstanceOf(Date);
    expect(filter.at.$gte.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(filter.at.$lt.toISOString()).toBe("2024-02-01T00:00:00.000Z");
    expect(filter._id).toBe("65a1b2c3d4e5f60718293a4b");
    expect(filter.n).toBe(3);
  });

  it("given a regex literal, turns it into a RegExp with its flags", () => {
    const [statement] = parseProgram(`db.o.find({ name: /^an[a-z]\\/x/i, tags: { $in: [/a/, /b/] } })`);
    const filter = statement?.calls[0]?.args[0] as { name: RegExp; tags: { $in: RegExp[] } };
    expect(filter.name).toEqual(/^an[a-z]\/x/i);
    expect(filter.tags.$in).toEqual([/a/, /b/]);
  });

  it("given db.getCollection('name'), reads the collection name", () => {
    expect(parseProgram(`db.getCollection("order items").find()`)[0]?.collection).toBe("order items");
  });

  it("given a JSON5 error, answers syntax with the position in the learner's text", () => {
    expect(refusal(`db.orders.find({ total: { $gt: } })`)).toEqual({
      reason: "syntax",
      message: "Argument 1 of find(): invalid character '}' at line 1, column 32",
    });
  });

  it("given text that is not a db call, answers syntax pointing at the start", () => {
    expect(refusal("SELECT * FROM orders")).toEqual({
      reason: "syntax",
      message: "Expected db.<collection>.<method>(…) at line 1, column 1",
    });
    expect(refusal("db.orders.find(").reason).toBe("syntax");
    expect(refusal("db.orders.find({}) db.orders.find()").message).toMatch(/line 1, column 20/);
    expect(refusal("db.orders.find({ a: foo(1) })").message).toMatch(/Function calls are not allowed/);
  });

  it("given $where, $function, $accumulator, $out or $merge anywhere in an argument, answers blocked", () => {
    for (const text of [
      `db.o.find({ $where: "sleep(1)" })`,
      `db.o.find({ $expr: { $function: { body: "x", args: [], lang: "js" } } })`,
      `db.o.aggregate([{ $group: { _id: 1, a: { $accumulator: {} } } }])`,
      `db.o.aggregate([{ $match: {} }, { $out: "other" }])`,
      `db.o.aggregate([{ $facet: { a: [{ $merge: { into: "x" } }] } }])`,
    ]) {
      expect(refusal(text).reason, text).toBe("blocked");
    }
  });

  it("given JavaScript functions, arrow functions or code calls in arguments, answers blocked", () => {
    for (const text of [
      `db.o.find({ $where: function () { return true } })`,
      `db.o.find({ a: (x) => x })`,
      `db.o.find({ a: eval("1") })`,
      `db.o.find({ a: new Function("return 1") })`,
      `db.o.find({ a: require("fs") })`,
    ]) {
      expect(refusal(text).reason, text).toBe("blocked");
    }
  });

  it("given prototype keys or paths, answers blocked", () => {
    for (const text of [
      `db.o.find({ "__proto__": { polluted: 1 } })`,
      `db.o.find({ constructor: { prototype: 1 } })`,
      `db.o.updateOne({}, { $set: { "a.__proto__.polluted": 1 } })`,
      `db.o.aggregate([{ $project: { x: "$constructor.name" } }])`,
    ]) {
      expect(refusal(text).reason, text).toBe("blocked");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("given arguments nested deeper than the limit, answers too-large before parsing them", () => {
    const deep = `db.o.find({ a: ${"[".repeat(maxNesting + 1)}${"]".repeat(maxNesting + 1)} })`;
    expect(refusal(deep).reason).toBe("too-large");
    const ok = `db.o.find({ a: ${"[".repeat(maxNesting - 2)}${"]".repeat(maxNesting - 2)} })`;
    expect(parseProgram(ok)).toHaveLength(1);
  });

  it("given shell methods that run JavaScript or leave the dataset, answers blocked", () => {
    expect(refusal(`db.getSiblingDB("admin").users.find()`).reason).toBe("blocked");
    expect(refusal(`db.o.find().forEach(function (d) { print(d) })`).reason).toBe("blocked");
    expect(refusal(`db.o.mapReduce("m", "r")`).reason).toBe("blocked");
    expect(refusal(`db.eval("1")`).reason).toBe("blocked");
  });
});
