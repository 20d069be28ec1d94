/** What a rebuild's progress reports must show, on either database. */
import { expect } from "vitest";
import type { RebuildProgress } from "../src/db/rebuild.js";

/** Every phase is reported, in order; each from 0 to all of it, never going back. */
export function expectEveryPhaseFromZeroToAll(events: readonly RebuildProgress[]): void {
  expect([...new Set(events.map((e) => e.phase))]).toEqual(["learners", "boards", "questions"]);
  for (const phase of ["learners", "boards", "questions"] as const) {
    const of = events.filter((e) => e.phase === phase);
    expect(of[0]?.done).toBe(0);
    expect(of.at(-1)?.done).toBe(of.at(-1)?.total);
    expect(of.map((e) => e.done)).toEqual([...of.map((e) => e.done)].sort((a, b) => a - b));
  }
}
