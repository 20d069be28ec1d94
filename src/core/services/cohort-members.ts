import type { Cohort } from "../ports/cohorts.js";
import type { Member } from "../ports/identity.js";
import type { ProgressRow } from "../ports/progress.js";
import { type StreakUnit, type StreakView, streakAsOf } from "../rules/streak.js";
import { localDate } from "../rules/time.js";
import type { ReportContext } from "./cohort-health.js";

export interface MemberRow {
  member: Member;
  trackId: string | null;
  /** The track's name from the curriculum (its id when the curriculum no longer has it). */
  trackName: string | null;
  points: number;
  /** Place on the all-time board; null: not on it yet. */
  rank: number | null;
  /** The streak in the cohort's unit, as it stands today. */
  streak: Pick<StreakView, "current" | "longest" | "status">;
  /** The last local day with any activity; null: never active. */
  lastActive: string | null;
  /** Distinct challenges with a right answer. */
  challengesSolved: number;
}

export interface CohortMembers {
  cohort: Cohort;
  unit: StreakUnit;
  today: string;
  /** Best first, then those not on the board, as the CSV lists them. */
  rows: MemberRow[];
  /** Challenges in the curriculum, for "3 of 76". */
  challengeCount: number;
}

/** One CSV field: quoted when it holds a comma, quote or line break; formula starters neutralised for spreadsheets. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function progressCsv(rows: ProgressRow[], unit: StreakUnit, today: string): string {
  const header = [
    "rank",
    "member",
    "member_id",
    "track",
    "points",
    "streak",
    "longest_streak",
    "freezes",
    "last_active",
    "streak_unit",
  ];
  const lines = rows.map((row) => {
    const state = row.streaks[unit];
    const view = streakAsOf(state, today, unit);
    return [
      row.rank ?? "",
      row.member.displayName,
      row.member.externalId,
      row.trackId ?? "",
      row.points,
      view.current,
      view.longest,
      view.freezes,
      state.lastUnit ?? "",
      unit,
    ]
      .map(csvField)
      .join(",");
  });
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}

/** Every member's progress as the file /stats csv attaches and the members page downloads. */
export interface ProgressFile {
  name: string;
  csv: string;
}

export function progressFile(cohort: Cohort, rows: ProgressRow[], today: string): ProgressFile {
  return {
    name: `${cohort.name.replace(/[^\w-]+/g, "-").toLowerCase()}-progress-${today}.csv`,
    csv: progressCsv(rows, cohort.streakUnit, today),
  };
}

/** The CSV of /stats csv, for the cohort as it is now. */
export async function cohortProgressFile(ctx: ReportContext, cohort: Cohort): Promise<ProgressFile> {
  const today = localDate(ctx.clock.now(), cohort.timezone);
  return progressFile(cohort, await ctx.store.progress.report(cohort.id), today);
}

/** The members page: two reads for the whole cohort, joined here by member. */
export async function cohortMembers(ctx: ReportContext, cohort: Cohort): Promise<CohortMembers> {
  const unit = cohort.streakUnit;
  const today = localDate(ctx.clock.now(), cohort.timezone);
  const challengeIds = ctx.curriculum.bank.challenges.map((c) => c.id);
  const [report, activity] = await Promise.all([
    ctx.store.progress.report(cohort.id),
    ctx.store.progress.memberActivity(cohort.id, challengeIds),
  ]);
  const activityOf = new Map(activity.map((a) => [a.member.id, a]));
  const trackNames = new Map(ctx.curriculum.tracks.map((t) => [t.id, t.name]));
  const rows = report.map((row): MemberRow => {
    const view = streakAsOf(row.streaks[unit], today, unit);
    const facts = activityOf.get(row.member.id);
    return {
      member: row.member,
      trackId: row.trackId,
      trackName: row.trackId === null ? null : (trackNames.get(row.trackId) ?? row.trackId),
      points: row.points,
      rank: row.rank,
      streak: { current: view.current, longest: view.longest, status: view.status },
      lastActive: row.streaks.day.lastUnit,
      challengesSolved: facts?.solved ?? 0,
    };
  });
  return { cohort, unit, today, rows, challengeCount: challengeIds.length };
}
