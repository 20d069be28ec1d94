import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../../test/helpers.js";
import { shownLetter } from "../../../test/shown-letter.js";
import type { Bank, Challenge, QuizItem } from "../curriculum/bank.js";
import { handleText } from "../dispatch.js";
import type { Grade } from "../grading/grader.js";

const items: QuizItem[] = [
  {
    id: "w01-left",
    week: 1,
    kind: "single",
    difficulty: "easy",
    topics: ["joins"],
    tracks: [],
    prompt: "Which join keeps customers with no orders?",
    choices: [
      { id: "a", text: "INNER JOIN" },
      { id: "b", text: "LEFT JOIN" },
    ],
    answer: "b",
    explanation: "A LEFT JOIN keeps every row of the left table and fills the right side with NULLs.",
  },
  {
    id: "w01-having",
    week: 1,
    kind: "short",
    difficulty: "medium",
    topics: ["aggregation-grouping"],
    tracks: ["dba"],
    prompt: "Which clause filters groups after GROUP BY?",
    answer: ["HAVING"],
    explanation: "WHERE filters rows before grouping; HAVING filters the groups after aggregation.",
  },
  {
    id: "w01-null",
    week: 1,
    kind: "true-false",
    difficulty: "hard",
    topics: ["sql-basics"],
    tracks: [],
    prompt: "NULL = NULL is true.",
    answer: false,
    explanation: "Comparing with NULL gives NULL (unknown), not true: use IS NULL.",
  },
];

const challenge: Challenge = {
  id: "sql-counts",
  week: 1,
  engine: "sqlite",
  dataset: "store-sqlite",
  difficulty: "medium",
  topics: ["joins"],
  tracks: [],
  title: "Orders per customer",
  prompt: "List every customer and how many orders they placed. Columns: name, orders.",
  ordered: false,
  writes: false,
  solution: "SELECT 1",
  alternatives: [],
  variants: [],
  wrong: [{ query: "SELECT 2", why: "for the test" }],
  hints: ["Start from customers and LEFT JOIN orders.", "count(o.id) counts only matched orders."],
  explanation: "The LEFT JOIN keeps customers without orders; count(o.id) gives them 0.",
};

const bank: Bank = { items, challenges: [challenge], datasets: [] };
/** The letter a terminal learner sees for a choice of w01-left. */
const letter = (user: string, choiceId: string) =>
  shownLetter(bank, "w01-left", choiceId, { learner: actor(user) });

/** A grader that answers from a script, so the command's scoring is tested on its own. */
function scriptedGrader(grades: Grade[]) {
  return { grade: async () => grades.shift() ?? { verdict: "pass" as const } };
}

const say = async (t: ReturnType<typeof testCore>, user: string, line: string) => {
  const reply = await handleText(t.core, actor(user), line);
  return [
    reply?.title,
    reply?.text,
    reply?.footer,
    ...(reply?.sections ?? []).map((s) => `${s.heading}: ${s.text}`),
  ]
    .filter(Boolean)
    .join("\n");
};

describe("quiz and answer", () => {
  it("given a learner on the DBA track, /quiz offers items for every track and theirs first, then says when the week is done", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { bank, grader: scriptedGrader([]) });
    await say(t, "ana", "/track join dba");
    const first = await handleText(t.core, actor("ana"), "/quiz 1");
    expect(first?.title).toBe("Quiz · week 1 · easy · 3 left · w01-left");
    expect(
      first?.choices
        ?.map((c) => c.action)
        .sort((x, y) => (x.args.choice ?? "").localeCompare(y.args.choice ?? "")),
    ).toEqual([
      { command: "answer", args: { question: "w01-left", choice: "key:a" } },
      { command: "answer", args: { question: "w01-left", choice: "key:b" } },
    ]);
    expect(await say(t, "ana", `/answer w01-left ${letter("ana", "b")}`)).toMatch(
      /Right! \+10 points \(10 in all\)/,
    );
    expect((await handleText(t.core, actor("ana"), "/quiz 1"))?.title).toBe(
      "Quiz · week 1 · medium · 2 left · w01-having",
    );
    expect(await say(t, "ana", "/answer w01-having  having. ")).toMatch(/Right! \+20 points \(30 in all\)/);
    expect(await say(t, "ana", "/answer w01-null yes")).toMatch(
      /Not quite: the answer is false\.[\s\S]*Why: Comparing with NULL/,
    );
    expect(await say(t, "ana", "/quiz 1")).toMatch(/You've answered all 3 questions of week 1 \(2 right\)/);
  });

  it("given an answer twice, the second counts nothing and says so", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { bank, grader: scriptedGrader([]) });
    await say(t, "bo", `/answer w01-left ${letter("bo", "a")}`);
    const before = tableCounts(t.database);
    expect(await say(t, "bo", `/answer w01-left ${letter("bo", "b")}`)).toMatch(
      /You already answered w01-left \(not right\)/,
    );
    expect(tableCounts(t.database)).toEqual(before);
  });

  it("given answers that cannot be read or ids that don't exist, explains and writes nothing", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { bank, grader: scriptedGrader([]) });
    const before = tableCounts(t.database);
    expect(await say(t, "cy", "/answer w01-left z")).toMatch(
      /can't read "z" as an answer to w01-left: answer with one letter: a, b/,
    );
    expect(await say(t, "cy", "/answer w01-null maybe")).toMatch(/answer true or false/);
    expect(await say(t, "cy", "/answer nope b")).toMatch(/There is no quiz question "nope"/);
    expect(await say(t, "cy", "/answer sql-counts b")).toMatch(
      /sql-counts is a challenge[\s\S]*\/submit sql-counts/,
    );
    expect(await say(t, "cy", "/quiz 9")).toMatch(
      /no quiz questions for week 9 yet[\s\S]*Weeks with questions: 1/,
    );
    expect(await say(t, "cy", "/submit nope SELECT 1")).toMatch(/There is no challenge "nope"/);
    expect(tableCounts(t.database)).toEqual(before);
  });
});

describe("submit", () => {
  it("given two failures then a success, shows hints, scores once without the first-try bonus, and never again", async () => {
    const t = testCore("2026-03-04T10:00:00Z", {
      bank,
      grader: scriptedGrader([
        { verdict: "fail", feedback: "Your query returned 3 rows; the answer has 4." },
        { verdict: "error", reason: "syntax", feedback: 'The database said: near "SELEC": syntax error' },
        { verdict: "pass" },
        { verdict: "pass" },
      ]),
    });
    expect(await say(t, "ana", "/submit sql-counts SELECT …")).toMatch(
      /Not yet\. Your query returned 3 rows; the answer has 4\.\nAttempt 1\.[\s\S]*Hint 1: Start from customers/,
    );
    expect(await say(t, "ana", "/submit sql-counts SELEC")).toMatch(
      /syntax error[\s\S]*Hint 2: count\(o\.id\)/,
    );
    expect(await say(t, "ana", "/submit sql-counts SELECT …")).toMatch(
      /Solved! \+20 points, 20 in all\.[\s\S]*Why it works/,
    );
    expect(await say(t, "ana", "/submit sql-counts SELECT …")).toMatch(/Correct again.*no new points/);
    // Every attempt is an activity in the ledger; only the first success carries points.
    const ledger = t.database.sqlite.prepare("SELECT points, correct, reason FROM points_ledger").all();
    expect(ledger).toEqual([
      { points: 0, correct: 0, reason: "challenge sql-counts" },
      { points: 0, correct: 0, reason: "challenge sql-counts" },
      { points: 20, correct: 1, reason: "challenge sql-counts" },
      { points: 0, correct: 1, reason: "challenge sql-counts" },
    ]);
  });

  it("given a first-try success, adds the bonus", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { bank, grader: scriptedGrader([{ verdict: "pass" }]) });
    expect(await say(t, "bo", "/submit sql-counts SELECT …")).toMatch(
      /Solved! \+25 points \(with the first-try bonus\)/,
    );
  });

  it("given the grader unavailable, says so and counts nothing", async () => {
    const t = testCore("2026-03-04T10:00:00Z", {
      bank,
      grader: scriptedGrader([
        {
          verdict: "unavailable",
          feedback: "The grader isn't available right now; your attempt wasn't counted.",
        },
      ]),
    });
    const before = tableCounts(t.database);
    expect(await say(t, "cy", "/submit sql-counts SELECT 1")).toMatch(/attempt wasn't counted/);
    expect(tableCounts(t.database)).toEqual(before);
  });
});

describe("review", () => {
  it("given a missed question, it comes back the next day, and right answers space it out until it is learnt", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { bank, grader: scriptedGrader([]) });
    expect(await say(t, "ana", "/review")).toMatch(
      /Nothing to review: questions you miss in \/quiz come back here/,
    );
    expect(await say(t, "ana", `/answer w01-left ${letter("ana", "a")}`)).toMatch(
      /Not quite[\s\S]*comes back tomorrow in \/review/,
    );
    expect(await say(t, "ana", "/review")).toMatch(
      /Nothing to review right now\. Your next review is due Thu 2026-03-05 10:00 UTC/,
    );

    t.clock.set("2026-03-05T10:00:00Z");
    const due = await handleText(t.core, actor("ana"), "/review");
    expect(due?.title).toBe("Review · week 1 · w01-left");
    expect(
      due?.choices
        ?.map((c) => c.action)
        .sort((x, y) => (x.args.choice ?? "").localeCompare(y.args.choice ?? "")),
    ).toEqual([
      { command: "review", args: { question: "w01-left", choice: "key:a" } },
      { command: "review", args: { question: "w01-left", choice: "key:b" } },
    ]);
    expect(due?.footer).toBe("Answer with /review w01-left <choice>");
    expect(await say(t, "ana", `/review w01-left ${letter("ana", "b")}`)).toMatch(
      /Right! It comes back Sun 2026-03-08 10:00 UTC/,
    );

    for (const at of ["2026-03-08T10:00:00Z", "2026-03-16T10:00:00Z", "2026-04-07T10:00:00Z"]) {
      t.clock.set(at);
      await say(t, "ana", `/review w01-left ${letter("ana", "b")}`);
    }
    expect(await say(t, "ana", "/review")).toMatch(/Nothing to review: questions you miss/);
    // Reviews teach and keep a streak going, but never score.
    expect(
      t.database.sqlite.prepare("SELECT count(*) AS n, sum(points) AS points FROM points_ledger").get(),
    ).toEqual({
      n: 5,
      points: 0,
    });
  });

  it("given a question that is not in your reviews, says so and writes nothing", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { bank, grader: scriptedGrader([]) });
    await say(t, "bo", `/answer w01-left ${letter("bo", "b")}`);
    const before = tableCounts(t.database);
    expect(await say(t, "bo", `/review w01-left ${letter("bo", "b")}`)).toMatch(
      /"w01-left" is not in your reviews/,
    );
    expect(tableCounts(t.database)).toEqual(before);
  });
});
