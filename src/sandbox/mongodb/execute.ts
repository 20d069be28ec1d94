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
import { executeWrite, type Output } from "./write.js";

/** mingo's lazy iterator as a JavaScript iterable, so only the rows kept are computed where possible. */
function* lazy(it: { next(): { value?: unknown; done: boolean } }): Generator<unknown> {
  for (;;) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Runs one statement; returns what it produces. */
export function execute(statement: Statement, state: AttemptState): Output {
  const [first] = statement.calls as [Call, ...Call[]];
  if (statement.calls.length > 1 && statement.calls.at(-1)?.method === "explain") {
    // cursor.explain(): the plan as the result, one line per row; nothing runs.
    const inner = { ...statement, calls: statement.calls.slice(0, -1) };
    return { docs: describe([inner]).map((plan) => ({ plan })) };
  }
  const docs = () => state.collection(statement.collection);
  const readOpts = () => mingoOptions(state, ProcessingMode.CLONE_INPUT);
  switch (first.method) {
    case "find": {
      const { pipeline, terminal } = findPipeline(statement);
      const it = new Aggregator(pipeline, readOpts()).stream(docs());
      if (terminal === "count") return { count: it.size() };
      return { docs: lazy(it) };
    }
    case "findOne": {
      argCount(first, 0, 2);
      const pipeline: AnyObject[] = [{ $match: objectArg(first, 0, "the filter") }, { $limit: 1 }];
      const projection = objectArg(first, 1, "the projection");
      if (Object.keys(projection).length > 0) pipeline.push({ $project: projection });
      return { docs: new Aggregator(pipeline, readOpts()).run(docs()) };
    }
    case "aggregate":
      return { docs: lazy(new Aggregator(aggregatePipeline(statement), readOpts()).stream(docs())) };
    case "countDocuments":
    case "count": {
      argCount(first, 0, 2);
      const pipeline: AnyObject[] = [{ $match: objectArg(first, 0, "the filter") }];
      const opts = objectArg(first, 1, "the options");
      if (typeof opts.skip === "number" && opts.skip > 0) pipeline.push({ $skip: opts.skip });
      if (typeof opts.limit === "number" && opts.limit > 0) pipeline.push({ $limit: opts.limit });
      return { count: new Aggregator(pipeline, readOpts()).stream(docs()).size() };
    }
    case "estimatedDocumentCount":
      argCount(first, 0, 1);
      return { count: docs().length };
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
      return { docs: new Aggregator(pipeline, readOpts()).run(docs()) };
    }
    default:
      return executeWrite(statement, first, state);
  }
}
