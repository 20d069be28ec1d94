import { z } from "zod";
import type { Bank } from "./bank.js";

/** Lanes a week can have: one shared lane, or the two parallel lanes of weeks 5–12. */
const laneIds = ["core", "postgres", "nosql"] as const;
export const LaneId = z.enum(laneIds);
export type LaneId = z.infer<typeof LaneId>;

/** Ids in the curriculum and the bank: kebab-case. */
export const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case: lowercase letters, digits and single dashes");
const prose = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `must be at least ${min} characters of real text`)
    .max(max, `must be at most ${max} characters`);
const officialUrl = z
  .string()
  .url("must be an absolute URL")
  .refine((url) => url.startsWith("https://"), "must use https://");

export const Link = z.strictObject({
  title: prose(3, 120),
  url: officialUrl,
});
export type Link = z.infer<typeof Link>;

export const Topic = z.strictObject({
  id,
  /** The topic exactly as the seed roadmap lists it, so coverage can be checked. */
  seed: prose(3, 120),
  title: prose(3, 80),
  /** Markdown, written for this module. */
  explanation: prose(200, 1600),
  /** Markdown: a longer read the module links to, opened with `/week <n> <topic>`. */
  deepDive: prose(1500, 5200).optional(),
});
export type Topic = z.infer<typeof Topic>;

export const Exercise = z.strictObject({
  title: prose(3, 100),
  /** Markdown: what to build or run, step by step. */
  task: prose(120, 2000),
  /** What the learner should have at the end. */
  deliverable: prose(20, 400),
  hints: z.array(prose(10, 300)).max(5).default([]),
  /** The id of a challenge of this week that practises the exercise (graded with /submit). */
  challenge: id.optional(),
});
export type Exercise = z.infer<typeof Exercise>;

export const LaneModule = z.strictObject({
  lane: LaneId,
  /** The seed's block title, e.g. "PostgreSQL Basics". */
  title: prose(3, 80),
  objectives: z.array(prose(15, 200)).min(3).max(6),
  topics: z.array(Topic).min(1).max(6),
  exercise: Exercise,
  links: z.array(Link).min(2).max(8),
});
export type LaneModule = z.infer<typeof LaneModule>;

/** A week of the roadmap, 1 to 20. */
const weekNumber = z.number().int().min(1).max(20);

const phaseIds = ["foundation", "databases", "system-design"] as const;
export const PhaseId = z.enum(phaseIds);
export type PhaseId = z.infer<typeof PhaseId>;

export const Week = z
  .strictObject({
    week: weekNumber,
    phase: PhaseId,
    title: prose(3, 100),
    /** One or two sentences shown in the roadmap and at the top of the module. */
    summary: prose(40, 400),
    lanes: z.array(LaneModule).min(1).max(2),
  })
  .superRefine((week, ctx) => {
    const lanes = week.lanes.map((lane) => lane.lane);
    const expected: LaneId[] = week.phase === "databases" ? ["postgres", "nosql"] : ["core"];
    if (lanes.join(",") !== expected.join(",")) {
      ctx.addIssue({
        code: "custom",
        path: ["lanes"],
        message: `a ${week.phase} week has the lanes ${expected.join(" then ")} (found ${lanes.join(", ") || "none"})`,
      });
    }
  });
export type Week = z.infer<typeof Week>;

const Phase = z.strictObject({
  id: PhaseId,
  title: prose(3, 80),
  goal: prose(10, 300),
  weeks: z.tuple([weekNumber, weekNumber]),
});
export type Phase = z.infer<typeof Phase>;

export const Roadmap = z.strictObject({
  title: prose(3, 100),
  description: prose(40, 600),
  phases: z.array(Phase).length(3),
  lanes: z.array(
    z.strictObject({
      id: LaneId,
      title: prose(3, 60),
      description: prose(20, 300),
    }),
  ),
});
export type Roadmap = z.infer<typeof Roadmap>;

export const CareerStep = z.strictObject({
  title: prose(3, 80),
  experience: prose(3, 40),
  /** Points a learner needs in Quorum to be shown at this level. */
  minPoints: z.number().int().min(0),
});
export type CareerStep = z.infer<typeof CareerStep>;

export const Track = z.strictObject({
  id,
  name: prose(3, 60),
  /** Other words a learner may type for it: "nosql", "architect". */
  aliases: z.array(id).default([]),
  /** The lanes of weeks 5–12 this track follows. */
  lanes: z
    .array(z.enum(["postgres", "nosql"]))
    .min(1)
    .max(2),
  summary: prose(30, 300),
  /** Markdown: what the role does and what this track stresses. */
  emphasis: prose(150, 1500),
  /** Topic ids this track gives most weight to. */
  focusTopics: z.array(id).min(5).max(30),
  ladder: z.array(CareerStep).min(3).max(5),
});
export type Track = z.infer<typeof Track>;

const projectLevels = ["beginner", "intermediate", "advanced"] as const;
const Project = z.strictObject({
  id,
  level: z.enum(projectLevels),
  /** The seed's name for it, e.g. "Normalized database design". */
  seed: prose(3, 80),
  title: prose(3, 100),
  brief: prose(150, 1500),
  milestones: z.array(prose(10, 300)).min(3).max(8),
  /** Weeks whose modules prepare for this project. */
  weeks: z.array(weekNumber).min(1),
  tracks: z.array(id).min(1),
});
export type Project = z.infer<typeof Project>;

export const TracksFile = z.strictObject({ tracks: z.array(Track).length(8) });
export const ProjectsFile = z.strictObject({ projects: z.array(Project).length(15) });

/** The whole roadmap once loaded and cross-checked. */
export interface Curriculum {
  roadmap: Roadmap;
  weeks: readonly Week[];
  tracks: readonly Track[];
  projects: readonly Project[];
  /** Quiz items, challenges and datasets (curriculum/questions, challenges, datasets). */
  bank: Bank;
}
