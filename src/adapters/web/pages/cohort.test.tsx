import { describe, expect, it } from "vitest";
import { cohort, HOSTILE, learner, standing, textOf } from "../../../../test/cohort-views.js";
import type { CohortHealth } from "../../../core/services/cohort-health.js";
import { CohortPage } from "./cohort.js";

const ana = learner(1, "ana");
const bo = learner(2, "bo");

const health = (changes: Partial<CohortHealth> = {}): CohortHealth => ({
  cohort,
  progress: { state: "running", week: 3, since: undefined, paused: false },
  weekTitle: "Indexes and plans",
  unit: "day",
  today: "2026-03-18",
  memberCount: 4,
  participation: [
    { week: 1, learners: 4, points: 120 },
    { week: 2, learners: 2, points: 45 },
  ],
  weakestTopics: [
    { topicId: "joins", title: "Joins", attempts: 10, correct: 3 },
    { topicId: "indexes", title: "Indexes", attempts: 4, correct: 3 },
  ],
  brokenStreaks: [{ member: bo, length: 5, lastActive: "2026-03-12" }],
  atRisk: [
    {
      member: bo,
      reasons: [
        { kind: "streak-broken", length: 5, lastActive: "2026-03-12" },
        { kind: "inactive", days: 6, lastActive: "2026-03-12" },
        { kind: "behind", week: 3, lastWeek: 1 },
      ],
    },
    { member: ana, reasons: [{ kind: "inactive", days: null, lastActive: null }] },
  ],
  weekBoard: { week: 3, standings: [standing(1, ana, 30)] },
  allTimeBoard: [standing(1, ana, 150), standing(2, bo, 1)],
  ...changes,
});

describe("CohortPage", () => {
  it("given a running cohort, shows its week and progress, then each section under its own heading", () => {
    const html = String(<CohortPage view={health()} />);
    expect(html).toMatch(/^<h1>spring<\/h1><section/);
    expect([...html.matchAll(/<h([23])[^>]*>([^<]+)</g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      "2 Progress",
      "2 Participation per week",
      "2 Weakest topics",
      "2 Learners at risk",
      "2 Leaderboards",
      "3 Week 3",
      "3 All time",
    ]);
    const text = textOf(html);
    expect(text).toContain("The cohort is in week 3 of 20: Indexes and plans.");
    expect(html).toContain('<progress id="weeks-done" value="3" max="20">');
    expect(text).toContain("4 members; streaks count days");
  });

  it("given participation and weakest topics, draws each chart accessibly with the same figures in a table or list", () => {
    const html = String(<CohortPage view={health()} />);
    const charts = [
      ...html.matchAll(/<svg [^>]*role="img" aria-label="([^"]+)"[^>]*>\n<title>([^<]+)<\/title>/g),
    ];
    expect(charts.map((m) => m[1])).toEqual([
      "Learners active per week",
      "Share of right answers per topic, weakest first",
    ]);
    expect(charts.every((m) => m[1] === m[2])).toBe(true);
    expect(html).not.toMatch(/style=|<script/);
    const text = textOf(html);
    expect(text).toContain("Week 1 4 100% 120 pts");
    expect(text).toContain("Week 2 2 50% 45 pts");
    expect(html).toContain(">2 (50%)</text>");
    expect(text).toContain("Joins: 30% right of 10 attempts");
    expect(text).toContain("Indexes: 75% right of 4 attempts");
    expect(html).toContain(">30%</text>");
  });

  it("given learners at risk, one row each with every reason in words, and the rule for inactive stated", () => {
    const text = textOf(String(<CohortPage view={health()} />));
    expect(text).toContain("no answer in 7 days or more");
    expect(text).toContain(
      "bo A 5-day streak broke (last active 2026-03-12) No answer in 6 days (last active 2026-03-12) Last answered in week 1; the cohort is in week 3",
    );
    expect(text).toContain("ana Has not answered anything yet");
  });

  it("given both boards, each is a table of rank, learner and points", () => {
    const text = textOf(String(<CohortPage view={health()} />));
    expect(text).toContain("Top 1 of week 3 Rank Learner Points 1 ana 30 pts");
    expect(text).toContain("Top 2 of all time Rank Learner Points 1 ana 150 pts 2 bo 1 pt");
  });

  it("given a learner named with markup, every place the name appears carries it as text", () => {
    const eve = learner(3, HOSTILE);
    const html = String(
      <CohortPage
        view={health({
          atRisk: [{ member: eve, reasons: [{ kind: "inactive", days: 9, lastActive: "2026-03-09" }] }],
          allTimeBoard: [standing(1, eve, 5)],
          weekBoard: { week: 3, standings: [standing(1, eve, 5)] },
          weakestTopics: [{ topicId: "x", title: HOSTILE, attempts: 3, correct: 1 }],
        })}
      />,
    );
    expect(html).not.toContain("<script>");
    expect(html.match(/&lt;script&gt;/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it("given a cohort not started with no answers, every section says so in words", () => {
    const html = String(
      <CohortPage
        view={health({
          progress: { state: "not-started", startsAt: new Date("2026-04-06T07:00:00Z") },
          weekTitle: null,
          participation: [],
          weakestTopics: [],
          brokenStreaks: [],
          atRisk: [],
          weekBoard: null,
          allTimeBoard: [],
          memberCount: 1,
        })}
      />,
    );
    const text = textOf(html);
    expect(text).toContain("The cohort starts Mon 2026-04-06 09:00 CEST.");
    expect(html).toContain('value="0" max="20"');
    expect(text).toContain("1 member;");
    expect(text).toContain("Nobody has answered anything yet.");
    expect(text).toContain("Not enough answers yet: a topic is shown once it has 3 attempts.");
    expect(text).toContain("Learners at risk A streak");
    expect(text).toContain("Nobody right now.");
    expect(text).toContain("Only a running cohort has a board for the week.");
    expect(text).toContain("No points yet.");
    expect(html).not.toContain("<svg");
    expect(html).not.toContain("<table");
  });

  it("given more learners at risk than fit, lists fifty and links to the members page for the rest", () => {
    const many = Array.from({ length: 53 }, (_, i) => ({
      member: learner(i + 10, `l${i}`),
      reasons: [{ kind: "inactive" as const, days: null, lastActive: null }],
    }));
    const html = String(<CohortPage view={health({ atRisk: many })} />);
    expect(html.match(/Has not answered anything yet/g)).toHaveLength(50);
    expect(textOf(html)).toContain("And 3 more: see every member.");
    expect(html).toContain('<a href="/cohorts/7/members">every member</a>');
  });
});
