import type { Difficulty, QuizItem } from "../curriculum/bank.js";
import { err, ok, type Result } from "../result.js";
import { shownChoices } from "./choice-order.js";
import { matchesNumber } from "./numeric-answer.js";

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

/** What a button sends: the bank's choice ids themselves, whatever order the learner saw. */
export const KEY_PREFIX = "key:";

/**
 * Reads a learner's answer for an item; an answer that cannot be read is a problem to explain, not a
 * wrong answer. Typed letters are the letters of the order `seed` shows; a button's `key:` answer names
 * the bank's choice ids.
 */
export function markAnswer(item: QuizItem, raw: string, seed: string): Result<Marked, string> {
  const text = raw.trim();
  switch (item.kind) {
    case "single":
    case "multiple": {
      const byKey = text.toLowerCase().startsWith(KEY_PREFIX);
      const letters = [
        ...new Set(
          (byKey ? text.slice(KEY_PREFIX.length) : text)
            .toLowerCase()
            .replace(/[^a-z]/g, "")
            .split("")
            .filter(Boolean),
        ),
      ];
      // A button names the bank's ids; only typed letters need the order they were shown in.
      const shown = byKey ? [] : shownChoices(item, seed);
      const ids = letters.map((l) =>
        byKey ? item.choices.find((c) => c.id === l)?.id : shown.find((c) => c.letter === l)?.id,
      );
      const shownLetters = item.choices.map((_, i) => String.fromCharCode(97 + i));
      const readable = letters.length > 0 && ids.every((id) => id !== undefined);
      if (item.kind === "single") {
        const [id] = ids;
        if (!readable || ids.length !== 1 || id === undefined)
          return err(`answer with one letter: ${shownLetters.join(", ")}`);
        return ok({ correct: id === item.answer, response: id });
      }
      if (!readable) {
        return err(`answer with every right letter, e.g. ${shownLetters.slice(0, 2).join(",")}`);
      }
      const picked = (ids as string[]).sort();
      const expected = [...item.answer].sort();
      return ok({ correct: picked.join(",") === expected.join(","), response: picked.join(",") });
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
      const correct = item.answer.some((a) => normaliseShortAnswer(a) === given || matchesNumber(a, text));
      return ok({ correct, response: given });
    }
  }
}

/** A stored response ("b", "a,c", "true", words) as the order `seed` shows it: "C", "A, D". */
export function showResponse(item: QuizItem, response: string, seed: string): string {
  if (item.kind !== "single" && item.kind !== "multiple") return response;
  const shown = shownChoices(item, seed);
  return response
    .split(",")
    .map((id) => shown.find((c) => c.id === id)?.letter.toUpperCase() ?? id)
    .sort()
    .join(", ");
}

/** The right answer in words, with its letters in the order `seed` shows, for the reply after a wrong one. */
export function describeAnswer(item: QuizItem, seed: string): string {
  switch (item.kind) {
    case "single":
    case "multiple": {
      const keys = Array.isArray(item.answer) ? item.answer : [item.answer];
      return shownChoices(item, seed)
        .filter((c) => keys.includes(c.id))
        .map((c) => `${c.letter.toUpperCase()}: ${c.text}`)
        .join("; ");
    }
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
