/**
 * Text indexes as a MongoDB dataset declares them, and what they index: folding, stop words, stemming
 * and MongoDB's per-field score. The `$text` query that uses them is in text-search.ts.
 */
import type { AnyObject } from "mingo/types";
import type { Doc } from "./protocol.js";
/** A text index as the sandbox keeps it. */
export interface TextIndex {
  name: string;
  /** Indexed field paths and their weights; with `wildcard`, weights for some of every string field. */
  weights: Record<string, number>;
  /** `{ "$**": "text" }`: every string field, at any depth. */
  wildcard: boolean;
  language: Language;
}

/** Collection name → its text index. */
export type TextIndexes = Record<string, TextIndex>;

export type Language = "english" | "none";

/** The hidden field a scored document carries; no learner text can reach it by accident. */
export const scoreField = "\u0000textScore";

export const missingScore = "query requires text score metadata, but it is not available";

export function isDocument(v: unknown): v is AnyObject {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
  );
}

// ---- the index declaration --------------------------------------------------------------------------

export function language(value: unknown, what: string): Language {
  if (value === undefined || value === "english" || value === "en") return "english";
  if (value === "none") return "none";
  throw new Error(`${what}: only "english" and "none" are supported, got ${JSON.stringify(value)}`);
}

/**
 * The indexes a dataset declares for one collection: `[{ key, weights?, default_language?, name? }]`.
 * Text keys make the collection's text index (at most one, as in MongoDB); other keys (1, -1, "hashed")
 * are accepted and change nothing, since the sandbox has no planner. Throws on a malformed declaration.
 */
export function readIndexes(collection: string, specs: unknown): TextIndex | undefined {
  const where = `$indexes.${collection}`;
  if (!Array.isArray(specs)) throw new Error(`${where} must be an array of index specifications`);
  let text: TextIndex | undefined;
  specs.forEach((spec, i) => {
    const at = `${where}[${i}]`;
    if (!isDocument(spec) || !isDocument(spec.key) || Object.keys(spec.key).length === 0) {
      throw new Error(`${at} must be an object with a non-empty 'key'`);
    }
    for (const option of Object.keys(spec)) {
      if (!["key", "weights", "default_language", "name", "unique", "sparse"].includes(option)) {
        throw new Error(`${at}: unknown option '${option}'`);
      }
    }
    const entries = Object.entries(spec.key);
    const textFields = entries.filter(([, v]) => v === "text").map(([k]) => k);
    for (const [field, v] of entries) {
      if (v !== "text" && v !== 1 && v !== -1 && v !== "hashed") {
        throw new Error(`${at}.key.${field}: expected "text", 1, -1 or "hashed"`);
      }
    }
    if (textFields.length === 0) return;
    if (textFields.length !== entries.length) {
      throw new Error(`${at}: a text index here holds text keys only`);
    }
    if (text !== undefined) throw new Error(`${where}: a collection has at most one text index`);
    const wildcard = textFields.includes("$**");
    if (wildcard && textFields.length > 1) throw new Error(`${at}: "$**" covers every field on its own`);
    const weights: Record<string, number> = {};
    if (!wildcard) for (const field of textFields) weights[field] = 1;
    if (spec.weights !== undefined) {
      if (!isDocument(spec.weights)) throw new Error(`${at}.weights must be an object of field: weight`);
      for (const [field, w] of Object.entries(spec.weights)) {
        if (!Number.isInteger(w) || (w as number) < 1 || (w as number) > 99_999) {
          throw new Error(`${at}.weights.${field}: a weight is an integer from 1 to 99999`);
        }
        if (!wildcard && !textFields.includes(field)) {
          throw new Error(`${at}.weights.${field}: the index has no text key '${field}'`);
        }
        weights[field] = w as number;
      }
    }
    text = {
      name: typeof spec.name === "string" ? spec.name : `${textFields.map((f) => `${f}_text`).join("_")}`,
      weights,
      wildcard,
      language: language(spec.default_language, `${at}.default_language`),
    };
  });
  return text;
}

// ---- words ------------------------------------------------------------------------------------------

/** The stop words left out of the index and of searches (a short list; MongoDB's is longer). */
export const stopWords = new Set(
  (
    "a an and are as at be but by for from has have in into is it its of on or that the their " +
    "this to was were will with"
  ).split(" "),
);

/** Letters without their accents: é → e. */
function stripDiacritics(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "");
}

export interface Folding {
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

export function fold(text: string, how: Folding): string {
  const t = how.diacriticSensitive ? text : stripDiacritics(text);
  return how.caseSensitive ? t : t.toLowerCase();
}

export const insensitive: Folding = { caseSensitive: false, diacriticSensitive: false };

/** Words as the tokenizer cuts them: runs of letters, digits and marks; everything else separates. */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

const vowel = /[aeiouy]/;

/** A final double consonant made single (running → runn → run), except ll, ss and zz. */
function undouble(stem: string): string {
  const last = stem.at(-1) ?? "";
  return stem.length > 2 && last === stem.at(-2) && !"aeiouylsz".includes(last) ? stem.slice(0, -1) : stem;
}

/**
 * A light English stemmer: -ies → -y, -sses → -ss, -es after s/x/z/ch/sh, -s (not -ss, -us, -is), then
 * -ing or -ed when a vowel stays before it (with a doubled consonant undone), then a final -e. Only
 * lower-case suffixes are stripped, so in a case-sensitive search "SHOPPING" stays a word of its own.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length < 4) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (/(?:[sxz]|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5 && vowel.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && w.length > 4 && vowel.test(w.slice(0, -2)) && !w.slice(0, -2).endsWith("e")) {
    w = undouble(w.slice(0, -2));
  }
  if (w.endsWith("e") && w.length > 2) w = w.slice(0, -1);
  return w;
}

/** The terms of a text: folded, without stop words, stemmed (unless the language is "none"). */
export function terms(text: string, how: Folding, lang: Language): string[] {
  const out: string[] = [];
  for (const raw of words(text)) {
    const word = fold(raw, how);
    if (lang === "none") {
      out.push(word);
      continue;
    }
    if (stopWords.has(fold(raw, insensitive))) continue;
    out.push(stem(word));
  }
  return out;
}

// ---- the indexed strings of a document ----------------------------------------------------------------

interface FieldText {
  text: string;
  weight: number;
}

/** The strings at a dotted path, through arrays (a multikey path). */
function stringsAt(value: unknown, path: string[]): string[] {
  if (path.length === 0) {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v) => stringsAt(v, path));
  if (!isDocument(value)) return [];
  const [head, ...rest] = path as [string, ...string[]];
  return Object.hasOwn(value, head) ? stringsAt(value[head], rest) : [];
}

/** Every string in a document with its dotted path (for a wildcard index). */
function allStrings(value: unknown, path: string, out: { path: string; text: string }[]): void {
  if (typeof value === "string") out.push({ path, text: value });
  else if (Array.isArray(value)) for (const v of value) allStrings(v, path, out);
  else if (isDocument(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k !== "_id" || path !== "") allStrings(v, path === "" ? k : `${path}.${k}`, out);
    }
  }
}

export function indexedText(doc: Doc, index: TextIndex): FieldText[] {
  if (index.wildcard) {
    const found: { path: string; text: string }[] = [];
    allStrings(doc, "", found);
    return found.map(({ path, text }) => ({ text, weight: index.weights[path] ?? 1 }));
  }
  return Object.entries(index.weights).flatMap(([path, weight]) =>
    stringsAt(doc, path.split(".")).map((text) => ({ text, weight })),
  );
}

/** Each term's score in the document, by MongoDB's formula (see the file comment). */
export function termScores(fields: FieldText[], lang: Language): Map<string, number> {
  const scores = new Map<string, number>();
  for (const { text, weight } of fields) {
    const found = terms(text, insensitive, lang);
    const stats = new Map<string, { count: number; freq: number; exp: number }>();
    for (const term of found) {
      const s = stats.get(term) ?? { count: 0, freq: 0, exp: 0 };
      s.exp = s.exp === 0 ? 1 : s.exp * 2;
      s.count += 1;
      s.freq += 1 / s.exp;
      stats.set(term, s);
    }
    for (const [term, s] of stats) {
      const coeff = (0.5 * s.count) / found.length + 0.5;
      const adjustment = text.length === term.length && text.toLowerCase() === term ? 1.1 : 1;
      scores.set(term, (scores.get(term) ?? 0) + weight * s.freq * coeff * adjustment);
    }
  }
  return scores;
}

// ---- the search string ----------------------------------------------------------------------------------
