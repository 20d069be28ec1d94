import { lanesFor } from "../curriculum/query.js";
import type { CareerStep, Curriculum, LaneId, Track } from "../curriculum/schema.js";

export interface TopicProgress {
  topicId: string;
  title: string;
  week: number;
  lane: LaneId;
  /** Items of the topic the learner has solved. */
  solved: number;
  total: number;
  done: boolean;
}

export interface TrackProgress {
  topics: TopicProgress[];
  /** Topics done. */
  done: number;
  total: number;
}

/** Item ids (quiz items and challenges) per topic id they are tagged with. */
function itemsByTopic(curriculum: Curriculum): Map<string, Set<string>> {
  const byTopic = new Map<string, Set<string>>();
  for (const item of [...curriculum.bank.items, ...curriculum.bank.challenges]) {
    for (const topic of item.topics) {
      let ids = byTopic.get(topic);
      if (!ids) {
        ids = new Set();
        byTopic.set(topic, ids);
      }
      ids.add(item.id);
    }
  }
  return byTopic;
}

/**
 * Topics of the weeks and lanes the track follows (all core lanes + the track's lanes in weeks 5–12), in week order.
 * A topic's items are the bank's quiz items and challenges tagged with it; it is done when every one is solved.
 */
export function trackProgress(
  curriculum: Curriculum,
  track: Track,
  solved: ReadonlySet<string>,
): TrackProgress {
  const byTopic = itemsByTopic(curriculum);
  const weeks = [...curriculum.weeks].sort((a, b) => a.week - b.week);
  const topics = weeks.flatMap((week) =>
    lanesFor(week, track).flatMap((lane) =>
      lane.topics.map((topic): TopicProgress => {
        const ids = [...(byTopic.get(topic.id) ?? [])];
        const solvedCount = ids.filter((itemId) => solved.has(itemId)).length;
        return {
          topicId: topic.id,
          title: topic.title,
          week: week.week,
          lane: lane.lane,
          solved: solvedCount,
          total: ids.length,
          // A topic with nothing to solve cannot be shown as mastered.
          done: ids.length > 0 && solvedCount === ids.length,
        };
      }),
    ),
  );
  return { topics, done: topics.filter((topic) => topic.done).length, total: topics.length };
}

export interface LadderLevel {
  step: CareerStep;
  /** Position of `step` in the ladder sorted by minPoints (0 = first step). */
  index: number;
  next: { step: CareerStep; pointsToGo: number } | null;
}

/** The career-ladder step the learner's points reach (steps sorted by minPoints). */
export function ladderLevel(track: Track, points: number): LadderLevel {
  const ladder = [...track.ladder].sort((a, b) => a.minPoints - b.minPoints);
  const reached = ladder.filter((step) => step.minPoints <= points).length;
  // Below the first step's minimum (only possible if it is above 0) the learner is still shown on the first step.
  const index = Math.max(reached - 1, 0);
  const step = ladder[index];
  if (!step) throw new RangeError(`track ${track.id} has an empty career ladder`);
  const nextStep = ladder[index + 1];
  return {
    step,
    index,
    next: nextStep ? { step: nextStep, pointsToGo: nextStep.minPoints - points } : null,
  };
}
