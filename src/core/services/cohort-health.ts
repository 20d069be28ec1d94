import type { CommandContext } from "../commands/command.js";
import { allTopics } from "../curriculum/query.js";
import type { Curriculum } from "../curriculum/schema.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Member } from "../ports/identity.js";
import type { QuestionTally, QuietMember, Standing, WeekParticipation } from "../ports/progress.js";
import type { CohortProgress } from "../rules/schedule.js";
import { type StreakUnit, streakAsOf, unitOf } from "../rules/streak.js";
import { addDays, daysBetween, localDate } from "../rules/time.js";

/** What the cohort reports read: the store, the clock and the curriculum. */
export type ReportContext = Pick<CommandContext, "store" | "clock" | "curriculum">;

/** Topics with fewer attempts than this say more about chance than about the cohort. */
export const MIN_ATTEMPTS = 3;
/** The weakest topics shown. */
const WEAKEST_SHOWN = 8;
/** "Just broke": the streak ended within this many days… */
export const RECENT_DAYS = 7;
/** …after lasting at least this many units (a single active day is not yet a habit to lose). */
const MIN_STREAK = 2;
/** A learner with no activity in this many days is at risk. */
export const INACTIVE_DAYS = 7;
/** The boards on the cohort page show this many learners. */
const BOARD_SIZE = 10;

export interface TopicAccuracy {
  topicId: string;
  title: string;
  attempts: number;
  correct: number;
}

export interface BrokenStreak {
  member: Member;
  /** The streak's length when it was last kept, in the cohort's unit. */
  length: number;
  /** Its last active unit (a day, or a week's Monday). */
  lastActive: string | null;
}

/** What /stats shows, as data: the same numbers feed the chat reply and the dashboard. */
export interface CohortStats {
  unit: StreakUnit;
  /** The cohort's calendar day now, in its zone. */
  today: string;
  memberCount: number;
  participation: WeekParticipation[];
  /** Weakest first, only topics with MIN_ATTEMPTS or more, at most eight. */
  weakestTopics: TopicAccuracy[];
  /** Streaks broken in the last RECENT_DAYS days, longest first. */
  brokenStreaks: BrokenStreak[];
}

export type RiskReason =
  | { kind: "streak-broken"; length: number; lastActive: string | null }
  /** `days` since the last active day; null with `lastActive` null: never answered anything. */
  | { kind: "inactive"; days: number | null; lastActive: string | null }
  /** Nothing in the cohort's current or previous week; `lastWeek` null: no week at all. */
  | { kind: "behind"; week: number; lastWeek: number | null };

export interface LearnerAtRisk {
  member: Member;
  reasons: RiskReason[];
}

export interface CohortHealth extends CohortStats {
  cohort: Cohort;
  progress: CohortProgress;
  /** The curriculum's title of the cohort's current week, while it runs. */
  weekTitle: string | null;
  /** Each learner once, most reasons first. */
  atRisk: LearnerAtRisk[];
  /** The current week's top ten, while the cohort runs. */
  weekBoard: { week: number; standings: Standing[] } | null;
  allTimeBoard: Standing[];
}

export function topicAccuracy(curriculum: Curriculum, tallies: readonly QuestionTally[]): TopicAccuracy[] {
  const topicsOf = new Map<string, readonly string[]>();
  for (const item of [...curriculum.bank.items, ...curriculum.bank.challenges])
    topicsOf.set(item.id, item.topics);
  const titles = new Map(allTopics(curriculum).map((t) => [t.topic.id, t.topic.title]));
  const byTopic = new Map<string, TopicAccuracy>();
  for (const tally of tallies) {
    for (const topic of topicsOf.get(tally.questionId) ?? []) {
      const entry = byTopic.get(topic) ?? {
        topicId: topic,
        title: titles.get(topic) ?? topic,
        attempts: 0,
        correct: 0,
      };
      entry.attempts += tally.attempts;
      entry.correct += tally.correct;
      byTopic.set(topic, entry);
    }
  }
  return [...byTopic.values()]
    .filter((t) => t.attempts >= MIN_ATTEMPTS)
    .sort((a, b) => a.correct / a.attempts - b.correct / b.attempts || b.attempts - a.attempts);
}

/** Participation per week, the weakest topics and the streaks that just broke (what /stats says). */
export async function cohortStats(ctx: ReportContext, cohort: Cohort): Promise<CohortStats> {
  const unit = cohort.streakUnit;
  const today = localDate(ctx.clock.now(), cohort.timezone);
  const span = unit === "day" ? RECENT_DAYS + 3 : 7 * 4;
  // A streak breaks two units after its last one at the earliest: those active since cannot have broken.
  const latest = unit === "day" ? addDays(today, -2) : addDays(unitOf(today, "week"), -14);
  const [participation, tallies, summary, lapsing] = await Promise.all([
    ctx.store.progress.participation(cohort.id),
    ctx.store.progress.questionTallies(cohort.id),
    ctx.store.cohorts.summary(cohort.id),
    ctx.store.progress.lapsing(cohort.id, unit, addDays(today, -span), latest),
  ]);
  const brokenStreaks = lapsing
    .filter((row) => {
      const view = streakAsOf(row.streak, today, unit);
      const recent = view.brokeOn !== null && view.brokeOn >= addDays(today, -RECENT_DAYS);
      return view.status === "broken" && recent && row.streak.current >= MIN_STREAK;
    })
    .map((row) => ({ member: row.member, length: row.streak.current, lastActive: row.streak.lastUnit }));
  return {
    unit,
    today,
    memberCount: summary.memberCount,
    participation,
    weakestTopics: topicAccuracy(ctx.curriculum, tallies).slice(0, WEAKEST_SHOWN),
    brokenStreaks,
  };
}

/**
 * Learners at risk, each once: a streak that just broke, no activity in INACTIVE_DAYS days (never
 * answering counts once the cohort has run that long), and nothing in the cohort's current or previous
 * week from week 2 on. Only a running cohort has learners falling away; a broken streak counts always.
 */
export function learnersAtRisk(
  progress: CohortProgress,
  startDate: string,
  today: string,
  members: readonly QuietMember[],
  broken: readonly BrokenStreak[],
): LearnerAtRisk[] {
  const byMember = new Map<number, LearnerAtRisk>();
  const add = (member: Member, reason: RiskReason) => {
    const entry = byMember.get(member.id) ?? { member, reasons: [] };
    entry.reasons.push(reason);
    byMember.set(member.id, entry);
  };
  for (const b of broken)
    add(b.member, { kind: "streak-broken", length: b.length, lastActive: b.lastActive });
  if (progress.state === "running") {
    const runLong = daysBetween(startDate, today) >= INACTIVE_DAYS;
    for (const m of members) {
      const days = m.lastActive === null ? null : daysBetween(m.lastActive, today);
      if (days === null ? runLong : days >= INACTIVE_DAYS) {
        add(m.member, { kind: "inactive", days, lastActive: m.lastActive });
      }
      if (progress.week >= 2 && (m.lastWeek === null || m.lastWeek < progress.week - 1)) {
        add(m.member, { kind: "behind", week: progress.week, lastWeek: m.lastWeek });
      }
    }
  }
  return [...byMember.values()].sort(
    (a, b) => b.reasons.length - a.reasons.length || a.member.id - b.member.id,
  );
}

/** The cohort page: /stats's numbers, learners at risk, and this week's and the all-time boards. */
export async function cohortHealth(
  ctx: ReportContext,
  found: { cohort: Cohort; progress: CohortProgress },
): Promise<CohortHealth> {
  const { cohort, progress } = found;
  const week = progress.state === "running" ? progress.week : null;
  const today = localDate(ctx.clock.now(), cohort.timezone);
  const [stats, members, allTimeBoard, weekStandings] = await Promise.all([
    cohortStats(ctx, cohort),
    // Only a running cohort has learners falling away; only quiet ones are read.
    week === null
      ? []
      : ctx.store.progress.quietMembers(cohort.id, addDays(today, 1 - INACTIVE_DAYS), week - 1),
    ctx.store.progress.top(cohort.id, { kind: "all" }, BOARD_SIZE),
    week === null ? undefined : ctx.store.progress.top(cohort.id, { kind: "week", week }, BOARD_SIZE),
  ]);
  return {
    ...stats,
    cohort,
    progress,
    weekTitle: week === null ? null : (ctx.curriculum.weeks.find((w) => w.week === week)?.title ?? null),
    atRisk: learnersAtRisk(progress, cohort.startDate, today, members, stats.brokenStreaks),
    weekBoard: week === null || !weekStandings ? null : { week, standings: weekStandings },
    allTimeBoard,
  };
}
