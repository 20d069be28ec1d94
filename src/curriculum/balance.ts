import type { QuizItem } from "../core/curriculum/bank.js";

// Bank-wide rules that keep a quiz from being answered by its shape: the longest choice, the usual
// true/false key, or an item that gives a twin away. Documented in curriculum/README.md.

/** The right single choice may be the strictly longest choice in at most this share of single items. */
export const MAX_LONGEST_RIGHT = 0.4;
/** The share of true-false items whose answer is true must lie in this range. */
export const TRUE_SHARE: readonly [number, number] = [0.4, 0.6];
/** Two items whose words are at least this alike (TF-IDF cosine) are near-duplicates. */
export const NEAR_DUPLICATE = 0.4;

export interface BalanceProblem {
  rule: "longest-right" | "true-share" | "near-duplicate";
  message: string;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

function rightText(item: QuizItem): string {
  switch (item.kind) {
    case "single":
      return item.choices.find((c) => c.id === item.answer)?.text ?? "";
    case "multiple":
      return item.choices
        .filter((c) => item.answer.includes(c.id))
        .map((c) => c.text)
        .join(" ");
    case "short":
      return item.answer.join(" ");
    case "true-false":
      return "";
  }
}

/** Whether the right choice is longer than every other choice. */
function rightIsLongest(item: QuizItem & { kind: "single" }): boolean {
  const right = item.choices.find((c) => c.id === item.answer);
  if (!right) return false;
  return item.choices.every((c) => c.id === right.id || c.text.trim().length < right.text.trim().length);
}

function longestRight(items: readonly QuizItem[]): BalanceProblem[] {
  const singles = items.filter((i): i is QuizItem & { kind: "single" } => i.kind === "single");
  if (singles.length === 0) return [];
  const longest = singles.filter(rightIsLongest);
  const share = longest.length / singles.length;
  if (share <= MAX_LONGEST_RIGHT) return [];
  const shown = longest.slice(0, 8).map((i) => i.id);
  return [
    {
      rule: "longest-right",
      message: `the right choice is the longest in ${longest.length} of ${singles.length} single-choice items (${percent(share)}); at most ${percent(MAX_LONGEST_RIGHT)} may be: make distractors as long and specific as the key (${shown.join(", ")}${longest.length > shown.length ? ", …" : ""})`,
    },
  ];
}

function trueShare(items: readonly QuizItem[]): BalanceProblem[] {
  const flags = items.filter((i) => i.kind === "true-false").map((i) => i.answer === true);
  if (flags.length === 0) return [];
  const share = flags.filter(Boolean).length / flags.length;
  const [low, high] = TRUE_SHARE;
  if (share >= low && share <= high) return [];
  return [
    {
      rule: "true-share",
      message: `${flags.filter(Boolean).length} of ${flags.length} true-false items are true (${percent(share)}); between ${percent(low)} and ${percent(high)} must be, so that "always ${share > high ? "true" : "false"}" does not pay`,
    },
  ];
}

const STOP = new Set(
  "the and for with that this which what when from into are was were has have had not but you your its their they them than then there does did can will would should could any all each one two how why who whose where true false".split(
    " ",
  ),
);

function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/`/g, "")
      .match(/[a-z0-9_$]+/g) ?? []
  ).filter((w) => w.length > 2 && !STOP.has(w));
}

/** Unit vectors of log-scaled term frequency × inverse document frequency over the bank. */
function vectors(texts: readonly string[][]): Map<string, number>[] {
  const documentFrequency = new Map<string, number>();
  for (const text of texts)
    for (const w of new Set(text)) documentFrequency.set(w, (documentFrequency.get(w) ?? 0) + 1);
  return texts.map((text) => {
    const counts = new Map<string, number>();
    for (const w of text) counts.set(w, (counts.get(w) ?? 0) + 1);
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [w, count] of counts) {
      const weight = (1 + Math.log(count)) * Math.log(texts.length / (documentFrequency.get(w) ?? 1));
      vector.set(w, weight);
      norm += weight * weight;
    }
    const length = Math.sqrt(norm) || 1;
    for (const [w, weight] of vector) vector.set(w, weight / length);
    return vector;
  });
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let sum = 0;
  for (const [w, weight] of a) sum += weight * (b.get(w) ?? 0);
  return sum;
}

/** The id without its week prefix: w02-cte-inlining and w07-cte-inlining share "cte-inlining". */
const slug = (id: string) => id.replace(/^w\d+-/, "");

/** Pairs of items that test the same thing: the same slug, or prompt, key and explanation too alike. */
export function nearDuplicates(items: readonly QuizItem[]): { a: string; b: string; similarity: number }[] {
  const texts = items.map((i) => words(`${i.prompt} ${rightText(i)} ${i.explanation}`));
  const vs = vectors(texts);
  const pairs: { a: string; b: string; similarity: number }[] = [];
  for (let x = 0; x < items.length; x++) {
    for (let y = x + 1; y < items.length; y++) {
      const a = items[x] as QuizItem;
      const b = items[y] as QuizItem;
      const similarity = cosine(vs[x] as Map<string, number>, vs[y] as Map<string, number>);
      if (slug(a.id) === slug(b.id) || similarity >= NEAR_DUPLICATE)
        pairs.push({ a: a.id, b: b.id, similarity });
    }
  }
  return pairs;
}

function duplicates(items: readonly QuizItem[]): BalanceProblem[] {
  return nearDuplicates(items).map(({ a, b, similarity }) => ({
    rule: "near-duplicate",
    message:
      slug(a) === slug(b)
        ? `${a} and ${b} test the same thing (same id after the week): make one test another fact`
        : `${a} and ${b} are near-duplicates (similarity ${similarity.toFixed(2)}, limit ${NEAR_DUPLICATE}): make one test another fact`,
  }));
}

/** Every balance rule over the whole bank; empty when the bank passes. */
export function checkBalance(items: readonly QuizItem[]): BalanceProblem[] {
  return [...longestRight(items), ...trueShare(items), ...duplicates(items)];
}
