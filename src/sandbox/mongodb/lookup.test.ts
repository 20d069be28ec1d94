/** $lookup in its concise form (localField/foreignField plus a pipeline), as MongoDB 5.0+ runs it. */
import { describe, expect, it } from "vitest";
import { execute } from "./execute.js";
import { parseProgram } from "./parse.js";
import { validate } from "./pipeline.js";
import { AttemptState } from "./state.js";

const collections = new Map([
  [
    "orders",
    [
      { _id: 1, customer: "ana" },
      { _id: 2, customer: "bo" },
      { _id: 3, customer: "cy" },
    ],
  ],
  [
    "payments",
    [
      { _id: 10, customer: "ana", cents: 500 },
      { _id: 11, customer: "ana", cents: 250 },
      { _id: 12, customer: "bo", cents: 900 },
    ],
  ],
]);

function docs(query: string): unknown[] {
  const [statement] = parseProgram(query);
  if (statement === undefined) throw new Error("no statement");
  validate(statement);
  const out = execute(statement, new AttemptState(collections));
  return "docs" in out ? [...out.docs] : [];
}

describe("$lookup with localField, foreignField and a pipeline", () => {
  it("runs the pipeline on each document's own matches, not on the whole collection", () => {
    expect(
      docs(`db.orders.aggregate([
        { $lookup: { from: "payments", localField: "customer", foreignField: "customer", as: "paid",
            pipeline: [{ $group: { _id: null, cents: { $sum: "$cents" } } }, { $project: { _id: 0 } }] } }
      ])`),
    ).toEqual([
      { _id: 1, customer: "ana", paid: [{ cents: 750 }] },
      { _id: 2, customer: "bo", paid: [{ cents: 900 }] },
      { _id: 3, customer: "cy", paid: [] },
    ]);
  });

  it("gives the pipeline the let variables", () => {
    expect(
      docs(`db.orders.aggregate([
        { $match: { _id: 1 } },
        { $lookup: { from: "payments", localField: "customer", foreignField: "customer", as: "big",
            let: { min: 300 }, pipeline: [{ $match: { $expr: { $gte: ["$cents", "$$min"] } } }, { $project: { _id: 1 } }] } }
      ])`),
    ).toEqual([{ _id: 1, customer: "ana", big: [{ _id: 10 }] }]);
  });
});
