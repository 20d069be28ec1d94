/**
 * Text indexes and $text queries. The collection and most expectations are the examples of MongoDB's
 * $text page (mongodb.com/docs/manual/reference/operator/query/text/); scores follow MongoDB's formula.
 * In process (parse + execute, as the engine child runs them), plus one run through the sandbox to show
 * a dataset's "$indexes" reach the child.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetRuns, ok } from "../../../test/sandbox-runs.js";
import { type Dataset, defaultLimits, type Sandbox } from "../../core/sandbox.js";
import { buildDataset } from "./dataset.js";
import { execute } from "./execute.js";
import { parseProgram } from "./parse.js";
import { validate } from "./pipeline.js";
import { createMongodbSandbox } from "./sandbox.js";
import { AttemptState } from "./state.js";
import { stem } from "./text-index.js";

const setup = JSON.stringify({
  articles: [
    { _id: 1, subject: "coffee", author: "xyz", views: 50 },
    { _id: 2, subject: "Coffee Shopping", author: "efg", views: 5 },
    { _id: 3, subject: "Baking a cake", author: "abc", views: 90 },
    { _id: 4, subject: "baking", author: "xyz", views: 100 },
    { _id: 5, subject: "Café Con Leche", author: "abc", views: 200 },
    { _id: 6, subject: "Сырники", author: "jkl", views: 80 },
    { _id: 7, subject: "coffee and cream", author: "efg", views: 10 },
    { _id: 8, subject: "Cafe con Leche", author: "xyz", views: 10 },
  ],
  posts: [
    { _id: 1, title: "Backups", body: "Nightly backups of the orders database" },
    { _id: 2, title: "Restore drill", body: "We restored last night's backup in 40 minutes" },
    { _id: 3, title: "Index tuning", body: "A backup window collides with index builds" },
    { _id: 4, title: "Restore, restore, restore", body: "" },
  ],
  plain: [{ _id: 1, subject: "coffee" }],
  $indexes: {
    articles: [{ key: { subject: "text" } }, { key: { views: -1 } }],
    posts: [{ key: { title: "text", body: "text" }, weights: { title: 5 } }],
  },
});

const dataset = buildDataset(setup);

function run(query: string): unknown {
  const statements = parseProgram(query);
  for (const s of statements) validate(s);
  const state = new AttemptState(new Map(Object.entries(dataset.collections)), dataset.textIndexes);
  const [first] = statements;
  if (first === undefined) throw new Error("no statement");
  const out = execute(first, state);
  return "docs" in out ? [...out.docs] : out.count;
}

const ids = (query: string) => (run(query) as { _id: unknown }[]).map((d) => d._id);

describe("a $text search", () => {
  it("ORs its words and matches whole stemmed words, case- and diacritic-insensitively", () => {
    expect(ids(`db.articles.find({ $text: { $search: "coffee" } })`)).toEqual([1, 2, 7]);
    expect(ids(`db.articles.find({ $text: { $search: "bake coffee cake" } })`)).toEqual([1, 2, 3, 4, 7]);
    expect(ids(`db.articles.find({ $text: { $search: "сы́рники CAFÉS" } })`)).toEqual([5, 6, 8]);
  });

  it("requires a quoted phrase, matched as text in one field", () => {
    expect(ids(`db.articles.find({ $text: { $search: "\\"coffee shop\\"" } })`)).toEqual([2]);
    expect(ids(`db.articles.find({ $text: { $search: "cake \\"coffee shop\\"" } })`)).toEqual([2]);
  });

  it("excludes negated words and phrases, and matches nothing when every word is negated", () => {
    expect(ids(`db.articles.find({ $text: { $search: "coffee -shop" } })`)).toEqual([1, 7]);
    expect(ids(`db.articles.find({ $text: { $search: "coffee -\\"and cream\\"" } })`)).toEqual([1, 2]);
    expect(ids(`db.articles.find({ $text: { $search: "-coffee" } })`)).toEqual([]);
  });

  it("treats a hyphen inside a word as a separator, not a negation", () => {
    expect(ids(`db.articles.find({ $text: { $search: "cake-coffee" } })`)).toEqual([1, 2, 3, 7]);
  });

  it("honours $caseSensitive and $diacriticSensitive", () => {
    expect(ids(`db.articles.find({ $text: { $search: "Coffee", $caseSensitive: true } })`)).toEqual([2]);
    expect(
      ids(`db.articles.find({ $text: { $search: "\\"Café Con Leche\\"", $caseSensitive: true } })`),
    ).toEqual([5]);
    expect(ids(`db.articles.find({ $text: { $search: "CAFÉ", $diacriticSensitive: true } })`)).toEqual([5]);
    expect(
      ids(`db.articles.find({ $text: { $search: "leches -cafés", $diacriticSensitive: true } })`),
    ).toEqual([8]);
  });

  it("ignores stop words", () => {
    expect(ids(`db.articles.find({ $text: { $search: "and a the" } })`)).toEqual([]);
  });

  it("combines with the rest of the filter, also under $and", () => {
    expect(ids(`db.articles.find({ author: "xyz", $text: { $search: "coffee bake" } })`)).toEqual([1, 4]);
    expect(
      ids(`db.articles.find({ $and: [{ $text: { $search: "coffee" } }, { views: { $gt: 6 } }] })`),
    ).toEqual([1, 7]);
    expect(run(`db.articles.countDocuments({ $text: { $search: "coffee" } })`)).toBe(3);
  });
});

describe("the text score", () => {
  it("is 0.75 for one word among two, as in MongoDB's example, and is projected with $meta", () => {
    expect(
      run(`db.articles.find({ $text: { $search: "cake" } }, { score: { $meta: "textScore" } })`),
    ).toEqual([{ _id: 3, subject: "Baking a cake", author: "abc", views: 90, score: 0.75 }]);
  });

  it("adds the field weights, and sorts descending with $meta in sort()", () => {
    const found = run(
      `db.posts.find({ $text: { $search: "backup" } }, { title: 1, score: { $meta: "textScore" } }).sort({ score: { $meta: "textScore" } })`,
    );
    // "Backups" alone in a title of weight 5 (5 × 1 × 1) plus 0.5 + 0.5 × 1/4 in its body of four words.
    expect(found).toEqual([
      { _id: 1, title: "Backups", score: 5.625 },
      // One word of five (a, with are stop words): 0.5 + 0.5 × 1/5.
      { _id: 3, title: "Index tuning", score: 0.6 },
      // One of eight (night's is two words): 0.5 + 0.5 × 1/8.
      { _id: 2, title: "Restore drill", score: 0.5625 },
    ]);
  });

  it("counts a repeated word with halving weight: 1 + 1/2 + 1/4 for three", () => {
    const [doc] = run(
      `db.posts.aggregate([{ $match: { $text: { $search: "restoring" } } }, { $match: { _id: 4 } }, { $project: { s: { $meta: "textScore" } } }])`,
    ) as { s: number }[];
    expect(doc?.s).toBe(5 * 1.75);
  });

  it("is kept through $project and $sort in a pipeline and readable in $group", () => {
    expect(
      run(`db.articles.aggregate([
        { $match: { $text: { $search: "coffee cake" } } },
        { $project: { subject: 1 } },
        { $sort: { s: { $meta: "textScore" }, _id: 1 } },
        { $addFields: { score: { $meta: "textScore" } } },
        { $limit: 2 }
      ])`),
    ).toEqual([
      { _id: 1, subject: "coffee", score: 1 },
      { _id: 2, subject: "Coffee Shopping", score: 0.75 },
    ]);
    expect(
      run(
        `db.articles.aggregate([{ $match: { $text: { $search: "coffee" } } }, { $group: { _id: null, best: { $max: { $meta: "textScore" } }, docs: { $push: "$$ROOT" } } }, { $project: { best: 1, n: { $size: "$docs" }, keys: { $objectToArray: { $first: "$docs" } } } }])`,
      ),
    ).toEqual([
      {
        _id: null,
        best: 1,
        n: 3,
        keys: expect.arrayContaining([{ k: "_id", v: 1 }]),
      },
    ]);
  });

  it("never shows its hidden field in what a query returns", () => {
    const out = JSON.stringify(
      run(
        `db.articles.aggregate([{ $match: { $text: { $search: "coffee" } } }, { $group: { _id: null, docs: { $push: "$$ROOT" } } }])`,
      ),
    );
    expect(out).not.toMatch(/textScore|\\u0000/);
  });

  it("is refused where no $text ran", () => {
    expect(() => run(`db.articles.find({}, { score: { $meta: "textScore" } })`)).toThrow(
      "query requires text score metadata, but it is not available",
    );
    expect(() => run(`db.articles.aggregate([{ $sort: { s: { $meta: "textScore" } } }])`)).toThrow(
      /text score metadata/,
    );
  });
});

describe("$text where MongoDB refuses it", () => {
  it("fails on a collection without a text index with MongoDB's message", () => {
    expect(() => run(`db.plain.find({ $text: { $search: "coffee" } })`)).toThrow(
      "text index required for $text query",
    );
    expect(() => run(`db.missing.aggregate([{ $match: { $text: { $search: "coffee" } } }])`)).toThrow(
      "text index required for $text query",
    );
  });

  it("is allowed only in the first $match of a pipeline", () => {
    expect(() =>
      run(
        `db.articles.aggregate([{ $match: { views: { $gt: 1 } } }, { $match: { $text: { $search: "coffee" } } }])`,
      ),
    ).toThrow("$match with $text is only allowed as the first pipeline stage");
    expect(() =>
      run(
        `db.articles.aggregate([{ $lookup: { from: "articles", pipeline: [{ $match: { $text: { $search: "x" } } }], as: "x" } }])`,
      ),
    ).toThrow(/first pipeline stage/);
  });

  it("refuses a second $text, and $text under $nor or $or", () => {
    expect(() =>
      run(`db.articles.find({ $text: { $search: "a" }, $and: [{ $text: { $search: "b" } }] })`),
    ).toThrow(/at most one \$text/);
    expect(() => run(`db.articles.find({ $nor: [{ $text: { $search: "coffee" } }] })`)).toThrow(
      /within \$nor/,
    );
    expect(() => run(`db.articles.find({ $or: [{ $text: { $search: "coffee" } }, { views: 5 }] })`)).toThrow(
      /inside \$or/,
    );
  });

  it("is refused in writes, which the sandbox runs without it", () => {
    expect(() => run(`db.articles.deleteMany({ $text: { $search: "coffee" } })`)).toThrow(/reads only/);
  });
});

describe("the stemmer", () => {
  it("reduces a word family to one stem", () => {
    for (const family of [
      ["shop", "shops", "shopping", "shopped"],
      ["backup", "backups"],
      ["restore", "restored", "restores", "restoring"],
      ["index", "indexes", "indexed", "indexing"],
      ["query", "queries", "querying"],
      ["make", "making"],
    ]) {
      expect(new Set(family.map(stem)).size, family.join(", ")).toBe(1);
    }
    expect(stem("status")).toBe("status");
    expect(stem("blueberry")).not.toBe(stem("blue"));
  });
});

describe("a dataset's $indexes", () => {
  it("are checked when the dataset is built", () => {
    const bad = (indexes: unknown) => () => buildDataset(JSON.stringify({ a: [], $indexes: indexes }));
    expect(bad({ b: [{ key: { x: "text" } }] })).toThrow(/not a collection of the dataset/);
    expect(bad({ a: [{ key: { x: "text" } }, { key: { y: "text" } }] })).toThrow(/at most one text index/);
    expect(bad({ a: [{ key: { x: "text" }, weights: { x: 0 } }] })).toThrow(/integer from 1 to 99999/);
    expect(bad({ a: [{ key: { x: "text" }, weights: { y: 2 } }] })).toThrow(/no text key 'y'/);
    expect(bad({ a: [{ key: { x: "text" }, default_language: "french" }] })).toThrow(/"english" and "none"/);
    expect(() => buildDataset(JSON.stringify({ $other: [] }))).toThrow(/not a collection name/);
  });

  it("support a wildcard text index over every string field", () => {
    const wild = buildDataset(
      JSON.stringify({
        notes: [
          { _id: 1, a: { b: "coffee beans" } },
          { _id: 2, c: ["tea"] },
        ],
        $indexes: { notes: [{ key: { "$**": "text" } }] },
      }),
    );
    const [statement] = parseProgram(`db.notes.find({ $text: { $search: "bean tea" } }, { _id: 1 })`);
    if (statement === undefined) throw new Error("no statement");
    const out = execute(
      statement,
      new AttemptState(new Map(Object.entries(wild.collections)), wild.textIndexes),
    );
    expect("docs" in out ? [...out.docs] : out).toEqual([{ _id: 1 }, { _id: 2 }]);
  });
});

describe("the sandbox with a text index", () => {
  const textDataset: Dataset = { id: "mongo-test-text", engine: "mongodb", setup };
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createMongodbSandbox({ poolSize: 1 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const { run: runIn } = datasetRuns(() => sandbox, textDataset, { ...defaultLimits, timeMs: 5_000 });

  it("sends the dataset's text indexes to the engine and ranks by score", async () => {
    const out = ok(
      await runIn(
        `db.posts.find({ $text: { $search: "backup -index" } }, { _id: 0, title: 1, score: { $meta: "textScore" } }).sort({ score: { $meta: "textScore" } })`,
      ),
    );
    // Field order inside a document carries no meaning (mingo's $project sorts names); compare by name.
    const { columns, rows } = out.result;
    expect(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])))).toEqual([
      { title: "Backups", score: 5.625 },
      { title: "Restore drill", score: 0.5625 },
    ]);
  });

  it("answers a $text query on a collection without a text index with MongoDB's error", async () => {
    const out = await runIn(`db.plain.find({ $text: { $search: "coffee" } })`);
    expect(out.ok ? "ok" : out.message).toBe("text index required for $text query");
  });
});
