/**
 * The parsed arguments walked once: Extended-JSON markers become Dates, numbers and RegExps, and
 * what is never allowed is refused (`$where`, `$function`, `$out`, keys and paths that could reach
 * an object's prototype, …). Depth is bounded by the scanner (maxNesting), so recursion is safe.
 */
import { QueryError } from "./query-error.js";

/** Keys refused wherever they appear in an argument, with the reason shown to the learner. */
const blockedKeys: Record<string, string> = {
  $where: "$where runs JavaScript",
  $function: "$function runs JavaScript",
  $accumulator: "$accumulator runs JavaScript",
  $out: "$out writes outside the attempt",
  $merge: "$merge writes outside the attempt",
  $eval: "$eval runs JavaScript",
  $code: "JavaScript code values are not supported",
};

/** The entry of `table` named `key`, never one inherited from Object.prototype. */
export const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** Field names that could reach an object's prototype. */
const protoNames = new Set(["__proto__", "constructor", "prototype"]);

/** Turns Extended-JSON markers into values and refuses blocked keys, walking every nested value. */
export function revive(value: unknown): unknown {
  if (typeof value === "string") {
    checkPathString(value);
    return value;
  }
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const only = keys[0] ?? "";
    const v = obj[only];
    if (only === "$date") return toDate(v);
    if (only === "$oid" && typeof v === "string") return v;
    if (
      (only === "$numberLong" || only === "$numberInt" || only === "$numberDouble") &&
      typeof v === "string"
    ) {
      return Number(v);
    }
    if (only === "$numberDecimal" && typeof v === "string") return Number(v);
    if (only === "$regularExpression" && v !== null && typeof v === "object") {
      const r = v as { pattern?: unknown; options?: unknown };
      if (typeof r.pattern === "string" && typeof r.options === "string") {
        try {
          return new RegExp(r.pattern, r.options);
        } catch (err) {
          throw new QueryError("syntax", (err as Error).message);
        }
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    checkKey(key);
    out[key] = revive(obj[key]);
  }
  return out;
}

function toDate(v: unknown): Date {
  if (typeof v === "string" || typeof v === "number") {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new QueryError("syntax", `Invalid date: ${JSON.stringify(v)}`);
}

function checkKey(key: string): void {
  const reason = own(blockedKeys, key);
  if (reason !== undefined) throw new QueryError("blocked", `${key} is not allowed: ${reason}`);
  for (const part of key.split(".")) {
    if (protoNames.has(part.replace(/^\$+/, ""))) {
      throw new QueryError(
        "blocked",
        `The field name '${key}' is not allowed (it could reach an object prototype)`,
      );
    }
  }
}

/** Field paths ("$a.b", "$$ROOT.c") and dotted names must not walk into a prototype either. */
function checkPathString(value: string): void {
  if (value.includes("__proto__")) {
    throw new QueryError("blocked", "'__proto__' is not allowed (it could reach an object prototype)");
  }
  if (value.startsWith("$") || value.includes(".")) {
    for (const part of value.split(".")) {
      if (protoNames.has(part.replace(/^\$+/, ""))) {
        throw new QueryError(
          "blocked",
          `The path '${value}' is not allowed (it could reach an object prototype)`,
        );
      }
    }
  }
}
