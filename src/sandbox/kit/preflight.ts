/**
 * The checks every engine makes before anything runs, with one wording whatever the engine: the
 * dataset is for this engine, the text is within the size limit and not empty, the limits are sane.
 */
import type { Engine, Limits, RunRequest } from "../../core/sandbox.js";
import { type Failure, fail } from "./outcome.js";

/** A text with no statement or command in it (only blanks, comments or separators). */
export const emptyText = (what = "query"): Failure => fail("syntax", `the ${what} is empty`);

/** Refuses a request for the wrong engine or with text over the size limit, before anything runs. */
export function preflight(engine: Engine, request: RunRequest, limits: Limits): Failure | null {
  if (request.dataset.engine !== engine)
    return fail(
      "unavailable",
      `dataset ${request.dataset.id} is for ${request.dataset.engine}, not ${engine}`,
    );
  if (typeof request.query !== "string") return fail("unavailable", "the query must be text");
  for (const [what, text] of [
    ["query", request.query],
    ["check", request.check],
  ] as const) {
    if (typeof text !== "string") continue;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > limits.maxQueryBytes)
      return fail(
        "too-large",
        `the ${what} is ${bytes} bytes, longer than the ${limits.maxQueryBytes} bytes a submission may have`,
      );
  }
  if (request.query.trim() === "") return emptyText();
  return null;
}

/** Whole, positive limits (a fractional memory size would break `ulimit`). */
export function saneLimits(limits: Limits, defaults: Limits): Limits {
  const whole = (value: number, fallback: number, min: number): number =>
    Number.isFinite(value) ? Math.max(min, Math.ceil(value)) : fallback;
  return {
    timeMs: whole(limits.timeMs, defaults.timeMs, 1),
    maxRows: whole(limits.maxRows, defaults.maxRows, 0),
    maxQueryBytes: whole(limits.maxQueryBytes, defaults.maxQueryBytes, 0),
    memoryMb: whole(limits.memoryMb, defaults.memoryMb, 16),
  };
}
