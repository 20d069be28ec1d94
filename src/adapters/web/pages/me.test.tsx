import { describe, expect, it } from "vitest";
import { heatmapSvg } from "../../../core/pictures/heatmap.js";
import type { MyProgressInCohort } from "../../../core/services/my-progress.js";
import { MyProgressPage } from "./me.js";

const counts = new Map([
  ["2026-03-02", 2],
  ["2026-03-03", 5],
  ["2026-03-04", 1],
]);

function view(overrides: Partial<MyProgressInCohort> = {}): MyProgressInCohort {
  return {
    inCohort: true,
    name: "ana",
    zone: "Europe/Berlin",
    today: "2026-03-04",
    cohort: {
      id: 7,
      name: "spring",
      week: { state: "running", week: 3, of: 20, title: "Joins", paused: false },
    },
    points: 1230,
    rank: { rank: 2, of: 5 },
    track: {
      id: "dba",
      name: "Database Administrator (DBA)",
      level: { title: "Junior DBA", experience: "0–2 years" },
      next: { title: "DBA", pointsToGo: 770 },
      ladder: [
        { title: "Junior DBA", experience: "0–2 years", minPoints: 0, current: true },
        { title: "DBA", experience: "2–5 years", minPoints: 2000, current: false },
      ],
      topics: [
        {
          topicId: "joins",
          title: "Inner and outer joins",
          week: 1,
          lane: "core",
          solved: 3,
          total: 3,
          done: true,
        },
        {
          topicId: "indexes",
          title: "B-tree indexes",
          week: 2,
          lane: "core",
          solved: 1,
          total: 4,
          done: false,
        },
      ],
      mastered: 1,
    },
    streak: {
      unit: "day",
      current: 4,
      longest: 9,
      freezes: 1,
      maxFreezes: 2,
      status: "active",
      brokeOn: null,
      freezesNeeded: 0,
    },
    activity: {
      weeks: 12,
      first: "2025-12-15",
      last: "2026-03-04",
      summary: { days: 80, activeDays: 3, activities: 8, busiest: { date: "2026-03-03", count: 5 } },
      perWeek: [
        { monday: "2026-03-02", activeDays: 3, activities: 8 },
        { monday: "2026-02-23", activeDays: 0, activities: 0 },
      ],
      svg: heatmapSvg({ title: "Your activity", endDate: "2026-03-04", weeks: 12, counts, theme: "page" }),
    },
    reviews: { state: "due", questionId: "w01-left", dueSince: "Tue 2026-03-03 10:00 CET" },
    ...overrides,
  };
}

const render = (v: Parameters<typeof MyProgressPage>[0]["view"]) => String(<MyProgressPage view={v} />);

/** Heading levels in document order: a page never skips one going down. */
function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
}

describe("my progress page", () => {
  it("given a learner in a running cohort, shows week, points, rank, level, streak, track and reviews", () => {
    const html = render(view());
    expect(html).toContain("<h1>My progress</h1>");
    expect(html).toContain("Week 3 of 20: Joins");
    expect(html).toContain("<dd>1,230</dd>");
    expect(html).toContain("<dd>2 of 5</dd>");
    expect(html).toContain("<dd>Junior DBA</dd>");
    expect(html).toContain("<dd>4 days</dd>");
    expect(html).toContain("Active today: the streak is safe.");
    expect(html).toContain("Longest: 9 days");
    expect(html).toContain("Freezes held: 1 of 2");
    expect(html).toContain("770 points to DBA.");
    expect(html).toMatch(/1 of 2 topics mastered/);
    expect(html).toContain('<progress id="me-mastered" value="1" max="2">');
    expect(html).toMatch(/<li aria-current="step"><strong>Junior DBA<\/strong>/);
    expect(html).toContain('<th scope="row">Inner and outer joins</th>');
    expect(html).toContain("A review is due now (<code>w01-left</code>, due since Tue 2026-03-03 10:00 CET)");
  });

  it("given the heat-map, inlines it as an image and gives its figures as text beside it", () => {
    const html = render(view());
    expect(html).toMatch(/<figure><svg [^>]*role="img" aria-label="[^"]+"/);
    expect(html).toContain("<title>Your activity</title>");
    expect(html).toContain("Active on 3 days of the last 12 weeks");
    expect(html).toContain("8 activities in all");
    expect(html).toContain("Busiest day: 2026-03-03, with 5 activities.");
    expect(html).toContain("<caption>Activity per week, newest first</caption>");
    expect(html).toMatch(/<th scope="row">2026-03-02<\/th><td>3<\/td><td>8<\/td>/);
  });

  it("given names holding markup, escapes them", () => {
    const html = render(
      view({
        name: "<script>alert(1)</script>",
        cohort: { id: 7, name: `"><img src=x onerror=alert(1)>`, week: { state: "finished" } },
      }),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Finished: all 20 weeks");
  });

  it("given a learner with no track, no rank, no activity and nothing to review, says what to do", () => {
    const quiet = view({
      points: 0,
      rank: null,
      track: null,
      streak: { ...view().streak, current: 0, longest: 0, freezes: 0, status: "none" },
      activity: {
        ...view().activity,
        summary: { days: 80, activeDays: 0, activities: 0, busiest: null },
      },
      reviews: { state: "none" },
      cohort: { id: 7, name: "spring", week: { state: "not-started", startsAt: "Mon 2026-03-09 09:00 CET" } },
    });
    const html = render(quiet);
    expect(html).toContain("Starts Mon 2026-03-09 09:00 CET");
    expect(html).toContain("<dd>Not on the board yet</dd>");
    expect(html).toContain("<dd>Join a track to climb its ladder</dd>");
    expect(html).toContain("You haven&#39;t joined a role track yet.");
    expect(html).toContain("No streak yet: answer a quiz question or submit a challenge to start one.");
    expect(html).toContain("No activity yet in these weeks.");
    expect(html).toContain("Nothing to review: questions you miss in a quiz come back here.");
  });

  it("given a learner in no cohort, shows the way to join one and nothing else", () => {
    const html = render({ inCohort: false, name: "ana" });
    expect(html).toContain("You&#39;re not in a cohort yet");
    expect(html).toContain("<code>/cohort join &lt;name&gt;</code>");
    expect(html).not.toContain("<svg");
    expect(headingLevels(html)).toEqual([1, 2]);
  });

  it("given any state, keeps headings in order and uses no inline style or script", () => {
    for (const html of [render(view()), render(view({ track: null }))]) {
      const levels = headingLevels(html);
      expect(levels[0]).toBe(1);
      const steps = levels.map((level, i) => level - (levels[i - 1] ?? 0));
      expect(Math.max(...steps)).toBe(1);
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/<script/i);
    }
  });
});
