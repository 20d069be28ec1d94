import { describe, expect, it } from "vitest";
import { cohortWith, say, singles } from "../../../test/cohort-world.js";
import { actor, testCore } from "../../../test/helpers.js";
import type { QuizItem } from "../curriculum/bank.js";
import { orderSeed, shownChoices } from "../rules/choice-order.js";
import { choiceIdsOf, cohortBank, commonWrongChoice, promptSummary } from "./cohort-bank.js";

const base = {
  week: 1,
  difficulty: "easy" as const,
  topics: ["sql-basics"],
  tracks: [],
  prompt: "Which one?",
  explanation: "Because it is the one that fits, as the module explains at length.",
};
const choices = [
  { id: "a", text: "Apples" },
  { id: "b", text: "Bananas" },
  { id: "c", text: "Cherries" },
  { id: "d", text: "Dates" },
];
const single: QuizItem & { kind: "single" } = {
  ...base,
  id: "fruit-one",
  kind: "single",
  choices,
  answer: "a",
};
const multiple: QuizItem & { kind: "multiple" } = {
  ...base,
  id: "fruit-many",
  kind: "multiple",
  choices,
  answer: ["a", "c"],
};

describe("the most common wrong choice", () => {
  it("given stored responses, reads the bank's choice ids, a button's key too, and nothing else", () => {
    expect(choiceIdsOf(single, "b")).toEqual(["b"]);
    expect(choiceIdsOf(single, "key:b")).toEqual(["b"]);
    expect(choiceIdsOf(multiple, "a,d")).toEqual(["a", "d"]);
    for (const unreadable of ["z", "B", "a,z", "", "bananas"])
      expect(choiceIdsOf(single, unreadable)).toBeNull();
  });

  it("given wrong responses to a single item, the choice given most, with its text from the bank", () => {
    const wrong = [
      { response: "c", count: 2 },
      { response: "b", count: 3 },
      { response: "key:c", count: 2 },
      { response: "zzz", count: 9 },
    ];
    expect(commonWrongChoice(single, wrong)).toEqual({ choiceId: "c", text: "Cherries", count: 4 });
  });

  it("given wrong responses to a multiple item, counts only the picks that are not right; a tie goes to the choice listed first", () => {
    const wrong = [
      { response: "a", count: 5 },
      { response: "a,c,d", count: 2 },
      { response: "b,c", count: 2 },
    ];
    expect(commonWrongChoice(multiple, wrong)).toEqual({ choiceId: "b", text: "Bananas", count: 2 });
    // Leaving a right choice out names no wrong one.
    expect(commonWrongChoice(multiple, [{ response: "a", count: 5 }])).toBeNull();
  });

  it("given no readable wrong response, or an item without choices, there is none", () => {
    expect(commonWrongChoice(single, [])).toBeNull();
    expect(commonWrongChoice(single, [{ response: "q", count: 3 }])).toBeNull();
    const tf: QuizItem = { ...base, id: "tf", kind: "true-false", answer: true };
    expect(commonWrongChoice(tf, [{ response: "false", count: 3 }])).toBeNull();
  });

  it("given a prompt with code, keeps the words before it on one line, cut short", () => {
    expect(promptSummary("What does\n`SELECT`  return?\n\n```sql\nSELECT 1;\n```")).toBe(
      "What does SELECT return?",
    );
    const long = promptSummary("word ".repeat(60));
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long.endsWith("…")).toBe(true);
    expect(promptSummary("```sql\nSELECT 1;\n```")).toMatch(/SELECT 1;/);
  });
});

describe("cohortBank", () => {
  it("given answers by button and by typed letter, each item's attempts, % right and most common wrong choice by its text", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    const cohort = await cohortWith(t, "spring", ["ana", "bo", "cy", "di", "ed"]);
    const target = singles.find((s) => s.item.choices.length >= 3);
    if (!target) throw new Error("no single item with three choices");
    const { item } = target;
    const [wrongA, wrongB] = item.choices.filter((c) => c.id !== item.answer);
    if (!wrongA || !wrongB) throw new Error("two wrong choices");
    await say(t, "ana", `/answer ${item.id} key:${wrongA.id}`);
    await say(t, "bo", `/answer ${item.id} key:${wrongA.id}`);
    // Cy and Di type the letter of the wrong choice as they were shown it: their own order.
    const letterFor = (user: string, id: string) =>
      shownChoices(item, orderSeed(actor(user))).find((c) => c.id === id)?.letter;
    await say(t, "cy", `/answer ${item.id} ${letterFor("cy", wrongA.id)}`);
    await say(t, "di", `/answer ${item.id} ${letterFor("di", wrongB.id)}`);
    await say(t, "ed", `/answer ${item.id} key:${item.answer}`);

    const { weeks } = await cohortBank(t.core, cohort);
    expect(weeks.map((w) => w.week)).toEqual(t.core.curriculum.weeks.map((w) => w.week));
    const week = weeks.find((w) => w.week === item.week);
    const entry = week?.items.find((e) => e.id === item.id);
    expect(entry).toMatchObject({
      kind: "single",
      attempts: 5,
      correct: 1,
      percentRight: 20,
      commonWrong: { choiceId: wrongA.id, text: wrongA.text, count: 3 },
    });
    expect(week?.attempts).toBe(5);
    const others = weeks.flatMap((w) => [...w.items, ...w.challenges]).filter((e) => e.id !== item.id);
    expect(others.every((e) => e.attempts === 0 && e.percentRight === null && e.commonWrong === null)).toBe(
      true,
    );
    expect(week?.challenges.length).toBe(
      t.core.curriculum.bank.challenges.filter((c) => c.week === item.week).length,
    );
    expect(week?.challenges[0]?.summary).toBe(
      t.core.curriculum.bank.challenges.find((c) => c.week === item.week)?.title,
    );
  });
});
