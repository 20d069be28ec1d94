import { describe, expect, it } from "vitest";
import { answerSingle, cohortWith, day } from "../../../test/cohort-world.js";
import { actor, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { Member } from "../ports/identity.js";
import type { QuietMember } from "../ports/progress.js";
import type { CohortProgress } from "../rules/schedule.js";
import { cohortProgress } from "../schedules/timeline.js";
import { cohortHealth, cohortStats, learnersAtRisk } from "./cohort-health.js";

const member = (id: number, name: string): Member => ({
  id,
  spaceId: 1,
  externalId: name,
  displayName: name,
  timezone: null,
  cohortId: 1,
});
const running = (week: number): CohortProgress => ({
  state: "running",
  week,
  since: undefined,
  paused: false,
});
const activity = (m: Member, lastActive: string | null, lastWeek: number | null): QuietMember => ({
  member: m,
  lastActive,
  lastWeek,
});

describe("learnersAtRisk", () => {
  const ana = member(1, "ana");
  const bo = member(2, "bo");
  const cy = member(3, "cy");
  const today = "2026-03-20";

  it("given a broken streak, a long silence and missed weeks, lists each learner once with every reason, most reasons first", () => {
    const broken = [{ member: bo, length: 5, lastActive: "2026-03-12" }];
    const members = [activity(ana, "2026-03-19", 3), activity(bo, "2026-03-12", 2), activity(cy, null, null)];
    expect(learnersAtRisk(running(4), "2026-03-02", today, members, broken)).toEqual([
      {
        member: bo,
        reasons: [
          { kind: "streak-broken", length: 5, lastActive: "2026-03-12" },
          { kind: "inactive", days: 8, lastActive: "2026-03-12" },
          { kind: "behind", week: 4, lastWeek: 2 },
        ],
      },
      {
        member: cy,
        reasons: [
          { kind: "inactive", days: null, lastActive: null },
          { kind: "behind", week: 4, lastWeek: null },
        ],
      },
    ]);
  });

  it("given six quiet days, or activity in the previous week, the learner is not at risk yet", () => {
    const members = [activity(ana, "2026-03-14", 3)];
    expect(learnersAtRisk(running(4), "2026-03-02", today, members, [])).toEqual([]);
  });

  it("given week 1, nobody is behind; given a cohort younger than a week, never answering is not yet inactive", () => {
    const members = [activity(ana, null, null)];
    expect(learnersAtRisk(running(1), "2026-03-16", today, members, [])).toEqual([]);
    expect(learnersAtRisk(running(1), "2026-03-13", today, members, [])).toEqual([
      { member: ana, reasons: [{ kind: "inactive", days: null, lastActive: null }] },
    ]);
  });

  it("given a cohort not started or finished, only a broken streak counts", () => {
    const broken = [{ member: ana, length: 3, lastActive: "2026-03-01" }];
    const members = [activity(ana, "2026-03-01", null), activity(bo, null, null)];
    for (const progress of [
      { state: "not-started", startsAt: undefined },
      { state: "finished", finishedAt: undefined },
    ] as const) {
      expect(learnersAtRisk(progress, "2026-03-02", today, members, broken)).toEqual([
        { member: ana, reasons: [{ kind: "streak-broken", length: 3, lastActive: "2026-03-01" }] },
      ]);
    }
  });
});

describe("cohortHealth", () => {
  it("given two weeks of answers, the page's numbers are /stats's, with learners at risk and both boards", async () => {
    const t = testCore(day(0).toISOString());
    const cohort = await cohortWith(t, "spring", ["ana", "bo", "cy", "di"]);
    // Bo: three days in a row, then nothing; Ana: one day; Cy: week 2 only; Di: never.
    await answerSingle(t, "ana", 3, false);
    for (let n = 0; n < 3; n++) {
      t.clock.set(day(n));
      await answerSingle(t, "bo", n);
    }
    t.clock.set(day(9));
    await answerSingle(t, "cy", 4);
    const progress = await cohortProgress(t.core.store, cohort, t.clock.now());

    const health = await cohortHealth(t.core, { cohort, progress });
    expect(health.progress).toMatchObject({ state: "running", week: 2 });
    expect(health.weekTitle).toBe(t.core.curriculum.weeks[1]?.title);
    expect(health.today).toBe("2026-03-11");
    expect(health.memberCount).toBe(5);
    expect(health.participation.map((p) => [p.week, p.learners])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(health.brokenStreaks.map((b) => [b.member.displayName, b.length, b.lastActive])).toEqual([
      ["bo", 3, "2026-03-04"],
    ]);
    expect(health.atRisk.map((r) => [r.member.displayName, r.reasons.map((x) => x.kind)])).toEqual([
      // The moderator who made the cohort is a member too, and has answered nothing.
      ["mod", ["inactive", "behind"]],
      ["bo", ["streak-broken", "inactive"]],
      ["di", ["inactive", "behind"]],
      ["ana", ["inactive"]],
    ]);
    expect(health.weekBoard).toMatchObject({
      week: 2,
      standings: [{ rank: 1, member: { displayName: "cy" } }],
    });
    expect(health.allTimeBoard.map((s) => s.member.displayName)).toEqual(
      (await t.core.store.progress.top(cohort.id, { kind: "all" }, 10)).map((s) => s.member.displayName),
    );
    expect(health.allTimeBoard.map((s) => s.member.displayName)).toContain("bo");

    const reply = await handleText(t.core, actor("mod"), "/stats");
    const sections = Object.fromEntries((reply?.sections ?? []).map((s) => [s.heading, s.text]));
    expect(sections["Participation per week"]).toBe(
      health.participation
        .map(
          (p) =>
            `- Week ${p.week}: ${p.learners} active (${Math.round((100 * p.learners) / 5)}%), ${p.points} pts`,
        )
        .join("\n"),
    );
    expect(sections["Streaks that just broke"]).toBe("- bo: 3 days, last active 2026-03-04");
    expect(await cohortStats(t.core, cohort)).toEqual({
      unit: health.unit,
      today: health.today,
      memberCount: health.memberCount,
      participation: health.participation,
      weakestTopics: health.weakestTopics,
      brokenStreaks: health.brokenStreaks,
    });
  });

  it("given a cohort that has not started, there is no week board and nobody is at risk", async () => {
    const t = testCore("2026-02-20T12:00:00Z");
    const cohort = await cohortWith(t, "spring", ["ana"]);
    const progress = await cohortProgress(t.core.store, cohort, t.clock.now());
    const health = await cohortHealth(t.core, { cohort, progress });
    expect(health.progress.state).toBe("not-started");
    expect(health).toMatchObject({ weekBoard: null, weekTitle: null, atRisk: [], allTimeBoard: [] });
    expect(health.participation).toEqual([]);
    expect(health.weakestTopics).toEqual([]);
  });
});
