/** Where one missed item stands in a learner's reviews (a light SM-2). */
export interface ReviewState {
  intervalDays: number;
  ease: number;
  /** Right answers in a row since the item was last missed. */
  streak: number;
  dueAt: Date;
}

const DAY_MS = 86_400_000;
const STARTING_EASE = 2.5;
const MIN_EASE = 1.3;
/** After this many right reviews in a row the item is learnt and leaves the reviews. */
const LEARNT_AFTER = 4;

/** A freshly missed item comes back the next day. */
export function firstReview(now: Date): ReviewState {
  return { intervalDays: 1, ease: STARTING_EASE, streak: 0, dueAt: new Date(now.getTime() + DAY_MS) };
}

/**
 * After a review: right stretches the gap (1 day, 3 days, then × ease); wrong brings
 * the item back tomorrow and makes it come back sooner from then on.
 */
export function afterReview(state: ReviewState, correct: boolean, now: Date): ReviewState {
  if (!correct) {
    return {
      intervalDays: 1,
      ease: Math.max(MIN_EASE, state.ease - 0.2),
      streak: 0,
      dueAt: new Date(now.getTime() + DAY_MS),
    };
  }
  const streak = state.streak + 1;
  const intervalDays = streak === 1 ? 3 : Math.round(state.intervalDays * state.ease);
  const ease = Math.min(3, state.ease + 0.1);
  return { intervalDays, ease, streak, dueAt: new Date(now.getTime() + intervalDays * DAY_MS) };
}

export function isLearnt(state: ReviewState): boolean {
  return state.streak >= LEARNT_AFTER;
}
