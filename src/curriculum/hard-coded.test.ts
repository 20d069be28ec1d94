import { afterAll, describe, expect, it } from "vitest";
import { realCurriculum } from "../../test/helpers.js";
import type { Challenge } from "../core/curriculum/bank.js";
import { Grader, HELD_ONLY_ON_VISIBLE_DATA } from "../core/grading/grader.js";
import { silentLogger } from "../core/ports/logger.js";
import { defaultLimits } from "../core/sandbox.js";
import { closeSandboxes, createSandboxes } from "../sandbox/sandboxes.js";
import { hardCodedCopy } from "./hard-coded.js";

// Every challenge of the bank against a copy of its own visible answer: the copy passes on the dataset a
// learner sees, and the variants catch it.
describe("a hard-coded copy of each challenge's visible answer", () => {
  const { bank } = realCurriculum();
  const sandboxes = createSandboxes();
  const grader = new Grader({
    sandboxes,
    datasets: bank.datasets,
    limits: defaultLimits,
    logger: silentLogger,
  });
  afterAll(() => closeSandboxes(sandboxes));

  async function verdicts(challenge: Challenge): Promise<string> {
    const dataset = bank.datasets.find((d) => d.id === challenge.dataset);
    if (!dataset) return "no dataset";
    const copy = await hardCodedCopy(grader, challenge, dataset);
    // A task graded only by its plan (an index to create) has no values to copy; one whose answer is code
    // the check calls (a function) carries a hand-written copy among its wrong answers.
    if (!copy.ok) {
      if (challenge.plan) return "graded by plan";
      for (const wrong of challenge.wrong) {
        if ((await grader.gradeOn(challenge, wrong.query, 0)).verdict !== "pass") continue;
        const graded = await grader.grade(challenge, wrong.query);
        return graded.verdict === "fail" && graded.feedback === HELD_ONLY_ON_VISIBLE_DATA
          ? "caught"
          : "passes";
      }
      return `no copy: ${copy.why}`;
    }
    const visible = await grader.gradeOn(challenge, copy.query, 0);
    if (visible.verdict !== "pass")
      return `the copy does not reproduce the visible answer: ${visible.verdict}`;
    const graded = await grader.grade(challenge, copy.query);
    return graded.verdict === "fail" && graded.feedback === HELD_ONLY_ON_VISIBLE_DATA ? "caught" : "passes";
  }

  it("given every challenge, passes on the visible dataset and fails on a variant with a word why", {
    timeout: 1_800_000,
  }, async () => {
    // One engine's challenges after another; the engines at once.
    const engines = [...new Set(bank.challenges.map((c) => c.engine))];
    const results = await Promise.all(
      engines.map(async (engine) => {
        const challenges = bank.challenges.filter((c) => c.engine === engine);
        const out: [string, string][] = [];
        for (const challenge of challenges) out.push([challenge.id, await verdicts(challenge)]);
        return out;
      }),
    );
    const uncaught = results
      .flat()
      .filter(([, verdict]) => verdict !== "caught" && verdict !== "graded by plan");
    expect(uncaught).toEqual([]);
  });
});
