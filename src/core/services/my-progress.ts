import type { CommandContext } from "../commands/command.js";
import { type ActivitySummary, activitySummary, heatmapRange, heatmapSvg } from "../pictures/heatmap.js";
import type { Identity } from "../ports/identity.js";
import type { TopicProgress } from "../rules/progress.js";
import { ladderLevel, trackProgress } from "../rules/progress.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { MAX_FREEZES, type StreakUnit, type StreakView, streakAsOf } from "../rules/streak.js";
import { addDays } from "../rules/time.js";
import { formatInZone } from "../rules/zoned.js";
import { cohortProgress } from "../schedules/timeline.js";
import { learnerClock } from "./record-answer.js";

/** The heat-map shows as many weeks as /streak's. */
export const ACTIVITY_WEEKS = 12;

export type CohortWeek =
  | {
      state: "not-started" /** When week 1 begins, in the cohort's zone; null while paused. */;
      startsAt: string | null;
    }
  | { state: "running"; week: number; of: number; title: string; paused: boolean }
  | { state: "finished" };

export interface LadderStep {
  title: string;
  experience: string;
  minPoints: number;
  /** The learner's step now. */
  current: boolean;
}

export interface MyTrack {
  id: string;
  name: string;
  /** The career-ladder step the learner's points reach, and what the next one needs. */
  level: { title: string; experience: string };
  next: { title: string; pointsToGo: number } | null;
  ladder: LadderStep[];
  /** Topics the track follows, in week order; a topic is mastered when each item on it is solved. */
  topics: TopicProgress[];
  mastered: number;
}

export interface WeekOfActivity {
  /** The Monday the week starts on (YYYY-MM-DD). */
  monday: string;
  activeDays: number;
  activities: number;
}

export interface MyActivity {
  weeks: number;
  first: string;
  last: string;
  summary: ActivitySummary;
  /** Per week, newest first: the heat-map's figures as text. */
  perWeek: WeekOfActivity[];
  /** The heat-map drawn for a light page, with role="img", an aria-label and a title. */
  svg: string;
}

export type MyReviews =
  | { state: "none" }
  /** The review due longest ago; /review in chat asks it. */
  | { state: "due"; questionId: string; dueSince: string }
  | { state: "later"; questionId: string; dueAt: string };

export interface MyProgressInCohort {
  inCohort: true;
  name: string;
  /** The zone the learner's days and times are shown in. */
  zone: string;
  today: string;
  cohort: { id: number; name: string; week: CohortWeek };
  points: number;
  /** On the cohort's all-time board; null before the learner's first points there. */
  rank: { rank: number; of: number } | null;
  /** null until the learner joins a track. */
  track: MyTrack | null;
  streak: StreakView & { unit: StreakUnit; maxFreezes: number };
  activity: MyActivity;
  reviews: MyReviews;
}

export interface MyProgressWithoutCohort {
  inCohort: false;
  name: string;
}

export type MyProgress = MyProgressInCohort | MyProgressWithoutCohort;

type Deps = Pick<CommandContext, "store" | "clock" | "curriculum" | "settings">;

/**
 * One learner's progress for their own dashboard page: the cohort's week, track and topics mastered,
 * level, points, rank, streak and its heat-map, and reviews. Reads only.
 */
export async function myProgress(deps: Deps, identity: Identity): Promise<MyProgress> {
  const { member } = identity;
  const cohort = member.cohortId === null ? undefined : await deps.store.cohorts.get(member.cohortId);
  if (!cohort) return { inCohort: false, name: member.displayName };

  const now = deps.clock.now();
  const { zone, day: today } = await learnerClock(deps, identity, cohort, now);
  const unit = cohort.streakUnit;
  const [progress, points, standing, size, streakState, membership] = await Promise.all([
    cohortProgress(deps.store, cohort, now),
    deps.store.answers.totalPoints(member.id),
    deps.store.progress.standing(cohort.id, { kind: "all" }, member.id),
    deps.store.progress.size(cohort.id, { kind: "all" }),
    deps.store.progress.streak(member.id, unit),
    deps.store.tracks.current(member.id),
  ]);

  let week: CohortWeek;
  if (progress.state === "running") {
    const title = deps.curriculum.weeks.find((w) => w.week === progress.week)?.title ?? "";
    week = { state: "running", week: progress.week, of: TOTAL_WEEKS, title, paused: progress.paused };
  } else if (progress.state === "finished") {
    week = { state: "finished" };
  } else {
    week = {
      state: "not-started",
      startsAt: progress.startsAt ? formatInZone(progress.startsAt, cohort.timezone) : null,
    };
  }

  const track = deps.curriculum.tracks.find((t) => t.id === membership?.trackId);
  let myTrack: MyTrack | null = null;
  if (track) {
    const history = await deps.store.answers.history(member.id);
    const solved = new Set([...history].filter(([, h]) => h.solved).map(([id]) => id));
    const topics = trackProgress(deps.curriculum, track, solved);
    const level = ladderLevel(track, points);
    const ladder = [...track.ladder].sort((a, b) => a.minPoints - b.minPoints);
    myTrack = {
      id: track.id,
      name: track.name,
      level: { title: level.step.title, experience: level.step.experience },
      next: level.next ? { title: level.next.step.title, pointsToGo: level.next.pointsToGo } : null,
      ladder: ladder.map((step, index) => ({
        title: step.title,
        experience: step.experience,
        minPoints: step.minPoints,
        current: index === level.index,
      })),
      topics: topics.topics,
      mastered: topics.done,
    };
  }

  return {
    inCohort: true,
    name: member.displayName,
    zone,
    today,
    cohort: { id: cohort.id, name: cohort.name, week },
    points,
    rank: standing ? { rank: standing.rank, of: size } : null,
    track: myTrack,
    streak: { ...streakAsOf(streakState, today, unit), unit, maxFreezes: MAX_FREEZES },
    activity: await activityOf(deps, member.id, today, zone),
    reviews: await reviewsOf(deps, member.id, zone),
  };
}

async function activityOf(deps: Deps, memberId: number, today: string, zone: string): Promise<MyActivity> {
  const { first, last } = heatmapRange(today, ACTIVITY_WEEKS);
  const counts = await deps.store.progress.activity(memberId, first, last);
  const perWeek: WeekOfActivity[] = [];
  for (let column = 0; column < ACTIVITY_WEEKS; column++) {
    const monday = addDays(first, column * 7);
    // Days after today have no activity, so a week may run to its Sunday.
    const week = activitySummary(counts, monday, addDays(monday, 6));
    perWeek.push({ monday, activeDays: week.activeDays, activities: week.activities });
  }
  return {
    weeks: ACTIVITY_WEEKS,
    first,
    last,
    summary: activitySummary(counts, first, last),
    perWeek: perWeek.reverse(),
    svg: heatmapSvg({
      title: `Your activity per day, last ${ACTIVITY_WEEKS} weeks (${zone})`,
      endDate: today,
      weeks: ACTIVITY_WEEKS,
      counts,
      theme: "page",
    }),
  };
}

async function reviewsOf(deps: Deps, memberId: number, zone: string): Promise<MyReviews> {
  const now = deps.clock.now();
  const due = await deps.store.reviews.nextDue(memberId, now);
  if (due) return { state: "due", questionId: due.questionId, dueSince: formatInZone(due.dueAt, zone) };
  const next = await deps.store.reviews.earliest(memberId);
  if (next) return { state: "later", questionId: next.questionId, dueAt: formatInZone(next.dueAt, zone) };
  return { state: "none" };
}
