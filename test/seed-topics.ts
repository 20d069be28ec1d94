import type { LaneId } from "../src/core/curriculum/schema.js";

export interface SeedTopic {
  /** The block's weeks, e.g. [1, 2] for "Week 1-2". */
  weeks: [number, number];
  lane: LaneId;
  topic: string;
}

/**
 * Reads the topics out of the seed roadmap: the tree lines under each
 * "Week n" or "Week n-m" header, in the lane of the section they sit in.
 */
export function parseSeedTopics(text: string): SeedTopic[] {
  const topics: SeedTopic[] = [];
  let lane: LaneId = "core";
  let weeks: [number, number] | undefined;
  let inBlock = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("### ")) {
      lane = /NoSQL/i.test(line) ? "nosql" : /SQL & Relational/i.test(line) ? "postgres" : "core";
      continue;
    }
    if (line.startsWith("```")) {
      inBlock = !inBlock;
      weeks = undefined;
      continue;
    }
    if (!inBlock) continue;
    const header = /^Week (\d+)(?:-(\d+))?:/.exec(line);
    if (header) {
      const first = Number(header[1]);
      weeks = [first, header[2] ? Number(header[2]) : first];
      continue;
    }
    // Tree lines start with box-drawing characters, mis-encoded or not; the topic starts at the first letter.
    const topic = line.replace(/^[^A-Za-z]+/, "").trim();
    if (weeks && topic) topics.push({ weeks, lane, topic });
  }
  return topics;
}
