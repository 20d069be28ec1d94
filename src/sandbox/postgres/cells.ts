/**
 * Turning PostgreSQL's text output into result cells: numbers and booleans as JSON values,
 * bigints as numbers when safe (else strings), numeric as PostgreSQL prints it (a string),
 * dates as YYYY-MM-DD, timestamps as ISO-8601 (timestamptz in UTC with `Z`), bytea as
 * `\x…` hex, json/jsonb and arrays as canonical JSON strings (object keys sorted).
 */
import type { Cell } from "../../core/sandbox.js";
import { canonicalJson, toCell as plainCell } from "../kit/cells.js";

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

/** An int8 as a number when safe, else its exact digits. */
export function parseBigint(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/**
 * A parsed value (from PGlite's type parsers, with the overrides in `parserOverrides`) as a cell:
 * json and jsonb always as canonical JSON (a JSON string stays quoted), the rest as kit/cells.ts says.
 */
export function toCell(value: unknown, typeId: number): Cell {
  if (value === null || value === undefined) return null;
  if (typeId === OID.json || typeId === OID.jsonb) return canonicalJson(value);
  return plainCell(value);
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
