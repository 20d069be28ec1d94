import type { Difficulty, QuizItem } from "../curriculum/bank.js";
import type { Cohort } from "../ports/cohorts.js";
import type { ResponseTally } from "../ports/progress.js";
import { KEY_PREFIX } from "../rules/scoring.js";
import type { ReportContext } from "./cohort-health.js";

export type BankEntryKind = QuizItem["kind"] | "challenge";

/** The wrong choice the cohort picked most often, by the bank's choice id. */
export interface CommonWrongChoice {
  choiceId: string;
  text: string;
  /** Wrong answers that picked it. */
  count: number;
}

export interface BankEntry {
  id: string;
  kind: BankEntryKind;
  difficulty: Difficulty;
  /** A challenge's title, or the start of a quiz item's prompt. */
  summary: string;
  /** Attempts made in the cohort (learners who have since left included) and how many were right. */
  attempts: number;
  correct: number;
  /** Whole percent right; null before any attempt. */
  percentRight: number | null;
  /** Choice items only; null when no wrong answer names a choice (or the item has none). */
  commonWrong: CommonWrongChoice | null;
}

export interface BankWeek {
  week: number;
  title: string;
  items: BankEntry[];
  challenges: BankEntry[];
  /** Attempts at the week's items and challenges together. */
  attempts: number;
}

export interface CohortBank {
  cohort: Cohort;
  weeks: BankWeek[];
}

const SUMMARY_LENGTH = 120;

/** The prompt's words before its first code block, on one line and cut short. */
export function promptSummary(prompt: string): string {
  const words = (prompt.split("```")[0] ?? "")
    .replace(/[`*_#>]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const text = words || prompt.replace(/\s+/g, " ").trim();
  return text.length <= SUMMARY_LENGTH ? text : `${text.slice(0, SUMMARY_LENGTH - 1).trimEnd()}…`;
}

/**
 * The choice ids a stored response names. markAnswer stores the bank's ids ("b", "a,c") whether the
 * learner typed a letter of their shown order or pressed a button, and did so before choices were
 * shuffled too; a raw button value ("key:b") reads the same. Null when any part is not one of the
 * item's choices (say the bank changed since): such a response is not counted.
 */
export function choiceIdsOf(
  item: QuizItem & { kind: "single" | "multiple" },
  response: string,
): string[] | null {
  const text = response.trim();
  const body = text.startsWith(KEY_PREFIX) ? text.slice(KEY_PREFIX.length) : text;
  const ids = body.split(",").map((part) => part.trim());
  const known = new Set(item.choices.map((c) => c.id));
  return ids.length > 0 && ids.every((id) => known.has(id)) ? ids : null;
}

/**
 * The most common wrong choice among an item's wrong responses: for a single item the choice given,
 * for a multiple item each picked choice that is not a right one. Ties go to the choice listed first.
 */
export function commonWrongChoice(
  item: QuizItem,
  wrong: readonly Pick<ResponseTally, "response" | "count">[],
): CommonWrongChoice | null {
  if (item.kind !== "single" && item.kind !== "multiple") return null;
  const right = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
  const counts = new Map<string, number>();
  for (const { response, count } of wrong) {
    for (const id of choiceIdsOf(item, response) ?? []) {
      if (!right.has(id)) counts.set(id, (counts.get(id) ?? 0) + count);
    }
  }
  let best: CommonWrongChoice | null = null;
  for (const choice of item.choices) {
    const count = counts.get(choice.id) ?? 0;
    if (count > 0 && (best === null || count > best.count))
      best = { choiceId: choice.id, text: choice.text, count };
  }
  return best;
}

const percent = (correct: number, attempts: number) =>
  attempts === 0 ? null : Math.round((100 * correct) / attempts);

/** The question bank week by week, with how the cohort did on each item and challenge. */
export async function cohortBank(ctx: ReportContext, cohort: Cohort): Promise<CohortBank> {
  const { bank, weeks } = ctx.curriculum;
  const choiceItems = bank.items.filter((i) => i.kind === "single" || i.kind === "multiple").map((i) => i.id);
  const [tallies, wrong] = await Promise.all([
    ctx.store.progress.questionTallies(cohort.id),
    ctx.store.progress.wrongResponses(cohort.id, choiceItems),
  ]);
  const tallyOf = new Map(tallies.map((t) => [t.questionId, t]));
  const wrongOf = new Map<string, ResponseTally[]>();
  for (const row of wrong) wrongOf.set(row.questionId, [...(wrongOf.get(row.questionId) ?? []), row]);
  const entry = (id: string, kind: BankEntryKind, difficulty: Difficulty, summary: string) => {
    const tally = tallyOf.get(id);
    const attempts = tally?.attempts ?? 0;
    const correct = tally?.correct ?? 0;
    return { id, kind, difficulty, summary, attempts, correct, percentRight: percent(correct, attempts) };
  };
  const byWeek = weeks.map((week): BankWeek => {
    const items = bank.items
      .filter((i) => i.week === week.week)
      .map((i) => ({
        ...entry(i.id, i.kind, i.difficulty, promptSummary(i.prompt)),
        commonWrong: commonWrongChoice(i, wrongOf.get(i.id) ?? []),
      }));
    const challenges = bank.challenges
      .filter((c) => c.week === week.week)
      .map((c) => ({ ...entry(c.id, "challenge", c.difficulty, c.title), commonWrong: null }));
    const attempts = [...items, ...challenges].reduce((sum, e) => sum + e.attempts, 0);
    return { week: week.week, title: week.title, items, challenges, attempts };
  });
  return { cohort, weeks: byWeek };
}
