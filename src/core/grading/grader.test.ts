import { describe, expect, it } from "vitest";
import type { Challenge, DatasetSpec } from "../curriculum/bank.js";
import { silentLogger } from "../ports/logger.js";
import { defaultLimits, type RunRequest, type Sandbox } from "../sandbox.js";
import { Grader, HELD_ONLY_ON_VISIBLE_DATA } from "./grader.js";
import { gradingDatasets } from "./variants.js";

/**
 * A sandbox that understands two queries over a dataset whose setup lists numbers, one per line:
 * "max" returns the largest; "say N" returns N whatever the data.
 */
function numbersSandbox(seen: string[]): Sandbox {
  return {
    engine: "redis",
    async run(request: RunRequest) {
      seen.push(request.dataset.id);
      const numbers = request.dataset.setup.split("\n").map(Number);
      const said = /^say (\d+)$/.exec(request.query);
      const value = said ? Number(said[1]) : request.query === "max" ? Math.max(...numbers) : null;
      if (value === null) return { ok: false, reason: "syntax", message: "unknown query", elapsedMs: 1 };
      return {
        ok: true,
        result: { columns: ["value"], rows: [[value]] },
        plan: null,
        truncated: false,
        elapsedMs: 1,
      };
    },
    async close() {},
  };
}

/** A grader over the numbers sandbox; `seen` collects the dataset ids it ran on. */
const graderOver = (seen: string[] = []): Grader =>
  new Grader({
    sandboxes: { redis: numbersSandbox(seen) },
    datasets: [dataset],
    limits: defaultLimits,
    logger: silentLogger,
  });

const dataset: DatasetSpec = {
  id: "numbers",
  engine: "redis",
  description: "A few numbers.",
  setup: "3\n9\n4",
};
const challenge: Challenge = {
  id: "largest-number",
  week: 9,
  engine: "redis",
  dataset: "numbers",
  difficulty: "easy",
  topics: ["redis-data-structures"],
  tracks: [],
  title: "The largest number",
  prompt: "Return the largest number of the dataset.",
  ordered: false,
  writes: false,
  variants: [{ about: "A larger number joins.", setup: "12" }],
  solution: "max",
  alternatives: [],
  wrong: [{ query: "say 3", why: "Not the largest." }],
  hints: [],
  explanation: "The largest number is found by looking at all of them.",
};

describe("grading on the dataset and its variants", () => {
  it("given an answer that computes the result, passes on the dataset and on every variant", async () => {
    const seen: string[] = [];
    const grader = graderOver(seen);
    expect(await grader.grade(challenge, "max")).toEqual({ verdict: "pass" });
    expect(new Set(seen)).toEqual(new Set(["numbers", "numbers~largest-number~1"]));
  });

  it("given an answer that spells out the visible result, fails with a word that it did not hold on other data", async () => {
    const grader = graderOver();
    expect(await grader.gradeOn(challenge, "say 9", 0)).toEqual({ verdict: "pass" });
    expect(await grader.grade(challenge, "say 9")).toEqual({
      verdict: "fail",
      feedback: HELD_ONLY_ON_VISIBLE_DATA,
    });
  });

  it("given a wrong answer, shows the feedback of the visible dataset and never touches the variant", async () => {
    const seen: string[] = [];
    const grader = graderOver(seen);
    const grade = await grader.grade(challenge, "say 4");
    expect(grade).toEqual({
      verdict: "fail",
      feedback: "1 row differs: your result has (4), which the answer doesn't, and lacks (9).",
    });
    expect(seen.every((id) => id === "numbers")).toBe(true);
  });

  it("given a MongoDB variant, its collections replace the dataset's and the others stay", () => {
    const mongo: DatasetSpec = {
      id: "shop",
      engine: "mongodb",
      description: "Shop data.",
      setup: '{"a": [{"x": 1}], "b": [{"y": 2}]}',
    };
    const [, variant] = gradingDatasets(
      { ...challenge, engine: "mongodb", variants: [{ about: "Other a.", setup: '{"a": []}' }] },
      mongo,
    );
    expect(JSON.parse(variant?.setup ?? "")).toEqual({ a: [], b: [{ y: 2 }] });
  });
});
