import type { Clock } from "../src/core/ports/clock.js";

/** A clock for tests and benches: it reads `at` until `set` moves it. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(next) {
      current = new Date(next);
    },
  };
}
