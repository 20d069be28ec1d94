import { describe, expect, it } from "vitest";
import { realCurriculum } from "../../test/helpers.js";

// The bank must carry a cohort through all twenty weeks, on every track and engine.
describe("the question bank", () => {
  const { weeks, tracks, bank } = realCurriculum();

  it("given every week, has at least 8 quiz items of at least three kinds and all three difficulties", () => {
    const short = weeks
      .map((week) => {
        const items = bank.items.filter((item) => item.week === week.week);
        const kinds = new Set(items.map((i) => i.kind)).size;
        const levels = new Set(items.map((i) => i.difficulty)).size;
        return { week: week.week, items: items.length, kinds, levels };
      })
      .filter((w) => w.items < 8 || w.kinds < 3 || w.levels < 3);
    expect(short).toEqual([]);
  });

  it("given every week, each of its seed topics (every lane) is tested by at least one of that week's items", () => {
    const untested = weeks.flatMap((week) =>
      week.lanes.flatMap((lane) =>
        lane.topics
          .filter(
            (topic) => !bank.items.some((item) => item.week === week.week && item.topics.includes(topic.id)),
          )
          .map((topic) => `week ${week.week} ${lane.lane}: ${topic.seed}`),
      ),
    );
    expect(untested).toEqual([]);
  });

  it("given every role track, at least 20 items are tagged for it", () => {
    const thin = tracks
      .map((track) => ({
        track: track.id,
        items: [...bank.items, ...bank.challenges].filter((item) => item.tracks.includes(track.id)).length,
      }))
      .filter((t) => t.items < 20);
    expect(thin).toEqual([]);
  });

  it("given the engines, has at least 40 challenges: 15 SQLite, 10 PostgreSQL, 10 MongoDB and 5 Redis", () => {
    const count = (engine: string) => bank.challenges.filter((c) => c.engine === engine).length;
    expect({
      total: bank.challenges.length >= 40,
      sqlite: count("sqlite") >= 15,
      postgres: count("postgres") >= 10,
      mongodb: count("mongodb") >= 10,
      redis: count("redis") >= 5,
    }).toEqual({ total: true, sqlite: true, postgres: true, mongodb: true, redis: true });
  });

  it("given every challenge, another correct solution and at least two close wrong answers prove grading is by result", () => {
    const weak = bank.challenges
      .filter((c) => c.alternatives.length < 1 || c.wrong.length < 2)
      .map((c) => `${c.id}: ${c.alternatives.length} alternatives, ${c.wrong.length} wrong`);
    expect(weak).toEqual([]);
  });

  it("given every lane of every week, its hands-on exercise points at a challenge of that week on a fitting engine", () => {
    const fits = {
      core: ["sqlite", "postgres", "mongodb", "redis"],
      postgres: ["postgres"],
      nosql: ["mongodb", "redis"],
    };
    const missing = weeks.flatMap((week) =>
      week.lanes
        .filter((lane) => {
          const challenge = bank.challenges.find((c) => c.id === lane.exercise.challenge);
          return !challenge || challenge.week !== week.week || !fits[lane.lane].includes(challenge.engine);
        })
        .map((lane) => `week ${week.week} ${lane.lane}: ${lane.exercise.challenge ?? "no challenge"}`),
    );
    expect(missing).toEqual([]);
  });

  it("given the whole bank, has at least 68 challenges and 356 quiz items, and a challenge for at least 80 of the 92 seed topics", () => {
    const topics = weeks.flatMap((w) => w.lanes.flatMap((l) => l.topics.map((t) => t.id)));
    const practised = topics.filter((topic) => bank.challenges.some((c) => c.topics.includes(topic)));
    expect({
      challenges: bank.challenges.length >= 68,
      items: bank.items.length >= 356,
      topics: topics.length,
      practised: practised.length >= 80,
    }).toEqual({ challenges: true, items: true, topics: 92, practised: true });
  });

  it("given the NoSQL and PostgreSQL lanes of weeks 5–12, the NoSQL lane has at least as many quiz items", () => {
    const laneOf = new Map(
      weeks.flatMap((w) => w.lanes.flatMap((l) => l.topics.map((t) => [t.id, l.lane] as const))),
    );
    const count = (lane: string) =>
      bank.items.filter((i) => i.topics.some((t) => laneOf.get(t) === lane)).length;
    expect(count("nosql")).toBeGreaterThanOrEqual(count("postgres"));
  });

  it("given every challenge, it is also graded on at least one hidden variant", () => {
    expect(bank.challenges.filter((c) => c.variants.length === 0).map((c) => c.id)).toEqual([]);
  });

  it("given the topics, at least 30 carry a deep dive", () => {
    const dives = weeks.flatMap((w) => w.lanes.flatMap((l) => l.topics.filter((t) => t.deepDive)));
    expect(dives.length).toBeGreaterThanOrEqual(30);
  });
});
