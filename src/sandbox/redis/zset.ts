/**
 * The sorted-set structure: member → score, plus a by-(score, member) order rebuilt
 * lazily after a change. Ties on score order by member bytes, as Redis's skiplist does.
 */
import { parseDouble } from "./numbers.js";
import { err, RedisError } from "./reply.js";
import { cost, type Store, type ZSetValue } from "./store.js";

export function compare(z: ZSetValue, a: string, b: string): number {
  const d = (z.m.get(a) ?? 0) - (z.m.get(b) ?? 0);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Members by (score, member), ascending. */
export function sorted(z: ZSetValue): string[] {
  if (!z.sorted) z.sorted = [...z.m.keys()].sort((a, b) => compare(z, a, b));
  return z.sorted;
}

/** 0-based rank of a member in ascending order, or null. */
export function rank(z: ZSetValue, member: string): number | null {
  if (!z.m.has(member)) return null;
  const order = sorted(z);
  let lo = 0;
  let hi = order.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(z, order[mid] ?? "", member);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

export function setScore(store: Store, z: ZSetValue, member: string, score: number): void {
  if (!z.m.has(member)) store.charge(cost.zsetMember(member));
  else store.touch();
  z.m.set(member, score);
  z.sorted = null;
}

export function removeMember(store: Store, z: ZSetValue, member: string): boolean {
  if (!z.m.delete(member)) return false;
  store.refund(cost.zsetMember(member));
  z.sorted = null;
  return true;
}

export interface ScoreRange {
  min: number;
  minEx: boolean;
  max: number;
  maxEx: boolean;
}

/** strtod as zslParseRange calls it: leading spaces allowed, "" is 0, overflow is ±inf, NaN refused. */
function rangeDouble(s: string): number {
  const t = s.replace(/^[ \t\n\v\f\r]+/, "");
  if (t === "") return 0;
  const n =
    parseDouble(t) ?? (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t) ? Number(t) : null);
  if (n === null) throw err.minMaxNotFloat();
  return n;
}

export function parseScoreRange(min: string, max: string): ScoreRange {
  const minEx = min.startsWith("(");
  const maxEx = max.startsWith("(");
  return {
    min: rangeDouble(minEx ? min.slice(1) : min),
    minEx,
    max: rangeDouble(maxEx ? max.slice(1) : max),
    maxEx,
  };
}

export function inScoreRange(r: ScoreRange, score: number): boolean {
  const aboveMin = r.minEx ? score > r.min : score >= r.min;
  const belowMax = r.maxEx ? score < r.max : score <= r.max;
  return aboveMin && belowMax;
}

/** A lex bound: "-" and "+" are the ends; "[x" includes x, "(x" excludes it. */
export interface LexBound {
  kind: "min" | "max" | "value";
  value: string;
  ex: boolean;
}

function lexBound(s: string): LexBound {
  if (s === "-") return { kind: "min", value: "", ex: false };
  if (s === "+") return { kind: "max", value: "", ex: false };
  if (s.startsWith("[") || s.startsWith("(")) return { kind: "value", value: s.slice(1), ex: s[0] === "(" };
  throw new RedisError("ERR min or max not valid string range item");
}

export function parseLexRange(min: string, max: string): [LexBound, LexBound] {
  return [lexBound(min), lexBound(max)];
}

export function inLexRange([min, max]: [LexBound, LexBound], member: string): boolean {
  const aboveMin =
    min.kind === "min" || (min.kind === "value" && (min.ex ? member > min.value : member >= min.value));
  const belowMax =
    max.kind === "max" || (max.kind === "value" && (max.ex ? member < max.value : member <= max.value));
  return aboveMin && belowMax;
}
