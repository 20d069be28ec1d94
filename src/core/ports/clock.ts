/** The only way the core learns the time, so rules can be tested with any instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
