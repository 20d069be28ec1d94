import { describe, expect, it } from "vitest";
import { realCurriculum } from "../../../test/helpers.js";
import type { Challenge, QuizItem } from "../curriculum/bank.js";
import type {
  CareerStep,
  Curriculum,
  LaneId,
  LaneModule,
  PhaseId,
  Track,
  Week,
} from "../curriculum/schema.js";
import { ladderLevel, trackProgress } from "./progress.js";

const prose = "Text long enough for the schema, which these tests do not check.";

function lane(id: LaneId, topicIds: string[]): LaneModule {
  return {
    lane: id,
    title: `${id} lane`,
    objectives: [prose, prose, prose],
    topics: topicIds.map((topicId) => ({
      id: topicId,
      seed: topicId,
      title: `Title of ${topicId}`,
      explanation: prose,
    })),
    exercise: { title: "Exercise", task: prose, deliverable: prose, hints: [] },
    links: [],
  };
}

function week(n: number, phase: PhaseId, lanes: LaneModule[]): Week {
  return { week: n, phase, title: `Week ${n}`, summary: prose, lanes };
}

function quiz(id: string, topics: string[], tracks: string[] = []): QuizItem {
  return {
    id,
    week: 1,
    difficulty: "easy",
    topics,
    tracks,
    prompt: prose,
    explanation: prose,
    kind: "true-false",
    answer: true,
  };
}

function challenge(id: string, topics: string[]): Challenge {
  return {
    id,
    week: 1,
    engine: "sqlite",
    dataset: "shop",
    difficulty: "medium",
    topics,
    tracks: [],
    title: "A challenge",
    prompt: prose,
    ordered: false,
    writes: false,
    solution: "SELECT 1",
    alternatives: [],
    variants: [],
    wrong: [],
    hints: [],
    explanation: prose,
  };
}

const step = (title: string, minPoints: number): CareerStep => ({
  title,
  experience: "0-2 years",
  minPoints,
});

function track(
  lanes: Track["lanes"],
  ladder: CareerStep[] = [step("Junior", 0), step("Mid", 100), step("Senior", 300)],
): Track {
  return {
    id: `track-${lanes.join("-")}`,
    name: "A track",
    aliases: [],
    lanes,
    summary: prose,
    emphasis: prose,
    focusTopics: [],
    ladder,
  };
}

/** Weeks listed out of order on purpose: progress comes back in week order. */
const small: Curriculum = {
  ...realCurriculum(),
  weeks: [
    week(5, "databases", [lane("postgres", ["indexes", "vacuum"]), lane("nosql", ["documents"])]),
    week(1, "foundation", [lane("core", ["tables", "keys"])]),
    week(13, "system-design", [lane("core", ["sharding"])]),
  ],
  bank: {
    items: [
      quiz("q-tables-1", ["tables"]),
      quiz("q-tables-2", ["tables", "keys"]),
      quiz("q-indexes", ["indexes"], ["track-nosql"]),
      quiz("q-documents", ["documents"]),
      quiz("q-sharding", ["sharding"]),
    ],
    challenges: [challenge("c-keys", ["keys"]), challenge("c-indexes", ["indexes"])],
    datasets: [],
  },
};

describe("track progress", () => {
  it("given a postgres track, lists the core lanes and only the postgres lane of weeks 5–12, in week order", () => {
    const progress = trackProgress(small, track(["postgres"]), new Set());
    expect(progress.topics.map((t) => [t.week, t.lane, t.topicId])).toEqual([
      [1, "core", "tables"],
      [1, "core", "keys"],
      [5, "postgres", "indexes"],
      [5, "postgres", "vacuum"],
      [13, "core", "sharding"],
    ]);
    expect(progress.total).toBe(5);
  });

  it("given a track on both lanes, lists both lanes of weeks 5–12", () => {
    const progress = trackProgress(small, track(["postgres", "nosql"]), new Set());
    expect(progress.topics.filter((t) => t.week === 5).map((t) => t.topicId)).toEqual([
      "indexes",
      "vacuum",
      "documents",
    ]);
  });

  it("given a topic's quiz items and challenges, counts every one tagged with it, whichever track it is tagged for", () => {
    const progress = trackProgress(small, track(["postgres"]), new Set());
    const totals = Object.fromEntries(progress.topics.map((t) => [t.topicId, t.total]));
    expect(totals).toEqual({ tables: 2, keys: 2, indexes: 2, vacuum: 0, sharding: 1 });
  });

  it("given every item of a topic solved, the topic is done; some solved, it is not", () => {
    const solved = new Set(["q-tables-1", "q-tables-2", "c-keys", "c-indexes"]);
    const progress = trackProgress(small, track(["postgres"]), solved);
    const byTopic = Object.fromEntries(progress.topics.map((t) => [t.topicId, t]));
    expect(byTopic.tables).toMatchObject({ solved: 2, total: 2, done: true, title: "Title of tables" });
    expect(byTopic.keys).toMatchObject({ solved: 2, total: 2, done: true });
    expect(byTopic.indexes).toMatchObject({ solved: 1, total: 2, done: false });
    expect(progress.done).toBe(2);
  });

  it("given a topic with no items, it is never done", () => {
    const everything = new Set([...small.bank.items, ...small.bank.challenges].map((item) => item.id));
    const progress = trackProgress(small, track(["postgres"]), everything);
    const vacuum = progress.topics.find((t) => t.topicId === "vacuum");
    expect(vacuum).toMatchObject({ solved: 0, total: 0, done: false });
    expect(progress).toMatchObject({ done: 4, total: 5 });
  });

  it("given solved ids of items outside the track, they do not count", () => {
    const progress = trackProgress(small, track(["postgres"]), new Set(["q-documents", "unknown-id"]));
    expect(progress.done).toBe(0);
    expect(progress.topics.every((t) => t.solved === 0)).toBe(true);
  });
});

describe("track progress on the real curriculum", () => {
  const curriculum = realCurriculum();

  it.each(curriculum.tracks.map((t) => [t.id, t] as const))(
    "given the %s track, it has topics and each topic has at least one item",
    (_, realTrack) => {
      const progress = trackProgress(curriculum, realTrack, new Set());
      expect(progress.total).toBeGreaterThan(0);
      const empty = progress.topics
        .filter((t) => t.total === 0)
        .map((t) => `week ${t.week} ${t.lane}: ${t.topicId}`);
      expect(empty).toEqual([]);
    },
  );

  it("given every item of the bank solved, every topic of every track is done", () => {
    const everything = new Set(
      [...curriculum.bank.items, ...curriculum.bank.challenges].map((item) => item.id),
    );
    for (const realTrack of curriculum.tracks) {
      const progress = trackProgress(curriculum, realTrack, everything);
      expect(progress.done, realTrack.id).toBe(progress.total);
    }
  });
});

describe("career ladder", () => {
  const ladder = [step("Senior", 300), step("Junior", 0), step("Mid", 100)];
  const unsorted = track(["postgres"], ladder);

  it("given no points, the learner is on the first step with the second one next", () => {
    expect(ladderLevel(unsorted, 0)).toEqual({
      step: step("Junior", 0),
      index: 0,
      next: { step: step("Mid", 100), pointsToGo: 100 },
    });
  });

  it("given one point below a step's minimum, the learner is still on the step before", () => {
    expect(ladderLevel(unsorted, 99)).toMatchObject({ index: 0, next: { pointsToGo: 1 } });
    expect(ladderLevel(unsorted, 299)).toMatchObject({
      step: { title: "Mid" },
      index: 1,
      next: { pointsToGo: 1 },
    });
  });

  it("given exactly a step's minimum, the learner reaches that step", () => {
    expect(ladderLevel(unsorted, 100)).toMatchObject({
      step: { title: "Mid" },
      index: 1,
      next: { pointsToGo: 200 },
    });
  });

  it("given the top step's minimum or more, there is no next step", () => {
    expect(ladderLevel(unsorted, 300)).toEqual({ step: step("Senior", 300), index: 2, next: null });
    expect(ladderLevel(unsorted, 10_000)).toMatchObject({ index: 2, next: null });
  });

  it("given points below a first step that starts above zero, the learner is shown on the first step", () => {
    const late = track(["postgres"], [step("Junior", 50), step("Mid", 100), step("Senior", 300)]);
    expect(ladderLevel(late, 10)).toMatchObject({ step: { title: "Junior" }, index: 0 });
  });

  it("given the real tracks, each ladder starts at 0 points so every learner has a step", () => {
    for (const realTrack of realCurriculum().tracks) {
      expect(ladderLevel(realTrack, 0).index, realTrack.id).toBe(0);
      expect(Math.min(...realTrack.ladder.map((s) => s.minPoints)), realTrack.id).toBe(0);
    }
  });
});
