/**
 * Text indexes and `$text` queries, emulated on top of mingo (which has neither).
 *
 * A dataset declares its text indexes (dataset.ts reads them from a top-level "$indexes" key). A query's
 * `$text` (in a find filter, or in the first `$match` of a pipeline) is taken out of the filter and run
 * here over the collection: the matching documents go on to mingo, each carrying its score in a hidden
 * field that `{ $meta: "textScore" }` reads (in projections, `$addFields`/`$project`/`$set`, `$group`
 * and `$sort`), and that is removed from everything the query returns.
 *
 * MongoDB's rules, as documented for `$text` (mongodb.com/docs/manual/reference/operator/query/text/):
 * - words are OR-ed; a `"quoted phrase"` must appear (several phrases: all of them); a `-word` or
 *   `-"phrase"` excludes the documents containing it (a negation runs to the next space); a search of
 *   only negations matches nothing; a hyphen inside a word (`pre-market`) separates two words;
 * - case- and diacritic-insensitive unless `$caseSensitive` / `$diacriticSensitive` is true;
 * - stop words are ignored and words are stemmed, so a search matches whole stemmed words: `shop`
 *   finds "shopping" but `blue` does not find "blueberry"; a phrase is matched as text in one field
 *   (so "coffee shop" is found in "Coffee Shopping");
 * - one `$text` per query, not inside `$or`, `$nor`, `$not` or `$elemMatch`; in a pipeline only in the
 *   first `$match`; a collection without a text index fails with "text index required for $text query".
 *
 * What is simplified (languages "english" and "none" only):
 * - stop words: a short English list (`stopWords` below), not MongoDB's full one;
 * - stemming: a light suffix stripper (plural -s/-es/-ies, -ing, -ed, a final -e; see `stem`), not
 *   Snowball. Words of one family reduce to one stem, which is what matching needs;
 * - the score follows MongoDB's formula: per field, each stemmed word scores
 *   weight × (1 + ½ + ¼ + … one term per occurrence) × (0.5 + 0.5 × occurrences ÷ words in the field),
 *   × 1.1 when the field is that one word; a document's score is the sum over the distinct words of the
 *   search. It is deterministic, and equal to MongoDB's wherever the stems and stop words agree;
 * - `language_override` (a per-document language) is not read.
 */
import type { AnyObject, Options } from "mingo/types";
import type { Doc } from "./protocol.js";
import { RuntimeError } from "./runtime-error.js";
import {
  type Folding,
  fold,
  indexedText,
  insensitive,
  isDocument,
  type Language,
  language,
  missingScore,
  scoreField,
  type TextIndex,
  termScores,
  terms,
  words,
} from "./text-index.js";

export interface TextSearch {
  search: string;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
  language?: Language;
}

interface ParsedSearch {
  positive: string[];
  negative: string[];
  phrases: string[];
  negatedPhrases: string[];
}

/**
 * Splits a $search string into words, negated words and (negated) phrases. A `-` negates when it starts
 * a word (after a space or at the start) and up to the next space; inside a word it separates. An
 * unclosed quote runs to the end.
 */
function parseSearch(search: string): {
  words: string[];
  negated: string[];
  phrases: string[];
  negatedPhrases: string[];
} {
  const out = {
    words: [] as string[],
    negated: [] as string[],
    phrases: [] as string[],
    negatedPhrases: [] as string[],
  };
  let i = 0;
  const n = search.length;
  while (i < n) {
    const c = search[i] as string;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const negate = c === "-" && i + 1 < n && !/\s/u.test(search[i + 1] as string);
    if (negate) i++;
    if (search[i] === '"') {
      const end = search.indexOf('"', i + 1);
      const phrase = search.slice(i + 1, end === -1 ? n : end);
      i = end === -1 ? n : end + 1;
      if (phrase.trim() !== "") (negate ? out.negatedPhrases : out.phrases).push(phrase);
      continue;
    }
    let j = i;
    while (j < n && !/\s/u.test(search[j] as string) && search[j] !== '"') j++;
    const chunk = search.slice(i, j);
    i = j;
    // A negation runs to the next space: "-pre-market" negates both words; "pre-market" searches both.
    (negate ? out.negated : out.words).push(...words(chunk));
  }
  return out;
}

function searchTerms(raw: string[], how: Folding, lang: Language): string[] {
  return [...new Set(raw.flatMap((w) => terms(w, how, lang)))];
}

function parse(text: TextSearch, lang: Language): ParsedSearch {
  const how: Folding = text;
  const p = parseSearch(text.search);
  const phraseWords = p.phrases.flatMap(words);
  return {
    positive: searchTerms([...p.words, ...phraseWords], how, lang),
    negative: searchTerms(p.negated, how, lang),
    phrases: p.phrases.map((ph) => fold(ph, how)),
    negatedPhrases: p.negatedPhrases.map((ph) => fold(ph, how)),
  };
}

/**
 * The documents a $text search matches, each a copy carrying its score in `scoreField`, in collection
 * order (MongoDB does not sort by score unless asked).
 */
export function runTextSearch(docs: readonly Doc[], index: TextIndex, text: TextSearch): Doc[] {
  const lang = text.language ?? index.language;
  const how: Folding = text;
  const query = parse(text, lang);
  // Score with the case- and diacritic-insensitive terms, as the index holds them.
  const scoring =
    text.caseSensitive || text.diacriticSensitive ? parse({ ...text, ...insensitive }, lang) : query;
  if (query.positive.length === 0) return [];
  const out: Doc[] = [];
  for (const doc of docs) {
    const fields = indexedText(doc, index);
    const present = new Set(fields.flatMap((f) => terms(f.text, how, lang)));
    if (!query.positive.some((t) => present.has(t))) continue;
    if (query.negative.some((t) => present.has(t))) continue;
    const folded = fields.map((f) => fold(f.text, how));
    if (!query.phrases.every((ph) => folded.some((f) => f.includes(ph)))) continue;
    if (query.negatedPhrases.some((ph) => folded.some((f) => f.includes(ph)))) continue;
    const scores = termScores(fields, lang);
    let score = 0;
    for (const t of scoring.positive) score += scores.get(t) ?? 0;
    out.push({ ...doc, [scoreField]: score });
  }
  return out;
}

// ---- $text and $meta in a query ---------------------------------------------------------------------------

const textError = (message: string) => new RuntimeError(message);

/** The `$text` argument, checked. */
function readText(value: unknown): TextSearch {
  if (!isDocument(value)) throw textError('$text expects an object such as { $search: "words" }');
  for (const key of Object.keys(value)) {
    if (!["$search", "$language", "$caseSensitive", "$diacriticSensitive"].includes(key)) {
      throw textError(`$text: unknown field '${key}'`);
    }
  }
  if (typeof value.$search !== "string") throw textError("$text requires a string $search");
  for (const flag of ["$caseSensitive", "$diacriticSensitive"] as const) {
    if (value[flag] !== undefined && typeof value[flag] !== "boolean") {
      throw textError(`$text: ${flag} must be a boolean`);
    }
  }
  return {
    search: value.$search,
    caseSensitive: value.$caseSensitive === true,
    diacriticSensitive: value.$diacriticSensitive === true,
    ...(value.$language === undefined ? {} : { language: language(value.$language, "$language") }),
  };
}

/** Whether `$text` occurs anywhere in a value (a stage, a filter, a sub-pipeline). */
function mentionsText(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsText);
  if (!isDocument(value)) return false;
  return Object.entries(value).some(([k, v]) => k === "$text" || mentionsText(v));
}

/**
 * Takes `$text` out of a filter: from its top level or from a top-level `$and` (recursively). Returns the
 * rest of the filter and the search, or null when the filter has no $text there. Throws when $text sits
 * where MongoDB refuses it.
 */
function extractText(filter: AnyObject): { rest: AnyObject; text: TextSearch } | null {
  let found: TextSearch | null = null;
  const take = (value: unknown) => {
    if (found !== null) throw textError("Too many text expressions: a query has at most one $text");
    found = readText(value);
  };
  const strip = (f: AnyObject): AnyObject => {
    const rest: AnyObject = {};
    for (const [k, v] of Object.entries(f)) {
      if (k === "$text") take(v);
      else if (k === "$and" && Array.isArray(v)) {
        const parts = v.map((part) => (isDocument(part) ? strip(part) : part));
        const kept = parts.filter((part) => !(isDocument(part) && Object.keys(part).length === 0));
        if (kept.length > 0) rest.$and = kept;
      } else {
        if (k === "$nor" && mentionsText(v)) throw textError("$text is not allowed within $nor");
        if (k === "$or" && mentionsText(v)) {
          throw textError(
            "$text inside $or is not available here: MongoDB needs every other $or clause to use an index",
          );
        }
        if (mentionsText(v)) throw textError(`$text is not allowed inside ${k}`);
        rest[k] = v;
      }
    }
    return rest;
  };
  const rest = strip(filter);
  return found === null ? null : { rest, text: found };
}

/** `{ $meta: "textScore" }`, exactly. */
function isTextScore(value: unknown): boolean {
  return isDocument(value) && Object.keys(value).length === 1 && value.$meta === "textScore";
}

function rewriteSort(spec: AnyObject, scored: boolean): AnyObject {
  const out: AnyObject = {};
  for (const [k, v] of Object.entries(spec)) {
    if (isTextScore(v)) {
      if (!scored) throw textError(missingScore);
      out[scoreField] = -1;
    } else if (isDocument(v)) {
      throw textError(
        `$sort: the only object sort value is { $meta: "textScore" }, found ${JSON.stringify(v)} for '${k}'`,
      );
    } else out[k] = v;
  }
  return out;
}

/** Whether a $project specification includes fields (rather than only excluding some). */
function isInclusion(spec: AnyObject): boolean {
  return Object.entries(spec).some(([k, v]) => k !== "_id" && v !== 0 && v !== false);
}

/**
 * A find() projection with `{ $meta: "textScore" }` fields: in find, a $meta field neither includes nor
 * excludes, so it becomes an $addFields before the projection (and an inclusion when the projection
 * includes fields).
 */
function findProjection(spec: AnyObject): AnyObject[] {
  const meta = Object.keys(spec).filter((k) => isTextScore(spec[k]));
  if (meta.length === 0) return [{ $project: spec }];
  const rest: AnyObject = {};
  for (const [k, v] of Object.entries(spec)) if (!meta.includes(k)) rest[k] = v;
  const add: AnyObject = {};
  for (const k of meta) add[k] = { $meta: "textScore" };
  const stages: AnyObject[] = [{ $addFields: add }];
  if (Object.keys(rest).length === 0) return stages;
  if (isInclusion(rest)) for (const k of meta) rest[k] = 1;
  stages.push({ $project: rest });
  return stages;
}

export interface TextPlan {
  /** The documents the pipeline runs on: the collection, or the $text matches with their scores. */
  docs: readonly Doc[];
  pipeline: AnyObject[];
  /** Whether the documents carry scores, which must then be removed from the output. */
  scored: boolean;
}

/**
 * Prepares a read for mingo: runs the $text search of the first $match (if any) over `docs`, and rewrites
 * `$sort` by text score, inclusion `$project`s (which keep the score, as MongoDB keeps metadata) and, for
 * find(), the projection. `projectionIsFind`: the last stage is a find() projection.
 */
export function planText(
  docs: readonly Doc[],
  pipeline: AnyObject[],
  index: TextIndex | undefined,
  projectionIsFind = false,
): TextPlan {
  let scored = false;
  let source = docs;
  const stages = [...pipeline];
  const first = stages[0];
  if (first !== undefined && isDocument(first.$match)) {
    const extracted = extractText(first.$match);
    if (extracted !== null) {
      if (index === undefined) throw textError("text index required for $text query");
      source = runTextSearch(docs, index, extracted.text);
      stages[0] = { $match: extracted.rest };
      scored = true;
    }
  }
  stages.forEach((stage, i) => {
    if (i > 0 || !isDocument(stage.$match)) {
      if (mentionsText(stage))
        throw textError("$match with $text is only allowed as the first pipeline stage");
    }
  });
  const out: AnyObject[] = [];
  stages.forEach((stage, i) => {
    if (isDocument(stage.$sort)) out.push({ $sort: rewriteSort(stage.$sort, scored) });
    else if (projectionIsFind && i === stages.length - 1 && isDocument(stage.$project)) {
      out.push(...findProjection(stage.$project));
    } else if (scored && isDocument(stage.$project) && isInclusion(stage.$project)) {
      out.push({ $project: { ...stage.$project, [scoreField]: 1 } });
    } else out.push(stage);
  });
  return { docs: source, pipeline: out, scored };
}

/** Whether a filter uses $text (for the methods that cannot: writes). */
export function filterMentionsText(filter: unknown): boolean {
  return mentionsText(filter);
}

/** A copy of a result value without the hidden score field, at any depth. */
export function withoutScore(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutScore);
  if (!isDocument(value)) return value;
  const out: AnyObject = {};
  for (const [k, v] of Object.entries(value)) if (k !== scoreField) out[k] = withoutScore(v);
  return out;
}

/** `{ $meta: "textScore" }` as an expression: the current document's score. */
export function $meta(obj: unknown, expr: unknown, _options: Options): unknown {
  if (expr !== "textScore") {
    throw new RuntimeError(`$meta: only "textScore" is available here, not ${JSON.stringify(expr)}`);
  }
  if (!isDocument(obj) || typeof obj[scoreField] !== "number") throw new RuntimeError(missingScore);
  return obj[scoreField];
}
