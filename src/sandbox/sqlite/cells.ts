/**
 * SQLite's values as result cells: integers as numbers when safe (else their digits), infinities
 * as SQLite spells them in text, NaN as null, blobs as upper-case hex.
 */
import type { Cell } from "../../core/sandbox.js";
import { integerCell } from "../kit/cells.js";
import { AttemptError } from "./errors.js";

/** A value from SQLite as a Cell; a blob whose hex would pass `budget` bytes is refused first. */
export function toCell(value: unknown, budget: number): Cell {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "bigint") return integerCell(value);
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    if (Number.isNaN(value)) return null;
    return value > 0 ? "Inf" : "-Inf";
  }
  if (Buffer.isBuffer(value)) {
    if (value.length * 2 > budget) throw new AttemptError("too-large", "The result is too large.");
    return value.toString("hex").toUpperCase();
  }
  return String(value);
}

/** What a cell counts against the result's byte budget. */
export const cellSize = (cell: Cell): number => (typeof cell === "string" ? cell.length : 8);

export const resultTooLarge = (limit: number): AttemptError =>
  new AttemptError("too-large", `The result is larger than ${Math.round(limit / 1024)} KiB.`);
