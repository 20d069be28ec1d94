/**
 * Accumulators and expressions answer as MongoDB 8.0 documents them (the expected values come from the
 * operator pages of mongodb.com/docs/manual/reference/operator/aggregation/), where mingo on its own
 * answers differently. Runs parse + execute in process, as the engine child does.
 */
import { describe, expect, it } from "vitest";
import { execute } from "./execute.js";
import { parseProgram } from "./parse.js";
import { validate } from "./pipeline.js";
import type { Doc } from "./protocol.js";
import { AttemptState } from "./state.js";

const scores: Doc[] = [
  { _id: 1, game: "G1", player: "PlayerA", score: 31 },
  { _id: 2, game: "G1", player: "PlayerB", score: 33 },
  { _id: 3, game: "G1", player: "PlayerC", score: 99 },
  { _id: 4, game: "G1", player: "PlayerD", score: 1 },
  { _id: 5, game: "G2", player: "PlayerA", score: 10 },
  { _id: 6, game: "G2", player: "PlayerB", score: 9 },
  { _id: 7, game: "G2", player: "PlayerC", score: 100 },
  { _id: 8, game: "G3", player: "PlayerE" },
  { _id: 9, game: "G3", player: "PlayerF", score: null },
];

const arrays: Doc[] = [
  { _id: 1, x: [1, 2, 3] },
  { _id: 2, x: [[]] },
  { _id: 3, x: [null] },
  { _id: 4, x: [] },
  { _id: 5, x: null },
  { _id: 6 },
  { _id: 7, x: [[1, 2], [3]] },
  { _id: 8, x: 7 },
];

/**
 * The documents a statement returns (one statement, read-only), as JSON: the way cells show them, where
 * an array element mingo leaves undefined is null, as in MongoDB.
 */
function docs(query: string): unknown[] {
  const [statement] = parseProgram(query);
  if (statement === undefined) throw new Error("no statement");
  validate(statement);
  const state = new AttemptState(
    new Map([
      ["scores", scores],
      ["arrays", arrays],
    ]),
  );
  const out = execute(statement, state);
  if (!("docs" in out)) throw new Error("expected documents");
  return JSON.parse(JSON.stringify([...out.docs]));
}

const byGame = (accumulators: string) =>
  docs(`db.scores.aggregate([{ $group: { _id: "$game", ${accumulators} } }, { $sort: { _id: 1 } }])`);

describe("$top and $bottom", () => {
  it("return the output of the one top or bottom document, not an array", () => {
    expect(
      byGame(`best: { $top: { sortBy: { score: -1 }, output: ["$player", "$score"] } },
              worst: { $bottom: { sortBy: { score: -1 }, output: "$player" } }`),
    ).toEqual([
      { _id: "G1", best: ["PlayerC", 99], worst: "PlayerD" },
      { _id: "G2", best: ["PlayerC", 100], worst: "PlayerB" },
      // Missing and null scores sort first; neither is filtered out, and missing output becomes null.
      { _id: "G3", best: ["PlayerE", null], worst: "PlayerF" },
    ]);
  });

  it("given an output field a document lacks, return null for it", () => {
    expect(byGame(`low: { $top: { sortBy: { score: 1 }, output: "$score" } }`)).toContainEqual({
      _id: "G3",
      low: null,
    });
  });

  it("leave the group's order alone for the accumulators after them", () => {
    expect(
      byGame(`best: { $top: { sortBy: { score: -1 }, output: "$player" } }, first: { $first: "$player" }`),
    ).toContainEqual({ _id: "G1", best: "PlayerC", first: "PlayerA" });
  });
});

describe("$topN and $bottomN", () => {
  it("return arrays in sort order, shorter when the group is smaller than n", () => {
    expect(
      byGame(`top2: { $topN: { n: 2, sortBy: { score: -1 }, output: "$score" } },
              bottom3: { $bottomN: { n: 3, sortBy: { score: -1 }, output: "$player" } }`),
    ).toEqual([
      { _id: "G1", top2: [99, 33], bottom3: ["PlayerB", "PlayerA", "PlayerD"] },
      { _id: "G2", top2: [100, 10], bottom3: ["PlayerC", "PlayerA", "PlayerB"] },
      { _id: "G3", top2: [null, null], bottom3: ["PlayerE", "PlayerF"] },
    ]);
  });

  it("compute n from the group key", () => {
    expect(
      byGame(
        `top: { $topN: { n: { $cond: [{ $eq: ["$game", "G2"] }, 1, 2] }, sortBy: { score: -1 }, output: "$score" } }`,
      ),
    ).toEqual([
      { _id: "G1", top: [99, 33] },
      { _id: "G2", top: [100] },
      { _id: "G3", top: [null, null] },
    ]);
  });

  it("refuse an n that is not a positive integer", () => {
    expect(() => byGame(`top: { $topN: { n: 0, sortBy: { score: -1 }, output: "$score" } }`)).toThrow(
      /positive integer/,
    );
  });
});

describe("$firstN, $lastN, $maxN and $minN", () => {
  it("keep nulls in $firstN and $lastN but leave null and missing out of $maxN and $minN", () => {
    expect(
      byGame(`f: { $firstN: { n: 2, input: "$score" } }, l: { $lastN: { n: 1, input: "$score" } },
              mx: { $maxN: { n: 2, input: "$score" } }, mn: { $minN: { n: 2, input: "$score" } }`),
    ).toEqual([
      { _id: "G1", f: [31, 33], l: [1], mx: [99, 33], mn: [1, 31] },
      { _id: "G2", f: [10, 9], l: [100], mx: [100, 10], mn: [9, 10] },
      { _id: "G3", f: [null, null], l: [null], mx: [], mn: [] },
    ]);
  });
});

describe("$push and $addToSet", () => {
  it("skip documents where the value is missing and keep an explicit null", () => {
    expect(
      byGame(`scores: { $push: "$score" }, distinct: { $addToSet: "$score" }, all: { $push: "$player" }`),
    ).toContainEqual({ _id: "G3", scores: [null], distinct: [null], all: ["PlayerE", "PlayerF"] });
  });
});

describe("$first and $last in $group", () => {
  it("give null when the first or last document lacks the field", () => {
    expect(byGame(`first: { $first: "$score" }, last: { $last: "$score" }`)).toContainEqual({
      _id: "G3",
      first: null,
      last: null,
    });
  });
});

describe("$sum, $avg and the standard deviations", () => {
  it("sum non-numbers to 0, average them to null, and give null deviations without enough numbers", () => {
    expect(
      byGame(`sum: { $sum: "$player" }, avg: { $avg: "$player" }, pop: { $stdDevPop: "$score" },
              samp: { $stdDevSamp: "$score" }`),
    ).toContainEqual({ _id: "G3", sum: 0, avg: null, pop: null, samp: null });
    const one = docs(
      `db.scores.aggregate([{ $match: { _id: 1 } }, { $group: { _id: null, pop: { $stdDevPop: "$score" }, samp: { $stdDevSamp: "$score" } } }])`,
    );
    expect(one).toEqual([{ _id: null, pop: 0, samp: null }]);
  });

  it("as expressions, traverse one array operand, count a scalar as itself and a missing one as nothing", () => {
    expect(
      docs(
        `db.arrays.aggregate([{ $project: { sum: { $sum: "$x" }, avg: { $avg: "$x" }, max: { $max: "$x" } } }])`,
      ),
    ).toEqual([
      { _id: 1, sum: 6, avg: 2, max: 3 },
      { _id: 2, sum: 0, avg: null, max: [] },
      { _id: 3, sum: 0, avg: null, max: null },
      { _id: 4, sum: 0, avg: null, max: null },
      { _id: 5, sum: 0, avg: null, max: null },
      { _id: 6, sum: 0, avg: null, max: null },
      { _id: 7, sum: 0, avg: null, max: [3] },
      { _id: 8, sum: 7, avg: 7, max: 7 },
    ]);
  });

  it("as expressions with several operands, do not traverse arrays among them", () => {
    expect(
      docs(
        `db.arrays.aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, sum: { $sum: ["$x", 4, 5] }, min: { $min: [4, null, 2] } } }])`,
      ),
    ).toEqual([{ sum: 9, min: 2 }]);
  });
});

describe("$first and $last on arrays", () => {
  it("give the end element, null for null or missing, and nothing for an empty array, without flattening", () => {
    expect(
      docs(
        `db.arrays.aggregate([{ $match: { _id: { $ne: 8 } } }, { $project: { first: { $first: "$x" }, last: { $last: "$x" } } }])`,
      ),
    ).toEqual([
      { _id: 1, first: 1, last: 3 },
      { _id: 2, first: [], last: [] },
      { _id: 3, first: null, last: null },
      { _id: 4 },
      { _id: 5, first: null, last: null },
      { _id: 6, first: null, last: null },
      { _id: 7, first: [1, 2], last: [3] },
    ]);
  });

  it("fail on a value that is not an array", () => {
    expect(() => docs(`db.arrays.aggregate([{ $project: { first: { $first: "$x" } } }])`)).toThrow(
      /must be an array, but is int/,
    );
  });
});

describe("$size", () => {
  it("fails on a missing or null value instead of returning null", () => {
    expect(() => docs(`db.arrays.aggregate([{ $project: { n: { $size: "$x" } } }])`)).toThrow(
      /must be an array. Type of argument was: null/,
    );
    expect(
      docs(`db.arrays.aggregate([{ $match: { _id: 7 } }, { $project: { n: { $size: "$x" } } }])`),
    ).toEqual([{ _id: 7, n: 2 }]);
  });
});

describe("$median and $percentile", () => {
  it("sort numerically and take the nearest-rank value, null when a group has no number", () => {
    expect(
      byGame(`median: { $median: { input: "$score", method: "approximate" } },
              p: { $percentile: { input: "$score", p: [0.25, 0.9], method: "approximate" } }`),
    ).toEqual([
      { _id: "G1", median: 31, p: [1, 99] },
      { _id: "G2", median: 10, p: [9, 100] },
      { _id: "G3", median: null, p: [null, null] },
    ]);
  });

  it("interpolate with the continuous method", () => {
    expect(byGame(`p: { $percentile: { input: "$score", p: [0.5], method: "continuous" } }`)).toContainEqual({
      _id: "G1",
      p: [32],
    });
  });

  it("as expressions, take a number as itself and the numbers of an array", () => {
    expect(
      docs(
        `db.arrays.aggregate([{ $match: { _id: { $in: [1, 3, 6, 8] } } }, { $project: { m: { $median: { input: "$x", method: "approximate" } } } }])`,
      ),
    ).toEqual([
      { _id: 1, m: 2 },
      { _id: 3, m: null },
      { _id: 6, m: null },
      { _id: 8, m: 7 },
    ]);
  });

  it("require a method and percentiles between 0 and 1", () => {
    expect(() => byGame(`m: { $median: { input: "$score" } }`)).toThrow(/'\$median.method' is missing/);
    expect(() => byGame(`p: { $percentile: { input: "$score", p: [1.5], method: "approximate" } }`)).toThrow(
      /numbers from \[0.0, 1.0\]/,
    );
  });
});

describe("$setWindowFields", () => {
  it("runs window accumulators, with $top unwrapped and an empty window's $first null", () => {
    expect(
      docs(`db.scores.aggregate([
        { $match: { game: "G2" } },
        { $setWindowFields: { partitionBy: "$game", sortBy: { _id: 1 }, output: {
            running: { $sum: "$score", window: { documents: ["unbounded", "current"] } },
            previous: { $first: "$score", window: { documents: [-1, -1] } },
            best: { $top: { sortBy: { score: -1 }, output: "$player" } } } } },
        { $project: { running: 1, previous: 1, best: 1 } }
      ])`),
    ).toEqual([
      { _id: 5, running: 10, previous: null, best: "PlayerC" },
      { _id: 6, running: 19, previous: 10, best: "PlayerC" },
      { _id: 7, running: 119, previous: 9, best: "PlayerC" },
    ]);
  });
});
