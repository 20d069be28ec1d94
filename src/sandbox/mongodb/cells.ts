/**
 * A statement's output as a result: documents → columns (the union of top-level keys, first seen,
 * `_id` first) and rows of cells (kit/cells.ts: nested values as canonical JSON), capped.
 */
import type { Cell } from "../../core/sandbox.js";
import { toCell } from "../kit/cells.js";
import type { Outcome } from "../kit/outcome.js";
import { isPlainObject } from "./arguments.js";
import type { Output } from "./write.js";

export interface ResultLimits {
  maxRows: number;
  maxResultBytes: number;
}

/** Documents → columns (union of top-level keys, first seen, `_id` first) and rows, capped. */
export function shape(output: Output, limits: ResultLimits): Outcome {
  if ("count" in output) {
    return { ok: true, result: { columns: ["count"], rows: [[output.count]] }, truncated: false, plan: null };
  }
  // Each document becomes its cells as it arrives, so an oversized result is refused before it is all built.
  const docs: Map<string, Cell>[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  let truncated = false;
  let bytes = 0;
  for (const doc of output.docs) {
    if (docs.length >= limits.maxRows) {
      truncated = true;
      break;
    }
    const cells = new Map<string, Cell>();
    for (const [key, value] of Object.entries(isPlainObject(doc) ? doc : { value: doc })) {
      const cell = toCell(value);
      bytes += typeof cell === "string" ? cell.length + key.length : 8 + key.length;
      cells.set(key, cell);
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    if (bytes > limits.maxResultBytes) {
      return {
        ok: false,
        reason: "too-large",
        message: `The result is larger than ${Math.round(limits.maxResultBytes / 1024)} KiB: project fewer fields or limit the rows`,
      };
    }
    docs.push(cells);
  }
  if (seen.has("_id")) {
    columns.splice(columns.indexOf("_id"), 1);
    columns.unshift("_id");
  }
  const rows = docs.map((cells) => columns.map((c) => cells.get(c) ?? null));
  return { ok: true, result: { columns, rows }, truncated, plan: null };
}
