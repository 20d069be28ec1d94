import { describe, expect, it } from "vitest";
import { afterReview, firstReview, isLearnt } from "./review.js";

const now = new Date("2026-03-04T10:00:00Z");
const days = (state: { dueAt: Date }, from: Date) => (state.dueAt.getTime() - from.getTime()) / 86_400_000;

describe("spaced repetition", () => {
  it("given a missed item, it comes back the next day", () => {
    expect(days(firstReview(now), now)).toBe(1);
  });

  it("given right answers in a row, the gap grows 3 days, then by the ease, until the item is learnt", () => {
    let state = firstReview(now);
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      state = afterReview(state, true, now);
      gaps.push(days(state, now));
    }
    expect(gaps).toEqual([3, 8, 22, 62]);
    expect(isLearnt(state)).toBe(true);
  });

  it("given a wrong review, the item comes back tomorrow and its ease drops, never below 1.3", () => {
    let state = afterReview(afterReview(firstReview(now), true, now), false, now);
    expect(days(state, now)).toBe(1);
    expect(state.streak).toBe(0);
    expect(state.ease).toBeCloseTo(2.4);
    for (let i = 0; i < 10; i++) state = afterReview(state, false, now);
    expect(state.ease).toBe(1.3);
  });
});
