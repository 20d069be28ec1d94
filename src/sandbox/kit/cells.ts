/**
 * How a value becomes a result cell, shared by the engines whose values are JavaScript values
 * (PostgreSQL's parsed columns, MongoDB's documents; SQLite and Redis keep their own spellings).
 * Cells are compared as they are: equal cells mean equal values, so every nested value is written
 * as canonical JSON (object keys sorted) and every number that JSON cannot carry as text.
 */
import type { Cell } from "../../core/sandbox.js";

/** An integer as a number when it is safe, else as its exact digits. */
export const integerCell = (value: bigint | number): number | string =>
  Number.isSafeInteger(Number(value)) ? Number(value) : String(value);

/** A number JSON can carry, else its text ("NaN", "Infinity"). */
export const numberCell = (value: number): number | string =>
  Number.isFinite(value) ? value : String(value);

/**
 * Canonical JSON: object keys sorted (undefined fields left out), Dates as ISO strings (an invalid
 * one as null), RegExps as /…/flags, bytes as `\x…` hex, bigints and non-finite numbers as above.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? "null";
}

function canonical(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return numberCell(value);
  if (typeof value === "bigint") return integerCell(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof RegExp) return value.toString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = canonical(field);
    }
    return out;
  }
  if (typeof value === "function" || typeof value === "symbol") return null;
  return value;
}

/** A value as a cell: scalars as they are, nested values as canonical JSON. */
export function toCell(value: unknown): Cell {
  if (typeof value === "string" || typeof value === "boolean") return value;
  const plain = canonical(value);
  return plain !== null && typeof plain === "object" ? JSON.stringify(plain) : (plain as Cell);
}
