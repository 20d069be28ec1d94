/**
 * Runs parsed statements with mingo on one attempt's copy of the collections (state.ts): reads
 * here, writes in write.ts. Runs inside the engine child only.
 */
import { Aggregator } from "mingo/aggregator";
import { ProcessingMode } from "mingo/core";
import type { AnyObject } from "mingo/types";
import { argCount, callError, objectArg } from "./arguments.js";
import { describe } from "./explain.js";
import { checkFieldName } from "./operators.js";
import type { Call, Statement } from "./parse.js";
import { aggregatePipeline, findPipeline } from "./pipeline.js";
import { type AttemptState, mingoOptions } from "./state.js";
import { planText, withoutScore } from "./text-search.js";
import { executeWrite, type Output } from "./write.js";

/** mingo's lazy iterator as a JavaScript iterable, so only the rows kept are computed where possible. */
function* lazy(it: { next(): { value?: unknown; done: boolean } }): Generator<unknown> {
  for (;;) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

function* withoutScores(docs: Iterable<unknown>): Generator<unknown> {
  for (const doc of docs) yield withoutScore(doc);
}

/** A read pipeline as mingo runs it, after text search (text-search.ts) has prepared it. */
function read(statement: Statement, state: AttemptState, pipeline: AnyObject[], findProjection = false) {
  const plan = planText(
    state.collection(statement.collection),
    pipeline,
    state.textIndex(statement.collection),
    findProjection,
  );
  const it = new Aggregator(plan.pipeline, mingoOptions(state, ProcessingMode.CLONE_INPUT)).stream(
    plan.docs as AnyObject[],
  );
  return {
    size: () => it.size(),
    // Scored documents carry a hidden field: removed from whatever is returned.
    docs: (): Iterable<unknown> => (plan.scored ? withoutScores(lazy(it)) : lazy(it)),
  };
}

/** Runs one statement; returns what it produces. */
export function execute(statement: Statement, state: AttemptState): Output {
  const [first] = statement.calls as [Call, ...Call[]];
  if (statement.calls.length > 1 && statement.calls.at(-1)?.method === "explain") {
    // cursor.explain(): the plan as the result, one line per row; nothing runs.
    const inner = { ...statement, calls: statement.calls.slice(0, -1) };
    return { docs: describe([inner]).map((plan) => ({ plan })) };
  }
  switch (first.method) {
    case "find": {
      const { pipeline, terminal } = findPipeline(statement);
      const it = read(
        statement,
        state,
        pipeline,
        Object.keys(objectArg(first, 1, "the projection")).length > 0,
      );
      if (terminal === "count") return { count: it.size() };
      return { docs: it.docs() };
    }
    case "findOne": {
      argCount(first, 0, 2);
      const pipeline: AnyObject[] = [{ $match: objectArg(first, 0, "the filter") }, { $limit: 1 }];
      const projection = objectArg(first, 1, "the projection");
      if (Object.keys(projection).length > 0) pipeline.push({ $project: projection });
      return { docs: read(statement, state, pipeline, Object.keys(projection).length > 0).docs() };
    }
    case "aggregate":
      return { docs: read(statement, state, aggregatePipeline(statement)).docs() };
    case "countDocuments":
    case "count": {
      argCount(first, 0, 2);
      const pipeline: AnyObject[] = [{ $match: objectArg(first, 0, "the filter") }];
      const opts = objectArg(first, 1, "the options");
      if (typeof opts.skip === "number" && opts.skip > 0) pipeline.push({ $skip: opts.skip });
      if (typeof opts.limit === "number" && opts.limit > 0) pipeline.push({ $limit: opts.limit });
      return { count: read(statement, state, pipeline).size() };
    }
    case "estimatedDocumentCount":
      argCount(first, 0, 1);
      return { count: state.collection(statement.collection).length };
    case "distinct": {
      argCount(first, 1, 2);
      const field = first.args[0];
      if (typeof field !== "string" || field === "" || field.startsWith("$")) {
        throw callError(first, "the field must be a name such as 'status'");
      }
      checkFieldName(field);
      const filter = objectArg(first, 1, "the filter");
      const pipeline = [
        { $match: filter },
        { $unwind: { path: `$${field}` } },
        { $group: { _id: `$${field}` } },
        { $sort: { _id: 1 } },
        { $project: { _id: 0, value: "$_id" } },
      ];
      return { docs: read(statement, state, pipeline).docs() };
    }
    default:
      return executeWrite(statement, first, state);
  }
}
