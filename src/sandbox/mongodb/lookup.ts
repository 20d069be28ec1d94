/**
 * `$lookup` with both `localField`/`foreignField` and a `pipeline` (MongoDB 5.0's concise form): MongoDB
 * runs the pipeline on the documents the equality matched, per input document. mingo ran it on the
 * whole foreign collection whenever anything matched. This runs mingo's equality join first, then the
 * pipeline (with `let` variables) on each document's matches. The other forms are mingo's own.
 */
import { Lazy } from "mingo/lazy";
import * as pipelineOps from "mingo/operators/pipeline";
import type { AnyObject, Options } from "mingo/types";

type Stage = (
  collection: ReturnType<typeof Lazy>,
  expr: unknown,
  options: Options,
) => ReturnType<typeof Lazy>;

const mingoLookup = pipelineOps.$lookup as unknown as Stage;

/** Where each document's equality matches wait for its pipeline; removed before the stage returns. */
const matchesField = "\u0000lookupMatches";

function isDocument(v: unknown): v is AnyObject {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
  );
}

export const $lookup: Stage = (collection, expr, options) => {
  if (
    !isDocument(expr) ||
    expr.localField === undefined ||
    expr.foreignField === undefined ||
    !Array.isArray(expr.pipeline) ||
    expr.pipeline.length === 0
  ) {
    return mingoLookup(collection, expr, options);
  }
  const { pipeline, let: letVars, as, from, localField, foreignField } = expr;
  const joined = mingoLookup(collection, { from, localField, foreignField, as: matchesField }, options);
  return joined.map((doc: unknown) => {
    const { [matchesField]: matches, ...rest } = doc as AnyObject;
    const spec = { from: matches, pipeline, as, ...(letVars === undefined ? {} : { let: letVars }) };
    const [out] = mingoLookup(Lazy([rest]), spec, options).collect<AnyObject>();
    return out;
  });
};
