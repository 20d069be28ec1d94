import type { Difficulty, QuizItem } from "../curriculum/bank.js";
import { err, ok, type Result } from "../result.js";

export const basePoints: Record<Difficulty, number> = { easy: 10, medium: 20, hard: 30 };
/** For a challenge solved at the first submission. */
export const FIRST_TRY_BONUS = 5;

/** Points for a quiz item: all for a right first answer, none otherwise (quiz items are answered once). */
export function quizPoints(difficulty: Difficulty, correct: boolean): number {
  return correct ? basePoints[difficulty] : 0;
}

/** Points for the first successful submission of a challenge, after `failedBefore` failed ones. */
export function challengePoints(
  difficulty: Difficulty,
  failedBefore: number,
): { points: number; firstTry: boolean } {
  const firstTry = failedBefore === 0;
  return { points: basePoints[difficulty] + (firstTry ? FIRST_TRY_BONUS : 0), firstTry };
}

/** What an attempt earns of the points offered: a question scores once, for a right answer. */
export function attemptPoints(offered: number, correct: boolean, before: { scored: boolean }): number {
  return correct && !before.scored ? offered : 0;
}

/** Short answers match without regard to case, spacing or surrounding punctuation. */
export function normaliseShortAnswer(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[\s"'`.,;:!?()[\]]+|[\s"'`.,;:!?()[\]]+$/g, "");
}

const truthy = new Set(["true", "t", "yes", "y", "1", "right", "correct"]);
const falsy = new Set(["false", "f", "no", "n", "0", "wrong", "incorrect"]);

export interface Marked {
  correct: boolean;
  /** The response as stored: "b", "a,c", "true", or the normalised text. */
  response: string;
}

/** Reads a learner's answer for an item; an answer that cannot be read is a problem to explain, not a wrong answer. */
export function markAnswer(item: QuizItem, raw: string): Result<Marked, string> {
  const text = raw.trim();
  switch (item.kind) {
    case "single": {
      const choice = text.toLowerCase().replace(/[().\s]/g, "");
      if (!item.choices.some((c) => c.id === choice)) {
        return err(`answer with one letter: ${item.choices.map((c) => c.id).join(", ")}`);
      }
      return ok({ correct: choice === item.answer, response: choice });
    }
    case "multiple": {
      const letters = [
        ...new Set(
          text
            .toLowerCase()
            .replace(/[^a-z]/g, "")
            .split(""),
        ),
      ].sort();
      const ids = new Set(item.choices.map((c) => c.id));
      if (letters.length === 0 || letters.some((l) => !ids.has(l))) {
        return err(
          `answer with every right letter, e.g. ${item.choices
            .slice(0, 2)
            .map((c) => c.id)
            .join(",")}`,
        );
      }
      const expected = [...item.answer].sort();
      return ok({ correct: letters.join(",") === expected.join(","), response: letters.join(",") });
    }
    case "true-false": {
      const word = text.toLowerCase();
      if (truthy.has(word)) return ok({ correct: item.answer === true, response: "true" });
      if (falsy.has(word)) return ok({ correct: item.answer === false, response: "false" });
      return err("answer true or false");
    }
    case "short": {
      const given = normaliseShortAnswer(text);
      if (given === "") return err("type your answer after the item id");
      return ok({ correct: item.answer.some((a) => normaliseShortAnswer(a) === given), response: given });
    }
  }
}

/** The right answer in words, for the reply after a wrong one. */
export function describeAnswer(item: QuizItem): string {
  switch (item.kind) {
    case "single": {
      const choice = item.choices.find((c) => c.id === item.answer);
      return `${item.answer.toUpperCase()}: ${choice?.text ?? ""}`;
    }
    case "multiple":
      return item.answer
        .map((id) => `${id.toUpperCase()}: ${item.choices.find((c) => c.id === id)?.text ?? ""}`)
        .join("; ");
    case "true-false":
      return item.answer ? "true" : "false";
    case "short":
      return item.answer[0] ?? "";
  }
}

/** Bonus for a right answer to the daily question: the sooner after it was posted, the more. */
export function speedBonus(postedAt: Date, answeredAt: Date): number {
  const hours = (answeredAt.getTime() - postedAt.getTime()) / 3_600_000;
  if (hours < 0) return 0;
  if (hours <= 1) return 5;
  if (hours <= 3) return 3;
  if (hours <= 12) return 1;
  return 0;
}
