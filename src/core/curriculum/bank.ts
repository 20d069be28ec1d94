import { z } from "zod";
import { engines } from "../sandbox.js";
import { id } from "./schema.js";

// The question bank: quiz items, hands-on challenges and the datasets they run on.
// Documented for authors in curriculum/README.md.

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

export const difficulties = ["easy", "medium", "hard"] as const;
export const Difficulty = z.enum(difficulties);
export type Difficulty = z.infer<typeof Difficulty>;

const choiceId = z.string().regex(/^[a-h]$/, "must be a single letter a–h");
const Choice = z.strictObject({ id: choiceId, text: text(1, 200) });

const itemBase = {
  id,
  week: z.number().int().min(1).max(20),
  difficulty: Difficulty,
  /** Topic ids from the weeks this item tests. */
  topics: z.array(id).min(1),
  /** Tracks this item matters most to; empty means every track. */
  tracks: z.array(id).default([]),
  /** Markdown. */
  prompt: text(10, 1200),
  /** Markdown shown after answering: teaches why, not only what. */
  explanation: text(40, 1500),
};

const choicesWithUniqueIds = z
  .array(Choice)
  .min(2)
  .max(6)
  .refine((choices) => new Set(choices.map((c) => c.id)).size === choices.length, "choice ids must differ");

export const QuizItem = z
  .discriminatedUnion("kind", [
    z.strictObject({
      ...itemBase,
      kind: z.literal("single"),
      choices: choicesWithUniqueIds,
      answer: choiceId,
    }),
    z.strictObject({
      ...itemBase,
      kind: z.literal("multiple"),
      choices: choicesWithUniqueIds,
      answer: z.array(choiceId).min(1),
    }),
    z.strictObject({ ...itemBase, kind: z.literal("true-false"), answer: z.boolean() }),
    z.strictObject({
      ...itemBase,
      kind: z.literal("short"),
      /** Accepted answers; compared without regard to case, spacing or surrounding punctuation. */
      answer: z.array(text(1, 100)).min(1),
    }),
  ])
  .superRefine((item, ctx) => {
    if (item.kind !== "single" && item.kind !== "multiple") return;
    const ids = new Set(item.choices.map((c) => c.id));
    const answers = Array.isArray(item.answer) ? item.answer : [item.answer];
    answers.forEach((answer, index) => {
      if (!ids.has(answer)) {
        ctx.addIssue({
          code: "custom",
          path: Array.isArray(item.answer) ? ["answer", index] : ["answer"],
          message: `"${answer}" is not one of the choices`,
        });
      }
    });
  });
export type QuizItem = z.infer<typeof QuizItem>;

export const QuizFile = z.strictObject({ items: z.array(QuizItem).min(1) });

export const DatasetSpec = z.strictObject({
  id,
  engine: z.enum(engines),
  /** What the data is, for authors and for learners who ask. */
  description: text(20, 1500),
  /** sqlite/postgres: SQL; mongodb: JSON of collection → documents; redis: one command per line. */
  setup: text(10, 400_000),
});
export type DatasetSpec = z.infer<typeof DatasetSpec>;

/**
 * Another state of a challenge's dataset, graded like the dataset itself and never shown: an answer
 * must compute its result, not spell out the visible one.
 */
const Variant = z.strictObject({
  /** For authors: what differs from the dataset. */
  about: text(10, 300),
  /**
   * sqlite/postgres: SQL run after the dataset's setup; redis: commands run after it, one per line;
   * mongodb: a JSON object whose collections replace the dataset's collections of the same name.
   */
  setup: text(5, 100_000),
});
export type Variant = z.infer<typeof Variant>;

const WrongAnswer = z.strictObject({
  query: text(1, 8000),
  /** Why it is wrong: what the grader should catch. */
  why: text(10, 400),
});

export const Challenge = z
  .strictObject({
    id,
    week: z.number().int().min(1).max(20),
    engine: z.enum(engines),
    /** A dataset id of the same engine. */
    dataset: id,
    difficulty: Difficulty,
    topics: z.array(id).min(1),
    tracks: z.array(id).default([]),
    title: text(5, 100),
    /** Markdown: the task, including which columns in which order, and whether order matters. */
    prompt: text(40, 2000),
    /** Row order is graded only when the task asks for an order. */
    ordered: z.boolean(),
    /**
     * The result columns the asked order is on, in order; rows tied on all of them may come in any
     * order. Without it an ordered result must match row for row.
     */
    orderBy: z.array(z.string().min(1)).min(1).optional(),
    /** Other states of the dataset the answer is also graded on; never shown to the learner. */
    variants: z.array(Variant).default([]),
    /** Tasks that change data; the `check` query's result is graded instead of the query's own. */
    writes: z.boolean().default(false),
    check: text(1, 4000).optional(),
    /**
     * Plan requirements, checked with EXPLAIN on a trusted query (`query`, else `check`) after the
     * learner's statements: patterns (case-insensitive regular expressions) the plan must or must not show.
     */
    plan: z
      .strictObject({
        query: text(1, 4000).optional(),
        includes: z.array(text(1, 200)).default([]),
        excludes: z.array(text(1, 200)).default([]),
        /** Told to the learner when the plan check fails. */
        hint: text(10, 300),
      })
      .optional(),
    solution: text(1, 8000),
    /** Other correct solutions written differently: they must pass too. */
    alternatives: z.array(text(1, 8000)).default([]),
    wrong: z.array(WrongAnswer).min(1),
    hints: z.array(text(10, 300)).max(5).default([]),
    explanation: text(40, 2000),
  })
  .superRefine((challenge, ctx) => {
    if (challenge.orderBy && !challenge.ordered)
      ctx.addIssue({ code: "custom", path: ["orderBy"], message: "orderBy needs ordered: true" });
    if (challenge.plan && challenge.plan.query === undefined && challenge.check === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["plan", "query"],
        message: "a plan check needs the query whose plan is judged: set plan.query or check",
      });
  });
export type Challenge = z.infer<typeof Challenge>;

export interface Bank {
  items: readonly QuizItem[];
  challenges: readonly Challenge[];
  datasets: readonly DatasetSpec[];
}
