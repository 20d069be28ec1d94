import { describe, expect, it } from "vitest";
import type { QuizItem } from "../curriculum/bank.js";
import { challengePoints, markAnswer, normaliseShortAnswer, speedBonus } from "./scoring.js";

const base = {
  week: 1,
  difficulty: "easy" as const,
  topics: ["joins"],
  tracks: [] as string[],
  prompt: "A question?",
  explanation: "x".repeat(40),
};

describe("marking answers", () => {
  it("given a multiple-choice answer in any order or spacing, compares the set of letters", () => {
    const item: QuizItem = {
      ...base,
      id: "m",
      kind: "multiple",
      choices: [
        { id: "a", text: "A" },
        { id: "b", text: "B" },
        { id: "c", text: "C" },
      ],
      answer: ["a", "c"],
    };
    expect(markAnswer(item, "c, A")).toEqual({ ok: true, value: { correct: true, response: "a,c" } });
    expect(markAnswer(item, "a")).toEqual({ ok: true, value: { correct: false, response: "a" } });
    expect(markAnswer(item, "a,z")).toMatchObject({ ok: false });
  });

  it("given a short answer with other case, spacing or punctuation, accepts it", () => {
    expect(normaliseShortAnswer('  "Left   Outer JOIN." ')).toBe("left outer join");
    const item: QuizItem = { ...base, id: "s", kind: "short", answer: ["LEFT JOIN", "LEFT OUTER JOIN"] };
    expect(markAnswer(item, "left outer join")).toMatchObject({ ok: true, value: { correct: true } });
  });
});

describe("points", () => {
  it("given a first-try success, adds the bonus; after failures, only the base", () => {
    expect(challengePoints("hard", 0)).toEqual({ points: 35, firstTry: true });
    expect(challengePoints("hard", 2)).toEqual({ points: 30, firstTry: false });
  });

  it("given answers to the daily question, pays more the sooner they come", () => {
    const posted = new Date("2026-03-03T08:00:00Z");
    const answeredAfter = (hours: number) =>
      speedBonus(posted, new Date(posted.getTime() + hours * 3_600_000));
    expect([
      answeredAfter(0.5),
      answeredAfter(2),
      answeredAfter(6),
      answeredAfter(13),
      answeredAfter(-1),
    ]).toEqual([5, 3, 1, 0, 0]);
  });
});
