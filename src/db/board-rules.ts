import type { Board } from "../core/ports/progress.js";

// How the aggregates beside the ledger are keyed and moved: shared by the SQLite and PostgreSQL stores
// and by the rebuild, so every writer files a learner's points the same way.

export const DAY_MS = 86_400_000;

/** Which day a points value was reached on: ties inside one points value are counted per day. */
export const dayOf = (reachedAt: number) => Math.floor(reachedAt / DAY_MS);

export function boardKey(board: Board): string {
  switch (board.kind) {
    case "all":
      return "all";
    case "week":
      return `week:${board.week}`;
    case "track":
      return `track:${board.trackId}`;
  }
}

/** The boards one ledger entry counts on. */
export function boardsOf(entry: { week: number; trackId: string | null }): string[] {
  const keys = ["all", `week:${entry.week}`];
  if (entry.trackId) keys.push(`track:${entry.trackId}`);
  return keys;
}

export interface BoardEntry {
  points: number;
  /** When the learner reached these points (UTC ms). */
  reachedAt: number;
}

/**
 * A learner's entry on one board after points earned at `at`. Ties go to whoever reached their
 * points first: the time of the latest entry that added points, or of the first entry while there
 * are none. Both are independent of the order entries arrive in, so a rebuild gives the same answer.
 */
export function entryAfter(before: BoardEntry | undefined, points: number, at: number): BoardEntry {
  if (!before) return { points, reachedAt: at };
  const reachedAt =
    points > 0
      ? before.points > 0
        ? Math.max(before.reachedAt, at)
        : at
      : before.points > 0
        ? before.reachedAt
        : Math.min(before.reachedAt, at);
  return { points: before.points + points, reachedAt };
}
