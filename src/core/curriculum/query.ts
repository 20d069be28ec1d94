import type { Curriculum, LaneId, LaneModule, Topic, Track, Week } from "./schema.js";

export function findWeek(curriculum: Curriculum, n: number): Week | undefined {
  return curriculum.weeks.find((week) => week.week === n);
}

const normalise = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/[()]/g, "");

/** A track by id, alias or name, without regard to case or spacing. */
export function findTrack(curriculum: Curriculum, query: string): Track | undefined {
  const wanted = normalise(query);
  return curriculum.tracks.find(
    (track) => track.id === wanted || track.aliases.includes(wanted) || normalise(track.name) === wanted,
  );
}

/** The lanes of a week a learner on this track reads; everyone reads every lane without a track. */
export function lanesFor(week: Week, track: Track | undefined): LaneModule[] {
  if (!track) return week.lanes;
  const chosen = week.lanes.filter(
    (lane) => lane.lane === "core" || track.lanes.includes(lane.lane as "postgres" | "nosql"),
  );
  return chosen.length > 0 ? chosen : week.lanes;
}

export function laneTitle(curriculum: Curriculum, lane: LaneId): string {
  return curriculum.roadmap.lanes.find((l) => l.id === lane)?.title ?? lane;
}

export function allTopics(curriculum: Curriculum): { week: number; lane: LaneId; topic: Topic }[] {
  return curriculum.weeks.flatMap((week) =>
    week.lanes.flatMap((lane) => lane.topics.map((topic) => ({ week: week.week, lane: lane.lane, topic }))),
  );
}
