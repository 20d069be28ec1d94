import { addDays, daysBetween, parseCalendarDate } from "./time.js";

// Streaks over local calendar dates ('YYYY-MM-DD'); callers convert instants with localDate(at, zone).

export type StreakUnit = "day" | "week";

export interface StreakState {
  /** Active units in the running streak (frozen units do not add). */
  current: number;
  longest: number;
  /** The last active unit: the day, or the Monday of the ISO week ('YYYY-MM-DD'). */
  lastUnit: string | null;
  /** Freezes held, 0..MAX_FREEZES. */
  freezes: number;
}

// Frozen because every new member starts from this one object.
export const emptyStreak: StreakState = Object.freeze({ current: 0, longest: 0, lastUnit: null, freezes: 0 });

export const MAX_FREEZES = 2;
/** A freeze is earned each time the running streak reaches a multiple of this many units. */
const UNITS_PER_FREEZE = 7;

export const milestones: Record<StreakUnit, readonly number[]> = Object.freeze({
  day: Object.freeze([7, 30, 100]),
  week: Object.freeze([4, 12, 20]),
});

const DAYS_PER_UNIT: Record<StreakUnit, number> = { day: 1, week: 7 };

/** The unit key a day belongs to: the day itself, or the Monday that starts its ISO week. */
export function unitOf(day: string, unit: StreakUnit): string {
  const utc = parseCalendarDate(day);
  if (utc === undefined) throw new RangeError(`not a calendar date: ${day}`);
  if (unit === "day") return day;
  // getUTCDay counts from Sunday = 0; ISO weeks start on Monday.
  const daysSinceMonday = (new Date(utc).getUTCDay() + 6) % 7;
  return addDays(day, -daysSinceMonday);
}

/** Whole units from `from` to `to` (unit keys; any day of a week is accepted too). Negative when `to` is earlier. */
export function unitsBetween(from: string, to: string, unit: StreakUnit): number {
  return daysBetween(unitOf(from, unit), unitOf(to, unit)) / DAYS_PER_UNIT[unit];
}

export interface StreakStep {
  state: StreakState;
  /** This activity added a unit to the streak (false: same unit as before, or an earlier one). */
  extended: boolean;
  /** Freezes spent to bridge missed units. */
  freezesUsed: number;
  /** A freeze was added to those held (false when the streak reached a multiple of 7 while already holding 2). */
  freezeEarned: boolean;
  /** Length of a streak that this activity found broken (0 if none). */
  brokenLength: number;
  /** The milestone just reached (7, 30, 100 days / 4, 12, 20 weeks), else null. */
  milestone: number | null;
}

/** Folds one activity into the state; the store calls it for every activity in the order they happened. */
export function recordActivity(state: StreakState, day: string, unit: StreakUnit): StreakStep {
  const activeUnit = unitOf(day, unit);
  const gap = state.lastUnit === null ? 0 : unitsBetween(state.lastUnit, activeUnit, unit);
  return step(state, activeUnit, gap, unit);
}

/** The rule itself, once the active unit and the units since the last one (`gap`) are known. */
function step(state: StreakState, activeUnit: string, gap: number, unit: StreakUnit): StreakStep {
  let current: number;
  let freezes = state.freezes;
  let freezesUsed = 0;
  let brokenLength = 0;
  if (state.lastUnit === null) {
    current = 1;
  } else {
    // Same unit, or an earlier local date after a move west: already counted.
    if (gap <= 0) {
      return {
        state,
        extended: false,
        freezesUsed: 0,
        freezeEarned: false,
        brokenLength: 0,
        milestone: null,
      };
    }
    const missed = gap - 1;
    if (missed <= freezes) {
      freezes -= missed;
      freezesUsed = missed;
      current = state.current + 1;
    } else {
      brokenLength = state.current;
      current = 1;
    }
  }

  const freezeEarned = current % UNITS_PER_FREEZE === 0 && freezes < MAX_FREEZES;
  if (freezeEarned) freezes += 1;
  return {
    state: { current, longest: Math.max(state.longest, current), lastUnit: activeUnit, freezes },
    extended: true,
    freezesUsed,
    freezeEarned,
    brokenLength,
    milestone: milestones[unit].includes(current) ? current : null,
  };
}

/**
 * `recordActivity` folded over one learner's days after another's (a rebuild over millions of
 * days): each calendar date is parsed once, and the gap between units is a subtraction.
 */
export function streakFold(unit: StreakUnit) {
  const perUnit = DAYS_PER_UNIT[unit];
  // A date's unit key and that unit's day number, kept across learners (they share the calendar).
  const units = new Map<string, { key: string; dayNumber: number }>();
  let state: StreakState = emptyStreak;
  let lastDayNumber = 0;
  return {
    add(day: string): void {
      let active = units.get(day);
      if (!active) {
        const key = unitOf(day, unit);
        active = { key, dayNumber: daysBetween(EPOCH_DAY, key) };
        units.set(day, active);
      }
      const gap = state.lastUnit === null ? 0 : (active.dayNumber - lastDayNumber) / perUnit;
      const next = step(state, active.key, gap, unit);
      if (next.extended) lastDayNumber = active.dayNumber;
      state = next.state;
    },
    /** The state so far. */
    get state(): StreakState {
      return state;
    },
    /** Starts the next learner. */
    reset(): void {
      state = emptyStreak;
    },
  };
}

const EPOCH_DAY = "1970-01-01";

export interface StreakView {
  current: number;
  longest: number;
  freezes: number;
  /**
   * active: done today/this week; at-risk: last unit was the previous one, not yet today;
   * frozen: missed units that the held freezes cover (they will be spent on the next activity);
   * broken: more missed units than freezes.
   */
  status: "none" | "active" | "at-risk" | "frozen" | "broken";
  /** First day the streak counts as broken (for "streak just broke" lists). */
  brokeOn: string | null;
  /** Missed units to be bridged (when frozen). */
  freezesNeeded: number;
}

/** How the streak stands on `today` without recording anything. */
export function streakAsOf(state: StreakState, today: string, unit: StreakUnit): StreakView {
  const view: StreakView = {
    current: state.current,
    longest: state.longest,
    freezes: state.freezes,
    status: "none",
    brokeOn: null,
    freezesNeeded: 0,
  };
  if (state.lastUnit === null) return view;

  const gap = unitsBetween(state.lastUnit, today, unit);
  // A negative gap is a local date earlier than the last activity (a move west): still this unit's work.
  if (gap <= 0) return { ...view, status: "active" };
  if (gap === 1) return { ...view, status: "at-risk" };
  const missed = gap - 1;
  if (missed <= state.freezes) return { ...view, status: "frozen", freezesNeeded: missed };
  // The first unit that no held freeze can bridge: one after the last active unit, plus one per freeze.
  const brokeOn = addDays(unitOf(state.lastUnit, unit), (state.freezes + 2) * DAYS_PER_UNIT[unit]);
  return { ...view, current: 0, status: "broken", brokeOn };
}
