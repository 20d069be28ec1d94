/**
 * Accumulators and expression operators whose mingo versions answer differently from MongoDB 8.0, replaced
 * so that a learner's query gives here what it gives on a real server. Each difference, as documented by
 * MongoDB (mongodb.com/docs/manual/reference/operator/aggregation/…):
 *
 * - `$top` / `$bottom` return the output of one document (mingo: a one-element array); `$topN` /
 *   `$bottomN` return arrays. Missing outputs become null; `n` must be a positive integer and may depend
 *   on the group's `_id`.
 * - `$push` and `$addToSet` skip documents where the expression is missing (mingo: pushed null); an
 *   explicit null is kept.
 * - `$stdDevPop` / `$stdDevSamp` of no numbers are null, and `$stdDevSamp` of a single number is null
 *   (mingo: NaN and 0).
 * - `$median` / `$percentile` need `method`, sort numerically (mingo sorted text-wise, so 100 < 9) and
 *   return null (`$median`) or an array of nulls (`$percentile`) when there is no number. "approximate"
 *   and "discrete" take the nearest-rank value (the value at rank ⌈p·n⌉), "continuous" interpolates
 *   between the two closest ranks. MongoDB's own expression form uses the same discrete rule for
 *   "approximate"; its `$group` accumulator uses a t-digest, which can differ slightly on large groups.
 * - As expressions, `$sum`, `$avg`, `$max`, `$min`, `$stdDevPop` and `$stdDevSamp` take one operand
 *   (an array is traversed; a scalar counts as itself; missing counts as nothing) or a list of operands
 *   (arrays in the list are not traversed). mingo failed on anything but an array.
 * - `$first` / `$last` as array expressions: null for null or missing, nothing (the field is left out)
 *   for an empty array, an error for a non-array, and nested arrays are never flattened.
 * - `$size` fails when its argument is not an array, missing included.
 *
 * mingo's calling convention is kept: an expression operator that is also an accumulator receives an
 * array as `obj` when it runs as an accumulator (in `$group`) and a document otherwise.
 */
import { evalExpr } from "mingo/core";
import { Lazy } from "mingo/lazy";
import * as accumulatorOps from "mingo/operators/accumulator";
import { $sort } from "mingo/operators/pipeline";
import type { AccumulatorOperator, AnyObject, ExpressionOperator, Options } from "mingo/types";
import { unique } from "mingo/util";
import { RuntimeError } from "./runtime-error.js";

type Accumulator = (collection: unknown[], expr: unknown, options: Options) => unknown;
type Expression = (obj: unknown, expr: unknown, options: Options) => unknown;

const mingoPush = accumulatorOps.$push as Accumulator;
const mingoMax = accumulatorOps.$max as Accumulator;
const mingoMin = accumulatorOps.$min as Accumulator;

function isDocument(v: unknown): v is AnyObject {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
  );
}

const isNumber = (v: unknown): v is number => typeof v === "number" && !Number.isNaN(v);

/** BSON type names for messages, as MongoDB prints them. */
function typeName(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof Date) return "date";
  if (v instanceof RegExp) return "regex";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "double";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "object") return "object";
  return typeof v;
}

/**
 * The expression's value for each document, with missing kept as undefined. mingo's $push turns missing
 * into null, but evaluates an array literal element by element, so wrapping the expression keeps it.
 */
function valuesOf(collection: unknown[], expr: unknown, options: Options): unknown[] {
  const wrapped = mingoPush(collection, [expr], options) as unknown[][];
  return wrapped.map((one) => one[0]);
}

/** The group key, which `n` may depend on (mingo keeps it in the options' locals). */
function groupId(options: Options): unknown {
  return (options as { local?: { groupId?: unknown } }).local?.groupId;
}

function positiveInteger(op: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new RuntimeError(
      `'n' must be a positive integer for ${op}, found ${JSON.stringify(value) ?? "missing"}`,
    );
  }
  return value as number;
}

// ---- $top, $bottom, $topN, $bottomN ----------------------------------------------------------------

function sortedBy(op: string, collection: unknown[], spec: AnyObject, options: Options): unknown[] {
  const sortBy = spec.sortBy;
  if (!isDocument(sortBy) || Object.keys(sortBy).length === 0) {
    throw new RuntimeError(`${op} requires a 'sortBy' document such as { score: -1 }`);
  }
  for (const [key, dir] of Object.entries(sortBy)) {
    if (dir !== 1 && dir !== -1) throw new RuntimeError(`${op}: sort direction for '${key}' must be 1 or -1`);
  }
  // A copy: mingo's $sort reorders the array it is given, which is the group's own list of documents.
  return $sort(Lazy([...collection]), sortBy as Record<string, 1 | -1>, options).collect();
}

function selection(op: string, n: number | null, fromEnd: boolean): Accumulator {
  return (collection, expr, options) => {
    if (!isDocument(expr) || !Object.hasOwn(expr, "output")) {
      throw new RuntimeError(`${op} requires an object { ${n === null ? "n, " : ""}sortBy, output }`);
    }
    const count =
      n ??
      positiveInteger(op, Object.hasOwn(expr, "n") ? evalExpr(groupId(options), expr.n, options) : undefined);
    const sorted = sortedBy(op, collection, expr, options);
    const chosen = fromEnd ? sorted.slice(Math.max(0, sorted.length - count)) : sorted.slice(0, count);
    // Missing outputs become null, as MongoDB documents for these four.
    const outputs = mingoPush(chosen, expr.output, options) as unknown[];
    return n === null ? outputs : (outputs[0] ?? null);
  };
}

// ---- $push, $addToSet -------------------------------------------------------------------------------

const $push: Accumulator = (collection, expr, options) => {
  // mingo calls $push without an expression internally for "the documents themselves".
  if (expr === null || expr === undefined) return collection;
  return valuesOf(collection, expr, options).filter((v) => v !== undefined);
};

const $addToSet: Accumulator = (collection, expr, options) =>
  unique(valuesOf(collection, expr, options).filter((v) => v !== undefined));

// ---- numbers: standard deviation, median, percentile --------------------------------------------------

function stdDev(values: unknown[], sample: boolean): number | null {
  const numbers = values.filter(isNumber);
  if (numbers.length === 0 || (sample && numbers.length < 2)) return null;
  const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
  const squares = numbers.reduce((a, x) => a + (x - mean) ** 2, 0);
  return Math.sqrt(squares / (numbers.length - (sample ? 1 : 0)));
}

type Method = "approximate" | "discrete" | "continuous";

function quantileMethod(op: string, spec: AnyObject): Method {
  if (!Object.hasOwn(spec, "method")) {
    throw new RuntimeError(`BSON field '${op}.method' is missing but a required field`);
  }
  const method = spec.method;
  if (method !== "approximate" && method !== "discrete" && method !== "continuous") {
    throw new RuntimeError(`${op} 'method' must be 'approximate', 'discrete' or 'continuous'`);
  }
  return method;
}

function percentiles(spec: AnyObject): number[] {
  const p = spec.p;
  const shape = "The $percentile 'p' field must be an array of numbers from [0.0, 1.0]";
  if (!Array.isArray(p) || p.length === 0)
    throw new RuntimeError(`${shape}, but found: ${JSON.stringify(p)}`);
  for (const x of p) {
    if (!isNumber(x) || x < 0 || x > 1) throw new RuntimeError(`${shape}, but found: ${JSON.stringify(x)}`);
  }
  return p as number[];
}

/** The percentiles of the numbers among `values`, or null for each when there is none. */
function quantiles(values: unknown[], ps: number[], method: Method): (number | null)[] {
  const xs = values.filter(isNumber).sort((a, b) => a - b);
  const n = xs.length;
  return ps.map((p) => {
    if (n === 0) return null;
    if (method === "continuous") {
      const rank = p * (n - 1);
      const lo = Math.floor(rank);
      const hi = Math.ceil(rank);
      return (xs[lo] as number) + (rank - lo) * ((xs[hi] as number) - (xs[lo] as number));
    }
    const rank = p >= 1 ? n - 1 : Math.max(0, Math.ceil(n * p) - 1);
    return xs[rank] as number;
  });
}

function quantileSpec(op: string, expr: unknown): AnyObject {
  if (!isDocument(expr) || !Object.hasOwn(expr, "input")) {
    throw new RuntimeError(`${op} requires an object { input, ${op === "$percentile" ? "p, " : ""}method }`);
  }
  return expr;
}

const $percentileAccumulator: Accumulator = (collection, expr, options) => {
  const spec = quantileSpec("$percentile", expr);
  const ps = percentiles(spec);
  return quantiles(valuesOf(collection, spec.input, options), ps, quantileMethod("$percentile", spec));
};

const $medianAccumulator: Accumulator = (collection, expr, options) => {
  const spec = quantileSpec("$median", expr);
  return quantiles(valuesOf(collection, spec.input, options), [0.5], quantileMethod("$median", spec))[0];
};

/** The values an expression-form quantile works on: one number, or the numbers of a non-empty array. */
function quantileInput(obj: unknown, spec: AnyObject, options: Options): unknown[] {
  const input = evalExpr(obj, spec.input, options);
  if (isNumber(input)) return [input];
  return Array.isArray(input) ? input : [];
}

const $percentileExpression: Expression = (obj, expr, options) => {
  if (Array.isArray(obj)) return $percentileAccumulator(obj, expr, options);
  const spec = quantileSpec("$percentile", expr);
  const ps = percentiles(spec);
  return quantiles(quantileInput(obj, spec, options), ps, quantileMethod("$percentile", spec));
};

const $medianExpression: Expression = (obj, expr, options) => {
  if (Array.isArray(obj)) return $medianAccumulator(obj, expr, options);
  const spec = quantileSpec("$median", expr);
  return quantiles(quantileInput(obj, spec, options), [0.5], quantileMethod("$median", spec))[0];
};

// ---- accumulators used as expressions: $sum, $avg, $max, $min, $stdDevPop, $stdDevSamp ------------------

/**
 * The operands of an accumulator written as an expression: one operand that is an array is traversed,
 * one that is not counts as itself (missing counts as nothing); a list of several is taken as it is.
 */
function operands(obj: unknown, expr: unknown, options: Options): unknown[] {
  const list = Array.isArray(expr) ? expr : [expr];
  if (list.length === 1) {
    const value = evalExpr(obj, list[0], options);
    if (Array.isArray(value)) return value;
    return value === undefined ? [] : [value];
  }
  return list.map((e) => evalExpr(obj, e, options)).filter((v) => v !== undefined);
}

function sum(values: unknown[]): number {
  let total = 0;
  for (const v of values) if (isNumber(v)) total += v;
  return total;
}

function average(values: unknown[]): number | null {
  const numbers = values.filter(isNumber);
  return numbers.length === 0 ? null : sum(numbers) / numbers.length;
}

/** An expression operator that runs `accumulator` in $group and `onValues` on its operands elsewhere. */
function dual(
  accumulator: Accumulator,
  onValues: (values: unknown[], options: Options) => unknown,
): Expression {
  return (obj, expr, options) =>
    Array.isArray(obj) ? accumulator(obj, expr, options) : onValues(operands(obj, expr, options), options);
}

const asAccumulator = (op: unknown) => op as Accumulator;

// ---- $first, $last, $size as array expressions --------------------------------------------------------

/** `{ $op: [x] }` is `{ $op: x }` for one-argument operators. */
function soleArgument(obj: unknown, expr: unknown, options: Options): unknown {
  return evalExpr(obj, Array.isArray(expr) && expr.length === 1 ? expr[0] : expr, options);
}

function arrayEnd(op: "$first" | "$last", accumulator: Accumulator): Expression {
  return (obj, expr, options) => {
    if (Array.isArray(obj)) return accumulator(obj, expr, options);
    const value = soleArgument(obj, expr, options);
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value)) {
      throw new RuntimeError(`${op}'s argument must be an array, but is ${typeName(value)}`);
    }
    // An empty array gives no value at all: the field is left out.
    return op === "$first" ? value[0] : value[value.length - 1];
  };
}

const $size: Expression = (obj, expr, options) => {
  const value = soleArgument(obj, expr, options);
  if (!Array.isArray(value)) {
    throw new RuntimeError(
      `The argument to $size must be an array. Type of argument was: ${typeName(value)}`,
    );
  }
  return value.length;
};

// ---- the replacements ---------------------------------------------------------------------------------

const $top = selection("$top", 1, false);
const $bottom = selection("$bottom", 1, true);
const $topN = selection("$topN", null, false);
const $bottomN = selection("$bottomN", null, true);
const $stdDevPop: Accumulator = (collection, expr, options) =>
  stdDev(valuesOf(collection, expr, options), false);
const $stdDevSamp: Accumulator = (collection, expr, options) =>
  stdDev(valuesOf(collection, expr, options), true);

/** Accumulators, as used by $group, $bucket and $setWindowFields. */
export const accumulatorReplacements: Record<string, AccumulatorOperator> = {
  $top,
  $bottom,
  $topN,
  $bottomN,
  $push,
  $addToSet,
  $stdDevPop,
  $stdDevSamp,
  $median: $medianAccumulator,
  $percentile: $percentileAccumulator,
} as Record<string, AccumulatorOperator>;

/** Expression operators (those that are also accumulators dispatch to the accumulator in $group). */
export const expressionReplacements: Record<string, ExpressionOperator> = {
  $sum: dual(asAccumulator(accumulatorOps.$sum), sum),
  $avg: dual(asAccumulator(accumulatorOps.$avg), average),
  $max: dual(mingoMax, (values, options) => mingoMax(values, null, options)),
  $min: dual(mingoMin, (values, options) => mingoMin(values, null, options)),
  $stdDevPop: dual($stdDevPop, (values) => stdDev(values, false)),
  $stdDevSamp: dual($stdDevSamp, (values) => stdDev(values, true)),
  $first: arrayEnd("$first", asAccumulator(accumulatorOps.$first)),
  $last: arrayEnd("$last", asAccumulator(accumulatorOps.$last)),
  $median: $medianExpression,
  $percentile: $percentileExpression,
  $size,
} as Record<string, ExpressionOperator>;
