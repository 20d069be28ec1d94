import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../test/helpers.js";
import {
  answer,
  coreAnswer,
  expectRebuildAgrees,
  say,
  sortTallies,
  springWithFourLearners,
  world,
} from "../../test/progress-world.js";
import type { OpenDatabase } from "./client.js";

// The progress store's streaks and cohort statistics read back after real answers and rebuilds on a
// real SQLite file.

describe("streaks through the store", () => {
  const setUp = async (start: string, zone = "UTC") => {
    const t = testCore(start, { grader: { grade: async () => ({ verdict: "pass" }) } });
    await say(t, "mod", `/cohort create spring 2026-03-02 ${zone}`);
    await say(t, "ana", "/cohort join spring");
    const identity = await t.core.store.identities.find(actor("ana"));
    if (!identity) throw new Error("ana missing");
    const answerAt = async (when: string) => {
      t.clock.set(when);
      await coreAnswer(t, actor("ana"));
    };
    const activity = async (from: string, to: string) =>
      Object.fromEntries(await t.core.store.progress.activity(identity.member.id, from, to));
    const streak = (unit: "day" | "week") => t.core.store.progress.streak(identity.member.id, unit);
    return { t, answerAt, activity, streak };
  };

  it("given answers on days and weeks with gaps, keeps the daily and the weekly streak", async () => {
    const { t, answerAt, streak } = await setUp("2026-03-02T12:00:00Z");
    for (const day of ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-09", "2026-03-17"]) {
      await answerAt(`${day}T12:00:00Z`);
    }
    expect(await streak("day")).toEqual({ current: 1, longest: 3, lastUnit: "2026-03-17", freezes: 0 });
    // Weeks of 2 and 9 March run on; the week of 16 March follows straight after.
    expect(await streak("week")).toEqual({ current: 3, longest: 3, lastUnit: "2026-03-16", freezes: 0 });
    expectRebuildAgrees(t.database);
  });

  it("given a learner in Asia/Tokyo, an answer at 23:30 UTC counts for the next local day", async () => {
    const { t, answerAt, activity, streak } = await setUp("2026-03-02T12:00:00Z");
    await say(t, "ana", "/timezone Asia/Tokyo");
    await answerAt("2026-03-03T23:30:00Z");
    expect(await activity("2026-03-03", "2026-03-04")).toEqual({ "2026-03-04": 1 });
    expect((await streak("day")).lastUnit).toBe("2026-03-04");
  });

  it("given no zone of their own, the learner's day is the cohort's", async () => {
    const { answerAt, activity } = await setUp("2026-03-02T12:00:00Z", "Asia/Tokyo");
    await answerAt("2026-03-03T23:30:00Z");
    await answerAt("2026-03-04T14:59:00Z");
    expect(await activity("2026-03-01", "2026-03-09")).toEqual({ "2026-03-04": 2 });
  });

  it("given a move west onto a day already past, counts the activity on that day but not twice in the streak", async () => {
    const { t, answerAt, activity, streak } = await setUp("2026-03-02T12:00:00Z");
    await say(t, "ana", "/timezone Asia/Tokyo");
    await answerAt("2026-03-04T15:30:00Z"); // Thu 5 March 00:30 in Tokyo
    await say(t, "ana", "/timezone America/Los_Angeles");
    await answerAt("2026-03-04T18:00:00Z"); // Wed 4 March 10:00 in Los Angeles
    await answerAt("2026-03-05T18:00:00Z"); // Thu 5 March again
    expect(await streak("day")).toEqual({ current: 1, longest: 1, lastUnit: "2026-03-05", freezes: 0 });
    expect(await activity("2026-03-01", "2026-03-09")).toEqual({ "2026-03-04": 1, "2026-03-05": 2 });
    await answerAt("2026-03-06T18:00:00Z");
    expect(await streak("day")).toMatchObject({ current: 2, lastUnit: "2026-03-06" });
    expectRebuildAgrees(t.database);
  });

  it("given the DST change days in America/New_York, each answer counts on its local day", async () => {
    const { t, answerAt, activity, streak } = await setUp("2026-03-02T12:00:00Z", "America/New_York");
    for (const when of [
      "2026-03-08T04:30:00Z", // Sat 7 March 23:30 EST
      "2026-03-08T05:15:00Z", // Sun 8 March 00:15 EST; clocks go forward at 02:00
      "2026-03-09T03:45:00Z", // Sun 8 March 23:45 EDT
      "2026-03-09T04:15:00Z", // Mon 9 March 00:15 EDT (still Sunday at a fixed -5)
    ]) {
      await answerAt(when);
    }
    expect(await activity("2026-03-07", "2026-03-09")).toEqual({
      "2026-03-07": 1,
      "2026-03-08": 2,
      "2026-03-09": 1,
    });
    expect(await streak("day")).toMatchObject({ current: 3, lastUnit: "2026-03-09" });

    for (const when of [
      "2026-10-31T12:00:00Z", // Sat 31 October, a fresh streak
      "2026-11-01T05:30:00Z", // Sun 1 November 01:30 EDT
      "2026-11-01T06:30:00Z", // the same wall time again, 01:30 EST
      "2026-11-02T04:30:00Z", // Sun 1 November 23:30 EST (Monday at a fixed -4)
      "2026-11-02T05:30:00Z", // Mon 2 November 00:30 EST
    ]) {
      await answerAt(when);
    }
    expect(await activity("2026-10-31", "2026-11-02")).toEqual({
      "2026-10-31": 1,
      "2026-11-01": 3,
      "2026-11-02": 1,
    });
    expect(await streak("day")).toMatchObject({ current: 3, longest: 3, lastUnit: "2026-11-02" });
    expectRebuildAgrees(t.database);
  });
});

describe("cohort statistics", () => {
  it("given a few weeks of answers, participation, question tallies and lapsing streaks are what the ledger says", async () => {
    const w = world();
    const { spring, ana, bo, cy, di } = await springWithFourLearners(w);
    const day = (n: number) => `2026-03-${String(n).padStart(2, "0")}`;
    // Ana: 2–6 March (a 5-day streak), Bo: 5–6 March, Cy: 2 March only, Di: 5–6 March, all wrong.
    for (let n = 2; n <= 6; n++) {
      await answer(w, ana, { minute: n * 1440, question: `q${n}`, points: 10, day: day(n), week: 1 });
    }
    await answer(w, bo, { minute: 5 * 1440, question: "q5", correct: false, day: day(5), week: 1 });
    await answer(w, bo, { minute: 5 * 1440 + 1, question: "q5", points: 10, day: day(5), week: 1 });
    await answer(w, bo, { minute: 6 * 1440, question: "q6", points: 20, day: day(6), week: 1 });
    await answer(w, cy, { minute: 2 * 1440, question: "q2", correct: false, day: day(2), week: 1 });
    await answer(w, di, { minute: 5 * 1440 + 2, question: "q5", correct: false, day: day(5), week: 1 });
    await answer(w, di, { minute: 6 * 1440 + 2, question: "q6", correct: false, day: day(6), week: 1 });
    // Equal points in week 2, so the per-points counts must be weighted by how many hold them.
    await answer(w, ana, { minute: 9 * 1440, question: "q9", points: 30, day: day(9), week: 2 });
    await answer(w, bo, { minute: 9 * 1440 + 1, question: "q9", points: 30, day: day(9), week: 2 });

    const { progress } = w.store;
    expect(await progress.participation(spring.id)).toEqual([
      { week: 1, learners: 4, points: 50 + 30 },
      { week: 2, learners: 2, points: 60 },
    ]);
    expect(await progress.participation(spring.id)).toEqual(participationFromLedger(w.database, spring.id));
    expect(sortTallies(await progress.questionTallies(spring.id))).toEqual([
      { questionId: "q2", attempts: 2, correct: 1 },
      { questionId: "q3", attempts: 1, correct: 1 },
      { questionId: "q4", attempts: 1, correct: 1 },
      { questionId: "q5", attempts: 4, correct: 2 },
      { questionId: "q6", attempts: 3, correct: 2 },
      { questionId: "q9", attempts: 2, correct: 2 },
    ]);
    expect(sortTallies(await progress.questionTallies(spring.id))).toEqual(
      tallyFromLedger(w.database, spring.id),
    );

    const lapsing = async (from: number, to: number) =>
      (await progress.lapsing(spring.id, "day", day(from), day(to))).map((r) => [
        r.member.displayName,
        r.streak.current,
        r.streak.lastUnit,
      ]);
    // Ana's 5 days and Bo's 2 broke after the 6th, but both are back with 1 on the 9th; Di is not.
    expect(await lapsing(2, 8)).toEqual([
      ["di", 2, day(6)],
      ["cy", 1, day(2)],
    ]);
    expect(await lapsing(9, 9)).toEqual([
      ["ana", 1, day(9)],
      ["bo", 1, day(9)],
    ]);
    expect(await lapsing(3, 5)).toEqual([]);
    expect(await progress.streak(ana.id, "day")).toEqual({
      current: 1,
      longest: 5,
      lastUnit: day(9),
      freezes: 0,
    });
    expectRebuildAgrees(w.database);
  });
});

function participationFromLedger(database: OpenDatabase, cohortId: number) {
  return database.sqlite
    .prepare(
      `SELECT l.week AS week, count(DISTINCT l.member_id) AS learners, sum(l.points) AS points
       FROM points_ledger l JOIN members m ON m.id = l.member_id AND m.cohort_id = l.cohort_id
       WHERE l.cohort_id = ? GROUP BY l.week ORDER BY l.week`,
    )
    .all(cohortId);
}

function tallyFromLedger(database: OpenDatabase, cohortId: number) {
  return database.sqlite
    .prepare(
      `SELECT question_id AS questionId, count(*) AS attempts, sum(correct) AS correct
       FROM points_ledger WHERE cohort_id = ? GROUP BY question_id ORDER BY question_id`,
    )
    .all(cohortId);
}
