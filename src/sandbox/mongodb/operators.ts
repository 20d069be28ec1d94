/**
 * The mingo operators an attempt may use, and safe replacements for the ones that build or read an object
 * with a key computed at run time.
 *
 * parse.ts refuses prototype keys (`__proto__`, `constructor`, `prototype`) written in the text, and
 * mingo refuses `__proto__` in field paths. What neither sees is a name computed while the query runs:
 * `{ $setField: { field: { $concat: ["__pro", "to__"] }, … } }` made mingo assign through the
 * `__proto__` setter and swap the document's prototype, and `$getField` read through the prototype
 * chain (`constructor`, then `prototype`) right up to `Array.prototype`, which an update pipeline could
 * then write into. So $setField, $unsetField, $getField, $arrayToObject and $mergeObjects are replaced
 * here. They are safe by construction:
 * - a prototype name as a field name is refused with a runtime error, whether written or computed;
 * - keys are defined as own data properties (Object.defineProperty), never assigned through a setter;
 * - a read sees the input's own properties only, never its prototype chain.
 * Every other operator that builds documents takes its field names from the text (checked by parse.ts,
 * and by `checkStageNames` below for the names given as string values), or copies the keys of documents
 * these operators built.
 */
import { Context, evalExpr } from "mingo/core";
import * as accumulatorOps from "mingo/operators/accumulator";
import * as expressionOps from "mingo/operators/expression";
import * as pipelineOps from "mingo/operators/pipeline";
import * as projectionOps from "mingo/operators/projection";
import * as queryOps from "mingo/operators/query";
import * as windowOps from "mingo/operators/window";
import type {
  AccumulatorOperator,
  AnyObject,
  ExpressionOperator,
  Options,
  PipelineOperator,
  ProjectionOperator,
  QueryOperator,
  WindowOperator,
} from "mingo/types";
import { accumulatorReplacements, expressionReplacements } from "./accumulators.js";
import { $lookup } from "./lookup.js";
import { QueryError } from "./query-error.js";
import { RuntimeError } from "./runtime-error.js";
import { $meta } from "./text-search.js";

export { RuntimeError };

/** mingo's operator signatures, without its per-operator argument types. */
type Expression = (obj: unknown, expr: unknown, options: Options) => unknown;
type Accumulator = (collection: unknown[], expr: unknown, options: Options) => unknown;

/** Field names that could reach an object's prototype. */
const protoNames = new Set(["__proto__", "constructor", "prototype"]);

const refusal = (name: string) =>
  `the field name '${name}' is not allowed (it could reach an object prototype)`;

/** A field name computed at run time: a string that cannot reach a prototype, else a runtime error. */
function fieldName(op: string, name: unknown): string {
  if (typeof name !== "string") throw new RuntimeError(`${op} requires 'field' to evaluate to a string`);
  if (protoNames.has(name)) throw new RuntimeError(`${op}: ${refusal(name)}`);
  return name;
}

/** A document as MongoDB means it: an object that is not an array, a date or a regular expression. */
function isDocument(v: unknown): v is AnyObject {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
  );
}

/** Sets `key` as an own, enumerable data property: no setter (such as `__proto__`) can run. */
function define(target: AnyObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `into` (a new plain document by default) with the own enumerable fields of `source`, each defined. */
function copyFields(source: AnyObject, into: AnyObject = {}, skipUndefined = false): AnyObject {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (!skipUndefined || value !== undefined) define(into, key, value);
  }
  return into;
}

/**
 * The argument of a one-argument operator: MongoDB unwraps `{ $op: [x] }` to x (mingo does not for the
 * operators replaced here, which kept only the first pair of `$arrayToObject: [[["a", 1], ["b", 2]]]`).
 */
function soleArgument(obj: unknown, expr: unknown, options: Options): unknown {
  return evalExpr(obj, Array.isArray(expr) && expr.length === 1 ? expr[0] : expr, options);
}

/** `{ input, field, value }` → a copy of input with field set (or removed when value is $$REMOVE). */
function setField(op: string, remove: boolean): Expression {
  return (obj, expr, options) => {
    if (!isDocument(expr) || !Object.hasOwn(expr, "input") || !Object.hasOwn(expr, "field")) {
      throw new RuntimeError(`${op} expects an object { input, field${remove ? "" : ", value"} }`);
    }
    if (!remove && !Object.hasOwn(expr, "value")) throw new RuntimeError(`${op} expects a 'value'`);
    const field = fieldName(op, evalExpr(obj, expr.field, options));
    const input = evalExpr(obj, expr.input, options);
    if (input === null || input === undefined) return null;
    if (!isDocument(input)) throw new RuntimeError(`${op} requires 'input' to evaluate to an object`);
    const out = copyFields(input);
    if (remove || expr.value === "$$REMOVE") delete out[field];
    else define(out, field, evalExpr(obj, expr.value, options));
    return out;
  };
}

/** `"name"` (from the current document) or `{ field, input }`: the input's own field, never an inherited one. */
const $getField: Expression = (obj, expr, options) => {
  const long = isDocument(expr) && Object.hasOwn(expr, "field");
  const field = fieldName("$getField", evalExpr(obj, long ? expr.field : expr, options));
  const input = long && Object.hasOwn(expr, "input") ? evalExpr(obj, expr.input, options) : obj;
  if (input === null || input === undefined) return null;
  if (!isDocument(input)) return undefined;
  return Object.hasOwn(input, field) ? input[field] : undefined;
};

/** `[[k, v], …]` or `[{ k, v }, …]` → a document; a later duplicate key wins, as in MongoDB. */
const $arrayToObject: Expression = (obj, expr, options) => {
  const pairs = soleArgument(obj, expr, options);
  if (pairs === null || pairs === undefined) return null;
  const shape = "$arrayToObject requires an array of [key, value] pairs or { k, v } documents";
  if (!Array.isArray(pairs)) throw new RuntimeError(shape);
  const out: AnyObject = {};
  let form: "pair" | "kv" | null = null;
  for (const item of pairs) {
    let key: unknown;
    let value: unknown;
    if (Array.isArray(item) && item.length === 2 && form !== "kv") {
      form = "pair";
      [key, value] = item;
    } else if (isDocument(item) && Object.hasOwn(item, "k") && Object.hasOwn(item, "v") && form !== "pair") {
      form = "kv";
      key = item.k;
      value = item.v;
    } else throw new RuntimeError(shape);
    if (typeof key !== "string") throw new RuntimeError("$arrayToObject requires string keys");
    define(out, fieldName("$arrayToObject", key), value);
  }
  return out;
};

/** Documents merged left to right into a new one; null and missing are skipped. */
function merge(docs: unknown[]): AnyObject {
  const out: AnyObject = {};
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (!isDocument(doc)) throw new RuntimeError("$mergeObjects requires object inputs");
    for (const key of Object.keys(doc)) {
      if (protoNames.has(key)) throw new RuntimeError(`$mergeObjects: ${refusal(key)}`);
    }
    copyFields(doc, out, true);
  }
  return out;
}

/** `{ $mergeObjects: [a, b, …] }`, `{ $mergeObjects: "$doc" }`, and in $group each document's value. */
const $mergeObjectsExpression: Expression = (obj, expr, options) => {
  const docs = evalExpr(obj, expr, options);
  if (docs === null || docs === undefined) return {};
  return merge(Array.isArray(docs) ? docs : [docs]);
};

/** The accumulator form ($setWindowFields calls it directly): each document's value ($push), merged. */
const $mergeObjectsAccumulator: Accumulator = (collection, expr, options) => {
  const values: unknown = (accumulatorOps.$push as Accumulator)(collection, expr, options);
  return merge(Array.isArray(values) ? values : []);
};

/** The expression operators replaced by the safe versions above. */
const replacements: Record<string, Expression> = {
  $setField: setField("$setField", false),
  $unsetField: setField("$unsetField", true),
  $getField,
  $arrayToObject,
  $mergeObjects: $mergeObjectsExpression,
};

/** Operators that run JavaScript or write outside the attempt: not even registered in the context. */
const unsafeOperators = new Set(["$where", "$function", "$accumulator", "$out", "$merge"]);

/**
 * mingo's $setWindowFields computes each output field through an internal `{ $function: { body, args } }`
 * whose body is one of its own closures, and registers mingo's $function (which needs scripts on) when
 * none is. This one runs only a body that is already a function: learner text is parsed as data (JSON5)
 * and refused when it names $function, and datasets are JSON, so neither can supply one.
 */
const internalFunction: Expression = (obj, expr, options) => {
  if (!isDocument(expr) || typeof expr.body !== "function") {
    throw new RuntimeError("$function is not available: it runs JavaScript");
  }
  const args = evalExpr(obj, expr.args, options);
  return (expr.body as (...values: unknown[]) => unknown)(...(Array.isArray(args) ? args : []));
};

function safe<T>(ops: object): Record<`$${string}`, T> {
  const out: Record<`$${string}`, T> = {};
  for (const [name, op] of Object.entries(ops)) {
    if (name.startsWith("$") && !unsafeOperators.has(name) && typeof op === "function") {
      out[name as `$${string}`] = op as T;
    }
  }
  return out;
}

/**
 * Every mingo operator except the unsafe ones, with the object builders replaced by the safe ones above,
 * the operators mingo answers differently from MongoDB replaced (accumulators.ts, and lookup.ts for the
 * concise $lookup), `$meta` for text scores (text-search.ts) and the internal $function of $setWindowFields.
 */
export const safeContext = Context.init({
  accumulator: {
    ...safe<AccumulatorOperator>(accumulatorOps),
    ...accumulatorReplacements,
    $mergeObjects: $mergeObjectsAccumulator as AccumulatorOperator,
  },
  expression: {
    ...safe<ExpressionOperator>(expressionOps),
    ...expressionReplacements,
    ...safe<ExpressionOperator>(replacements),
    $meta: $meta as ExpressionOperator,
    $function: internalFunction as ExpressionOperator,
  },
  pipeline: { ...safe<PipelineOperator>(pipelineOps), $lookup: $lookup as unknown as PipelineOperator },
  projection: safe<ProjectionOperator>(projectionOps),
  query: safe<QueryOperator>(queryOps),
  window: safe<WindowOperator>(windowOps),
});

function blockedName(name: unknown): void {
  if (typeof name === "string" && protoNames.has(name)) {
    throw new QueryError(
      "blocked",
      `The field name '${name}' is not allowed (it could reach an object prototype)`,
    );
  }
}

/**
 * Field names given as string values rather than keys, which parse.ts cannot tell from data: the name
 * $count writes, $lookup's and $graphLookup's `as`, $unwind's `includeArrayIndex`, $densify's `field`,
 * in every stage and nested pipeline ($facet, $lookup, $unionWith).
 */
export function checkStageNames(stages: unknown): void {
  if (!Array.isArray(stages)) return;
  for (const stage of stages) {
    if (!isDocument(stage)) continue;
    for (const [op, spec] of Object.entries(stage)) {
      if (op === "$count") blockedName(spec);
      if (!isDocument(spec)) continue;
      if (op === "$lookup" || op === "$graphLookup") {
        blockedName(spec.as);
        blockedName(spec.depthField);
        checkStageNames(spec.pipeline);
      }
      if (op === "$unwind") blockedName(spec.includeArrayIndex);
      if (op === "$densify") blockedName(spec.field);
      if (op === "$unionWith") checkStageNames(spec.pipeline);
      if (op === "$facet") for (const sub of Object.values(spec)) checkStageNames(sub);
    }
  }
}

/** An update document's $rename targets, and an update pipeline's stages. */
export function checkUpdateNames(update: unknown): void {
  if (Array.isArray(update)) checkStageNames(update);
  else if (isDocument(update) && isDocument(update.$rename)) {
    for (const target of Object.values(update.$rename)) blockedName(target);
  }
}

/** A field name given to distinct(). */
export function checkFieldName(name: string): void {
  blockedName(name);
}
