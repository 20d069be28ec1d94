import { describe, expect, it } from "vitest";
import { cohort, HOSTILE, textOf } from "../../../../test/cohort-views.js";
import type { CohortOverview } from "../../../core/services/cohort-overview.js";
import { CohortsPage } from "./cohorts.js";

const row = (changes: Partial<CohortOverview>): CohortOverview => ({
  cohort,
  progress: { state: "running", week: 3, since: undefined, paused: false },
  members: 20,
  activeThisWeek: 5,
  nextPost: { kind: "module", week: 4, at: new Date("2026-03-23T08:00:00Z") },
  ...changes,
});

describe("CohortsPage", () => {
  it("given cohorts, a table with each name linking to its page, week, members, active and next post in its zone", () => {
    const html = String(
      <CohortsPage
        cohorts={[
          row({}),
          row({
            cohort: { ...cohort, id: 8, name: "autumn", timezone: "UTC" },
            progress: { state: "not-started", startsAt: undefined },
            members: 0,
            activeThisWeek: 0,
            nextPost: { kind: "daily-question", at: new Date("2026-09-01T08:00:00Z") },
          }),
          row({
            cohort: { ...cohort, id: 9, name: "winter" },
            progress: { state: "running", week: 5, since: undefined, paused: true },
            nextPost: { kind: "paused" },
          }),
          row({
            cohort: { ...cohort, id: 10, name: "old" },
            progress: { state: "finished", finishedAt: undefined },
            activeThisWeek: null,
            nextPost: { kind: "none" },
          }),
        ]}
      />,
    );
    expect(html).toMatch(/<caption>[^<]*cohorts of this space/);
    expect(html).toContain('<th scope="col">Active this week</th>');
    expect(html).toContain('<th scope="row"><a href="/cohorts/7">spring</a></th>');
    expect(html).toContain('<a href="/cohorts/8">autumn</a>');
    const text = textOf(html);
    expect(text).toContain("spring Week 3 of 20 20 5 (25%) Week 4 module, Mon 2026-03-23 09:00 CET");
    expect(text).toContain("autumn Not started 0 0 (—) Question of the day, Tue 2026-09-01 08:00 UTC");
    expect(text).toContain("winter Week 5 of 20 (paused) 20 5 (25%) Paused");
    expect(text).toContain("old Finished 20 — None");
    expect(html).toContain('<time datetime="2026-03-23T08:00:00.000Z">');
  });

  it("given a cohort named with markup, the name is text", () => {
    const html = String(<CohortsPage cohorts={[row({ cohort: { ...cohort, name: HOSTILE } })]} />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("given no cohort, says how to make one instead of an empty table", () => {
    const html = String(<CohortsPage cohorts={[]} />);
    expect(html).not.toContain("<table");
    expect(textOf(html)).toContain(
      "This space has no cohort yet. Create one in chat with /cohort create <name>.",
    );
    expect(html).toMatch(/^<h1>Cohorts<\/h1>/);
  });
});
