import { describe, expect, it } from "vitest";
import { cohort, HOSTILE, learner, textOf } from "../../../../test/cohort-views.js";
import type { CohortMembers, MemberRow } from "../../../core/services/cohort-members.js";
import { MembersPage } from "./members.js";

const row = (changes: Partial<MemberRow> & Pick<MemberRow, "member">): MemberRow => ({
  trackId: null,
  trackName: null,
  points: 0,
  rank: null,
  streak: { current: 0, longest: 0, status: "none" },
  lastActive: null,
  challengesSolved: 0,
  ...changes,
});

const view = (rows: MemberRow[]): CohortMembers => ({
  cohort,
  unit: "day",
  today: "2026-03-18",
  rows,
  challengeCount: 76,
});

describe("MembersPage", () => {
  it("given members, a row each with rank, track, points, streaks, last active and challenges solved", () => {
    const html = String(
      <MembersPage
        view={view([
          row({
            member: learner(1, "ana"),
            trackId: "dba",
            trackName: "Database Administrator",
            points: 1250,
            rank: 1,
            streak: { current: 4, longest: 9, status: "active" },
            lastActive: "2026-03-18",
            challengesSolved: 12,
          }),
          row({ member: learner(2, "bo") }),
        ])}
      />,
    );
    expect(html).toMatch(/^<h1>spring · members<\/h1>/);
    const text = textOf(html);
    expect(text).toContain("2 members, best first; streaks count days");
    expect(text).toContain("1 ana Database Administrator 1,250 pts 4 9 2026-03-18 12 of 76");
    expect(text).toContain("— bo none 0 pts 0 0 never 0 of 76");
    expect(html).toContain('<th scope="col">Challenges solved</th>');
    expect(html).toContain('<th scope="row">ana</th>');
  });

  it("given any cohort, links the CSV download beside the table", () => {
    const html = String(<MembersPage view={view([row({ member: learner(1, "ana") })])} />);
    expect(html).toContain('<a href="/cohorts/7/members.csv" download="">Download CSV</a>');
  });

  it("given a learner named with markup, the name is text", () => {
    const html = String(<MembersPage view={view([row({ member: learner(1, HOSTILE) })])} />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  });

  it("given no members, says so instead of an empty table", () => {
    const html = String(<MembersPage view={view([])} />);
    expect(html).not.toContain("<table");
    expect(textOf(html)).toContain("Nobody has joined this cohort yet.");
  });
});
