/** Reading a call's arguments: counts, objects, integers, sort specifications, with the call's place in messages. */
import type { AnyObject } from "mingo/types";
import type { Call } from "./parse.js";
import { QueryError } from "./query-error.js";

export function callError(call: Call, message: string): QueryError {
  return new QueryError("syntax", `${call.method}(): ${message} at ${call.at}`);
}

export function argCount(call: Call, min: number, max: number): void {
  if (call.args.length < min || call.args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw callError(call, `takes ${want} argument${max === 1 ? "" : "s"}, got ${call.args.length}`);
  }
}

export function isPlainObject(v: unknown): v is AnyObject {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
  );
}

export function objectArg(call: Call, index: number, what: string): AnyObject {
  const v = call.args[index];
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) throw callError(call, `${what} must be an object`);
  return v;
}

export function intArg(call: Call, what: string): number {
  argCount(call, 1, 1);
  const v = call.args[0];
  if (typeof v !== "number" || !Number.isInteger(v)) throw callError(call, `${what} must be an integer`);
  return v;
}

export function sortSpec(call: Call): AnyObject {
  argCount(call, 1, 1);
  const spec = objectArg(call, 0, "the sort specification");
  for (const [key, dir] of Object.entries(spec)) {
    if (dir !== 1 && dir !== -1 && !isPlainObject(dir)) {
      throw callError(call, `sort direction for '${key}' must be 1 or -1`);
    }
  }
  return spec;
}
