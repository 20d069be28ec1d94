import { describe, expect, it } from "vitest";
import type { QuizItem } from "../curriculum/bank.js";
import { shownChoices } from "./choice-order.js";
import { challengePoints, describeAnswer, markAnswer, normaliseShortAnswer, speedBonus } from "./scoring.js";

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
    expect(markAnswer(item, "key:c, A", "ana")).toEqual({
      ok: true,
      value: { correct: true, response: "a,c" },
    });
    expect(markAnswer(item, "key:a", "ana")).toEqual({ ok: true, value: { correct: false, response: "a" } });
    expect(markAnswer(item, "a,z", "ana")).toMatchObject({ ok: false });
  });

  it("given typed letters, reads them in the order that learner was shown and names the key in it", () => {
    const item: QuizItem = {
      ...base,
      id: "s1",
      kind: "single",
      choices: ["a", "b", "c", "d"].map((id) => ({ id, text: `choice ${id}` })),
      answer: "c",
    };
    for (const seed of ["ana", "bo", "cy"]) {
      const shown = shownChoices(item, seed);
      const keyLetter = shown.find((c) => c.id === "c")?.letter ?? "";
      expect(markAnswer(item, keyLetter.toUpperCase(), seed)).toEqual({
        ok: true,
        value: { correct: true, response: "c" },
      });
      const other = shown.find((c) => c.id !== "c")?.letter ?? "";
      expect(markAnswer(item, other, seed)).toMatchObject({ ok: true, value: { correct: false } });
      expect(describeAnswer(item, seed)).toBe(`${keyLetter.toUpperCase()}: choice c`);
    }
  });

  it("given a short answer with other case, spacing or punctuation, accepts it", () => {
    expect(normaliseShortAnswer('  "Left   Outer JOIN." ')).toBe("left outer join");
    const item: QuizItem = { ...base, id: "s", kind: "short", answer: ["LEFT JOIN", "LEFT OUTER JOIN"] };
    expect(markAnswer(item, "left outer join", "ana")).toMatchObject({ ok: true, value: { correct: true } });
  });

  it("given a numeric key, accepts the number written another way and rejects a near miss", () => {
    const item: QuizItem = { ...base, id: "n", kind: "short", answer: ["6400 MB"] };
    expect(markAnswer(item, "6,400", "ana")).toMatchObject({ ok: true, value: { correct: true } });
    expect(markAnswer(item, "6400 GB", "ana")).toMatchObject({ ok: true, value: { correct: false } });
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
