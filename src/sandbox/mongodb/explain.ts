/** The plan text of a statement (mingo has no planner: a description of its stages). */
import type { AnyObject } from "mingo/types";
import { isPlainObject, objectArg } from "./arguments.js";
import type { Call, Statement } from "./parse.js";
import { aggregatePipeline, findPipeline } from "./pipeline.js";

/**
 * The "plan" for explain. mingo has no query planner and no indexes: every stage scans the documents it is
 * given, in the order written. So the plan is a description of the parsed stages, in MongoDB's words
 * (COLLSCAN, FILTER, SORT, …), not the output of an optimiser.
 */
export function describe(statements: Statement[]): string[] {
  const lines = ["mingo (in memory): no query planner or indexes; the stages below run in the order shown"];
  statements.forEach((statement, i) => {
    const prefix = statements.length > 1 ? `[${i + 1}] ` : "";
    for (const line of describeOne(statement)) lines.push(prefix + line);
  });
  return lines;
}

function describeOne(statement: Statement): string[] {
  const [first] = statement.calls as [Call, ...Call[]];
  const lines = [`COLLSCAN ${statement.collection}`];
  const stage = (s: AnyObject) => {
    const [op, spec] = Object.entries(s)[0] ?? ["?", null];
    if (op === "$match" && isPlainObject(spec) && Object.keys(spec).length === 0) return;
    const name = op.replace(/^\$/, "");
    const label =
      op === "$match"
        ? "FILTER"
        : op === "$project"
          ? "PROJECTION"
          : name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
    lines.push(`${label} ${render(spec)}`);
  };
  switch (first.method) {
    case "find": {
      const { pipeline, terminal } = findPipeline(statement);
      for (const s of pipeline) stage(s);
      if (terminal) lines.push("COUNT");
      break;
    }
    case "aggregate":
      for (const s of aggregatePipeline(statement)) stage(s);
      break;
    case "findOne":
      stage({ $match: objectArg(first, 0, "the filter") });
      lines.push("LIMIT 1");
      break;
    case "countDocuments":
    case "count":
      stage({ $match: objectArg(first, 0, "the filter") });
      lines.push("COUNT");
      break;
    case "estimatedDocumentCount":
      lines[0] = `COUNT ${statement.collection} (no scan)`;
      break;
    case "distinct":
      stage({ $match: objectArg(first, 1, "the filter") });
      lines.push(`DISTINCT ${render(first.args[0])}`);
      break;
    case "insertOne":
    case "insertMany":
      lines[0] = `INSERT ${statement.collection}`;
      break;
    default:
      stage({ $match: objectArg(first, 0, "the filter") });
      lines.push(
        `${first.method.replace(/(One|Many)$/, "").toUpperCase()} ${first.method.endsWith("Many") ? "all matches" : "first match"}`,
      );
  }
  return lines;
}

/** A compact, shell-like rendering of a value for plan lines: {total: -1}. */
export function render(value: unknown, budget = 200): string {
  const s = renderValue(value);
  return s.length > budget ? `${s.slice(0, budget - 1)}…` : s;
}

function renderValue(value: unknown): string {
  if (value instanceof Date) return `ISODate(${JSON.stringify(value.toISOString())})`;
  if (value instanceof RegExp) return value.toString();
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const parts = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k)}: ${renderValue(v)}`,
    );
    return `{${parts.join(", ")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}
