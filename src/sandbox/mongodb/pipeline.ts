/**
 * Which methods a statement may call and in what order, and find()/aggregate() as the pipelines
 * that run them: checked before anything runs, so nothing runs if a later statement is wrong.
 */
import type { AnyObject } from "mingo/types";
import { argCount, callError, intArg, isPlainObject, objectArg, sortSpec } from "./arguments.js";
import { checkStageNames } from "./operators.js";
import type { Call, Statement } from "./parse.js";
import { QueryError } from "./query-error.js";

export const writeMethods = new Set([
  "insertOne",
  "insertMany",
  "updateOne",
  "updateMany",
  "replaceOne",
  "deleteOne",
  "deleteMany",
]);

const readMethods = new Set([
  "find",
  "findOne",
  "aggregate",
  "countDocuments",
  "count",
  "estimatedDocumentCount",
  "distinct",
]);

/** Chained calls allowed after each collection method. */
const cursorMethods: Record<string, Set<string>> = {
  find: new Set(["sort", "skip", "limit", "toArray", "pretty", "count", "itcount", "explain"]),
  aggregate: new Set(["toArray", "pretty", "explain"]),
};

export function isWrite(statement: Statement): boolean {
  return statement.calls.some((c) => writeMethods.has(c.method));
}

/** A find() with its cursor calls, as the equivalent pipeline (mingo's cursor applies the same order). */
export function findPipeline(statement: Statement): { pipeline: AnyObject[]; terminal: "count" | null } {
  const [first, ...rest] = statement.calls as [Call, ...Call[]];
  argCount(first, 0, 2);
  const filter = objectArg(first, 0, "the filter");
  const projection = objectArg(first, 1, "the projection");
  let sort: AnyObject | null = null;
  let skip = 0;
  let limit = 0;
  let terminal: "count" | null = null;
  for (const call of rest) {
    if (terminal !== null) throw callError(call, "cannot follow count()");
    switch (call.method) {
      case "sort":
        sort = sortSpec(call);
        break;
      case "skip":
        skip = intArg(call, "skip");
        if (skip < 0) throw callError(call, "skip must not be negative");
        break;
      case "limit":
        limit = Math.abs(intArg(call, "limit"));
        break;
      case "count":
      case "itcount":
        argCount(call, 0, 1);
        terminal = "count";
        break;
      case "explain":
        argCount(call, 0, 1);
        break;
      default:
        argCount(call, 0, 0);
    }
  }
  const pipeline: AnyObject[] = [{ $match: filter }];
  if (sort !== null && Object.keys(sort).length > 0) pipeline.push({ $sort: sort });
  if (skip > 0) pipeline.push({ $skip: skip });
  if (limit > 0) pipeline.push({ $limit: limit });
  if (Object.keys(projection).length > 0) pipeline.push({ $project: projection });
  return { pipeline, terminal };
}

export function aggregatePipeline(statement: Statement): AnyObject[] {
  const [first, ...rest] = statement.calls as [Call, ...Call[]];
  argCount(first, 1, 2);
  const pipeline = first.args[0];
  if (!Array.isArray(pipeline)) throw callError(first, "the pipeline must be an array of stages");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw callError(first, "each stage must be an object with exactly one $stage key");
    }
  }
  for (const call of rest) argCount(call, 0, call.method === "explain" ? 1 : 0);
  checkStageNames(pipeline);
  return pipeline as AnyObject[];
}

/** Checks the method chain of a statement without running it (so nothing runs if a later one is wrong). */
export function validate(statement: Statement): void {
  const [first, ...rest] = statement.calls as [Call, ...Call[]];
  const method = first.method;
  if (!readMethods.has(method) && !writeMethods.has(method)) {
    throw new QueryError("syntax", `Unknown method ${method}() on db.${statement.collection} at ${first.at}`);
  }
  const allowed = cursorMethods[method];
  rest.forEach((call, i) => {
    if (call.method === "explain" && i !== rest.length - 1) {
      throw new QueryError("syntax", `.explain() must come last at ${call.at}`);
    }
    if (allowed === undefined || !allowed.has(call.method)) {
      throw new QueryError("syntax", `.${call.method}() cannot follow ${method}() at ${call.at}`);
    }
  });
  if (method === "find") findPipeline(statement);
  if (method === "aggregate") aggregatePipeline(statement);
}
