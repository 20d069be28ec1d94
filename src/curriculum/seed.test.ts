import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { realCurriculum } from "../../test/helpers.js";
import { parseSeedTopics } from "../../test/seed-topics.js";
import { appRoot } from "../paths.js";

// The roadmap the curriculum teaches; a copy is kept in test/fixtures for clones without ../shared.
const shared = join(appRoot, "..", "shared", "seed", "000_48bb180e8ebe7bba.txt");
const fixture = join(appRoot, "test", "fixtures", "seed-roadmap.txt");
const seedText = readFileSync(existsSync(shared) ? shared : fixture, "utf8");

describe("the seed roadmap", () => {
  const seed = parseSeedTopics(seedText);

  it("given the seed, finds all of its topic lines", () => {
    // 10 foundation, 22 PostgreSQL, 20 NoSQL, 40 system design.
    expect(seed).toHaveLength(92);
    expect(seed[0]).toEqual({
      weeks: [1, 2],
      lane: "core",
      topic: "SQL basics (SELECT, INSERT, UPDATE, DELETE)",
    });
  });

  it("given the curriculum, every seed topic is taught in its weeks and lane", () => {
    const taught = realCurriculum().weeks.flatMap((week) =>
      week.lanes.flatMap((lane) =>
        lane.topics.map((topic) => ({ week: week.week, lane: lane.lane, seed: topic.seed })),
      ),
    );
    const missing = seed.filter(
      (s) =>
        !taught.some(
          (t) => t.seed === s.topic && t.lane === s.lane && t.week >= s.weeks[0] && t.week <= s.weeks[1],
        ),
    );
    expect(missing.map((m) => `weeks ${m.weeks.join("-")} ${m.lane}: ${m.topic}`)).toEqual([]);
  });
});
