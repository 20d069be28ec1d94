/**
 * Numbers the way Redis reads and writes them: 64-bit integers (string2ll), doubles for
 * sorted-set scores (strtod, d2string) and the decimal arithmetic behind INCRBYFLOAT.
 */
import { err, RedisError } from "./reply.js";

export const NAN_OR_INF = "ERR increment would produce NaN or Infinity";

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** string2ll: an optional "-", no "+", no leading zeros, no spaces, within int64. */
export function parseInt64(s: string): bigint | null {
  if (s.length === 0 || s.length > 20 || !/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/** An integer argument (index, count, seconds) or "ERR value is not an integer or out of range". */
export function intArg(s: string, error: () => RedisError = err.notInteger): number {
  const n = parseInt64(s);
  if (n === null) throw error();
  return Number(n);
}

export function bigIntArg(s: string): bigint {
  const n = parseInt64(s);
  if (n === null) throw err.notInteger();
  return n;
}

const DECIMAL = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const INFINITE = /^([+-]?)inf(inity)?$/i;

/** strtod as Redis uses it: no surrounding spaces, no NaN, no overflow or underflow to zero. */
export function parseDouble(s: string): number | null {
  const inf = INFINITE.exec(s);
  if (inf) return inf[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (!DECIMAL.test(s)) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) return null;
  if (n === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ""))) return null;
  return n;
}

export function doubleArg(s: string, error: () => RedisError = err.notFloat): number {
  const n = parseDouble(s);
  if (n === null) throw error();
  return n;
}

/** d2string: integers without a fraction, inf/-inf, otherwise the shortest round-trip form. */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Number.POSITIVE_INFINITY) return "inf";
  if (n === Number.NEGATIVE_INFINITY) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 62) return BigInt(n).toString();
  return String(n);
}

/** A finite decimal m × 10^e. */
interface Decimal {
  m: bigint;
  e: number;
}

/** Redis keeps INCRBYFLOAT results in a long double (up to about 1.19e4932). */
const MAX_EXPONENT = 4930;

/** string2ld reads at most this many characters (MAX_LONG_DOUBLE_CHARS); longer is not a float. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/** strtold over a decimal string; "inf" parses but cannot take part in an increment. */
function parseDecimal(s: string): Decimal | "inf" | null {
  if (s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  if (INFINITE.test(s)) return "inf";
  if (!DECIMAL.test(s)) return null;
  const match = /^([+-]?)([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (!match) return null;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  const digits = (whole + fraction).replace(/^0+(?=.)/, "");
  const m = BigInt(digits || "0") * (sign === "-" ? -1n : 1n);
  const e = Number(exponent) - fraction.length;
  if (m !== 0n && (e + digits.length > MAX_EXPONENT || e + digits.length < -MAX_EXPONENT)) return null;
  return { m, e: m === 0n ? 0 : e };
}

/**
 * `current + increment` printed as Redis prints a long double ("%.17Lf", trailing zeros
 * removed). Exact decimal arithmetic stands in for the long double, so 0.1 + 0.2 is "0.3"
 * as in Redis; only sums needing more than ~19 significant digits may differ.
 */
export function addDecimalStrings(current: string, increment: string, notFloat: () => RedisError): string {
  const a = parseDecimal(current);
  const b = parseDecimal(increment);
  if (a === null || b === null) throw notFloat();
  if (a === "inf" || b === "inf") throw new RedisError(NAN_OR_INF);
  const e = Math.min(a.e, b.e);
  let m = a.m * 10n ** BigInt(a.e - e) + b.m * 10n ** BigInt(b.e - e);
  let scale = -e; // digits after the point
  if (scale > 17) {
    const cut = 10n ** BigInt(scale - 17);
    const half = cut / 2n;
    const rest = m % cut;
    m = m / cut + (rest >= half ? 1n : rest <= -half ? -1n : 0n);
    scale = 17;
  }
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  if (scale < 0) digits += "0".repeat(-scale);
  else if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, "");
  }
  if ((digits.split(".")[0] ?? "").length > MAX_EXPONENT) throw new RedisError(NAN_OR_INF);
  return negative && digits !== "0" ? `-${digits}` : digits;
}

/** Whether strtold would read `s` (a finite decimal, or inf). */
export function isLongDouble(s: string): boolean {
  return parseDecimal(s) !== null;
}
