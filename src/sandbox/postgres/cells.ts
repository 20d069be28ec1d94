/**
 * Turning PostgreSQL's text output into result cells: numbers and booleans as JSON values,
 * bigints as numbers when safe (else strings), numeric as PostgreSQL prints it (a string),
 * dates as YYYY-MM-DD, timestamps as ISO-8601 (timestamptz in UTC with `Z`), bytea as
 * `\x…` hex, json/jsonb and arrays as canonical JSON strings (object keys sorted).
 */
import type { Cell } from "../../core/sandbox.js";

export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  json: 114,
  jsonArray: 199,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  jsonb: 3802,
  jsonbArray: 3807,
} as const;

/** `2024-01-02 03:04:05.5+00` → `2024-01-02T03:04:05.500Z`; `…` without zone → no `Z`. */
export function isoTimestamp(text: string, withZone: boolean): string {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-]\d\d(?::?\d\d){0,2})?$/.exec(text);
  if (!m) return text; // infinity, BC dates, years past 9999: as PostgreSQL prints them
  const [, y, mo, d, h, mi, s, frac = "", zone] = m;
  const fraction = `.${frac.padEnd(3, "0")}`;
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}`;
  if (!withZone) return local;
  if (zone === undefined || /^[+-]00(?::?00){0,2}$/.test(zone)) return `${local}Z`;
  // The sandbox runs with TimeZone = UTC, so other offsets should not occur; keep them exact.
  const [zh = "00", zm = "00"] = zone.replace(/^[+-]/, "").split(/:/);
  return `${local}${zone[0]}${zh}:${zm.padStart(2, "0")}`;
}

export function parseBigint(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** A JSON value with object keys sorted, recursively. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Values JSON can carry: non-finite numbers become strings, bigints numbers (or strings), bytes hex. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(jsonSafe(value))) ?? "null";
}

/** A parsed value (from PGlite's type parsers, with the overrides in `parserOverrides`) as a cell. */
export function toCell(value: unknown, typeId: number): Cell {
  if (value === null || value === undefined) return null;
  if (typeId === OID.json || typeId === OID.jsonb) return canonicalJson(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Uint8Array || value instanceof Date) return jsonSafe(value) as Cell;
  return canonicalJson(value);
}

/**
 * Parsers that replace PGlite's defaults (which give Date objects in the host's time zone,
 * Uint8Array for bytea and BigInt for large int8). Array parsers pick these up per element.
 */
export const parserOverrides: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseBigint,
  [OID.bytea]: (text) => text,
  [OID.date]: (text) => text,
  [OID.timestamp]: (text) => isoTimestamp(text, false),
  [OID.timestamptz]: (text) => isoTimestamp(text, true),
};
