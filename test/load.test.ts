import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runLoad } from "../bench/load.js";
import { openDatabase } from "../src/db/client.js";
import { tempDir } from "./helpers.js";

const learners = 20;
const answersPerLearner = 3;
const baselineAnswers = 5;
/** The lone learner's warm-up answers are acknowledged and stored like the rest. */
const warmupAnswers = 20;

describe("the load script", () => {
  it("given 20 learners answering 3 questions each at once, reports no errors and every acknowledged answer is stored once", async () => {
    const dir = tempDir();
    const report = await runLoad({ learners, answersPerLearner, baselineAnswers, dir });

    expect(report.errorSamples).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.answers).toBe(learners * answersPerLearner);
    expect(report.answerLatency.count).toBe(learners * answersPerLearner);
    expect(report.baseline.count).toBe(baselineAnswers);
    const others = Object.values(report.otherLatency).reduce((sum, latency) => sum + latency.count, 0);
    expect(others).toBeGreaterThan(0);
    expect(report.requests).toBe(report.answers + others);
    expect(report.outcomes.ok).toBe(report.requests);
    expect(report.acknowledged).toBe(report.answers + warmupAnswers + baselineAnswers);

    // Read the file afresh: one stored answer per acknowledged one, and no learner answered a question twice.
    const database = openDatabase(join(dir, "load.db"), { migrate: false });
    try {
      const stored = database.sqlite
        .prepare(
          "SELECT count(*) AS n, count(DISTINCT member_id || ' ' || question_id) AS distinctAnswers FROM answers",
        )
        .get() as { n: number; distinctAnswers: number };
      expect(stored).toEqual({ n: report.acknowledged, distinctAnswers: report.acknowledged });
    } finally {
      database.close();
    }
  });

  it("given a store that fails some answers, counts each failure as an error", async () => {
    let calls = 0;
    let failed = 0;
    const report = await runLoad({
      learners,
      answersPerLearner,
      baselineAnswers,
      adjustCore: (core) => {
        const { answers } = core.store;
        const record: typeof answers.record = (attempt, decide) => {
          calls++;
          if (calls % 7 === 0) {
            failed++;
            throw new Error("disk on fire");
          }
          return answers.record(attempt, decide);
        };
        return { ...core, store: { ...core.store, answers: { ...answers, record } } };
      },
    });

    expect(failed).toBeGreaterThan(0);
    expect(report.errors).toBe(failed);
    expect(report.errorSamples[0]).toMatch(/Something went wrong on our side/);
    expect(report.acknowledged).toBe(calls - failed);
  });

  it("given pictures that follow their replies, none is still drawing when the load ends", async () => {
    let drawing = 0;
    let asked = 0;
    const report = await runLoad({
      learners,
      answersPerLearner,
      baselineAnswers,
      adjustCore: (core) => ({
        ...core,
        pictures: {
          // Never settled at reply time, so every /streak and /leaderboard picture follows its reply.
          png: async (svg) => {
            asked++;
            drawing++;
            try {
              return await core.pictures.png(svg);
            } finally {
              drawing--;
            }
          },
        },
      }),
    });
    expect(report.errors).toBe(0);
    expect(asked).toBeGreaterThan(0);
    expect(drawing).toBe(0);
  });
});
