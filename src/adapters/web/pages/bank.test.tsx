import { describe, expect, it } from "vitest";
import { cohort, HOSTILE, textOf } from "../../../../test/cohort-views.js";
import type { BankEntry, BankWeek } from "../../../core/services/cohort-bank.js";
import { BankPage } from "./bank.js";

const entry = (changes: Partial<BankEntry> & Pick<BankEntry, "id">): BankEntry => ({
  kind: "single",
  difficulty: "easy",
  summary: "What does this query return?",
  attempts: 0,
  correct: 0,
  percentRight: null,
  commonWrong: null,
  ...changes,
});

const week1: BankWeek = {
  week: 1,
  title: "SQL basics",
  items: [
    entry({
      id: "w01-null",
      attempts: 8,
      correct: 2,
      percentRight: 25,
      commonWrong: { choiceId: "a", text: "The two customers without an email", count: 5 },
    }),
    entry({ id: "w01-short", kind: "short", attempts: 3, correct: 3, percentRight: 100 }),
  ],
  challenges: [
    entry({
      id: "store-orders",
      kind: "challenge",
      difficulty: "medium",
      summary: "Orders per customer",
      attempts: 4,
      correct: 1,
      percentRight: 25,
    }),
  ],
  attempts: 15,
};
const week2: BankWeek = {
  week: 2,
  title: "Joins",
  items: [entry({ id: "w02-join" })],
  challenges: [],
  attempts: 0,
};

describe("BankPage", () => {
  it("given weeks, a section per week with its items and challenges and how the cohort did", () => {
    const html = String(<BankPage view={{ cohort, weeks: [week1, week2] }} />);
    expect(html).toMatch(/^<h1>spring · question bank<\/h1>/);
    expect([...html.matchAll(/<h2 id="([^"]+)">([^<]+)<\/h2>/g)].map((m) => [m[1], m[2]])).toEqual([
      ["week-1", "Week 1: SQL basics"],
      ["week-2", "Week 2: Joins"],
    ]);
    expect(html.match(/<details/g)).toHaveLength(2);
    const text = textOf(html);
    expect(text).toContain("Week 1: SQL basics 2 items, 1 challenge, 15 attempts Quiz items of week 1");
    expect(text).toContain(
      "w01-null What does this query return? One choice 8 25% The two customers without an email (5×)",
    );
    expect(text).toContain("w01-short What does this query return? Short answer 3 100% —");
    expect(text).toContain("Orders per customer store-orders medium 4 25%");
    expect(text).toContain("w02-join What does this query return? One choice 0 — —");
    expect(text).toContain("No challenges this week.");
    expect(html).toContain("<caption>Quiz items of week 1</caption>");
  });

  it("given a week with attempts, it is open; one without is closed", () => {
    const html = String(<BankPage view={{ cohort, weeks: [week1, week2] }} />);
    const [first, second] = html.split("<details").slice(1);
    expect(first?.startsWith(" open")).toBe(true);
    expect(second?.startsWith(">")).toBe(true);
  });

  it("given markup in a choice's text, it is text", () => {
    const hostile: BankWeek = {
      ...week1,
      items: [entry({ id: "x", attempts: 1, commonWrong: { choiceId: "b", text: HOSTILE, count: 1 } })],
    };
    const html = String(<BankPage view={{ cohort, weeks: [hostile] }} />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("given a week with neither items nor challenges, says so", () => {
    const empty: BankWeek = { week: 3, title: "Indexes", items: [], challenges: [], attempts: 0 };
    const text = textOf(String(<BankPage view={{ cohort, weeks: [empty] }} />));
    expect(text).toContain("No quiz items this week.");
    expect(text).toContain("No challenges this week.");
    expect(text).toContain("0 items, 0 challenges, 0 attempts");
  });
});
