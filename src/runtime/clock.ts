import type { Clock } from "../core/ports/clock.js";

/** A clock that starts at a chosen instant and runs at real speed (QUORUM_CLOCK_START, for tests and demos). */
export function shiftedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
