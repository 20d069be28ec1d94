import { expect, it } from "vitest";
import { emptyStreak } from "../../../src/core/rules/streak.js";
import { all, answer, at, cohortOf, learnerIn, MINUTES_PER_DAY, march } from "./learners.js";
import { describeStores } from "./stores.js";

// Streaks, the activity heat-map and a cohort's statistics (participation, tallies, lapsing, report).

/** Minutes from the base instant (4 March 10:00 UTC) to 10:00 UTC on `n` March, plus `extra`. */
const onMarch = (n: number, extra = 0) => (n - 4) * MINUTES_PER_DAY + extra;

describeStores("streaks, activity and cohort statistics", (open) => {
  it("given a few weeks of answers, participation, question tallies and lapsing streaks are what the ledger says", async () => {
    const { store, query } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    const di = await learnerIn(store, "di", spring);
    const on = (n: number, extra = 0) => ({ minute: onMarch(n, extra), day: march(n), week: n >= 9 ? 2 : 1 });
    // Ana: 2–6 March (a 5-day streak), Bo: 5–6 March, Cy: 2 March only, Di: 5–6 March, all wrong.
    for (let n = 2; n <= 6; n++) await answer(store, ana, { ...on(n), question: `q${n}`, points: 10 });
    await answer(store, bo, { ...on(5), question: "q5", correct: false });
    await answer(store, bo, { ...on(5, 1), question: "q5", points: 10 });
    await answer(store, bo, { ...on(6), question: "q6", points: 20 });
    await answer(store, cy, { ...on(2), question: "q2", correct: false });
    await answer(store, di, { ...on(5, 2), question: "q5", correct: false });
    await answer(store, di, { ...on(6, 2), question: "q6", correct: false });
    // Equal points in week 2, so the per-points counts must be weighted by how many hold them.
    await answer(store, ana, { ...on(9), question: "q9", points: 30 });
    await answer(store, bo, { ...on(9, 1), question: "q9", points: 30 });

    const { progress } = store;
    expect(await progress.participation(spring.id)).toEqual([
      { week: 1, learners: 4, points: 50 + 30 },
      { week: 2, learners: 2, points: 60 },
    ]);
    const fromLedger = await query<{ week: number; learners: number; points: number }>(
      `SELECT l.week AS week, count(DISTINCT l.member_id) AS learners, sum(l.points) AS points
       FROM points_ledger l JOIN members m ON m.id = l.member_id AND m.cohort_id = l.cohort_id
       WHERE l.cohort_id = ${spring.id} GROUP BY l.week ORDER BY l.week`,
    );
    expect(await progress.participation(spring.id)).toEqual(fromLedger);
    expect(await progress.questionTallies(spring.id)).toEqual([
      { questionId: "q2", attempts: 2, correct: 1 },
      { questionId: "q3", attempts: 1, correct: 1 },
      { questionId: "q4", attempts: 1, correct: 1 },
      { questionId: "q5", attempts: 4, correct: 2 },
      { questionId: "q6", attempts: 3, correct: 2 },
      { questionId: "q9", attempts: 2, correct: 2 },
    ]);
    const talliedInLedger = await query<{ questionId: string; attempts: number; correct: number }>(
      `SELECT question_id AS "questionId", count(*) AS attempts, sum(CASE WHEN correct THEN 1 ELSE 0 END) AS correct
       FROM points_ledger WHERE cohort_id = ${spring.id} GROUP BY question_id ORDER BY question_id`,
    );
    expect(await progress.questionTallies(spring.id)).toEqual(talliedInLedger);

    const lapsing = async (from: number, to: number) =>
      (await progress.lapsing(spring.id, "day", march(from), march(to))).map((r) => [
        r.member.displayName,
        r.streak.current,
        r.streak.lastUnit,
      ]);
    // Ana's 5 days and Bo's 2 broke after the 6th, but both are back with 1 on the 9th; Di is not.
    expect(await lapsing(2, 8)).toEqual([
      ["di", 2, march(6)],
      ["cy", 1, march(2)],
    ]);
    expect(await lapsing(9, 9)).toEqual([
      ["ana", 1, march(9)],
      ["bo", 1, march(9)],
    ]);
    expect(await lapsing(3, 5)).toEqual([]);
    expect(await progress.streak(ana.id, "day")).toEqual({
      current: 1,
      longest: 5,
      lastUnit: march(9),
      freezes: 0,
    });
  });

  it("given question ids that differ in case, tallies come in byte order of the id", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    for (const [i, question] of ["q1", "Q2", "a3", "B4"].entries()) {
      await answer(store, ana, { minute: i, question, correct: i % 2 === 0 });
    }
    expect((await store.progress.questionTallies(spring.id)).map((t) => [t.questionId, t.correct])).toEqual([
      ["B4", 0],
      ["Q2", 0],
      ["a3", 1],
      ["q1", 1],
    ]);
  });

  it("given learners lapsing on several days and weeks, lists those last active in the range, longest streak first, then the member seen first", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    const di = await learnerIn(store, "di", spring);
    const ed = await learnerIn(store, "ed", spring);
    const days: [typeof ana, number[]][] = [
      [ana, [2, 3, 4]],
      [bo, [3, 4]],
      [cy, [2, 3, 4]],
      [di, [9]],
      [ed, [10]],
    ];
    for (const [learner, active] of days) {
      for (const n of active) await answer(store, learner, { minute: onMarch(n), day: march(n) });
    }
    const lapsing = async (unit: "day" | "week", from: string, to: string) =>
      (await store.progress.lapsing(spring.id, unit, from, to)).map((r) => [
        r.member.displayName,
        r.streak.current,
      ]);
    // Ties on the streak go to the member Quorum saw first, whichever answered first.
    expect(await lapsing("day", march(4), march(9))).toEqual([
      ["ana", 3],
      ["cy", 3],
      ["bo", 2],
      ["di", 1],
    ]);
    // Both ends of the range count.
    expect(await lapsing("day", march(9), march(10))).toEqual([
      ["di", 1],
      ["ed", 1],
    ]);
    expect(await lapsing("day", march(5), march(8))).toEqual([]);
    // Weeks are named by their Monday: 2 March holds the 2nd to the 4th, 9 March the 9th and 10th.
    expect(await lapsing("week", march(2), march(2))).toEqual([
      ["ana", 1],
      ["bo", 1],
      ["cy", 1],
    ]);
    expect(await lapsing("week", march(9), march(9))).toEqual([
      ["di", 1],
      ["ed", 1],
    ]);
    const north = await cohortOf(store, "north");
    await store.cohorts.join(ana.id, north.id);
    expect((await lapsing("day", march(4), march(4))).map(([name]) => name)).toEqual(["cy", "bo"]);
    expect(
      (await store.progress.lapsing(north.id, "day", march(4), march(4))).map((r) => r.member.id),
    ).toEqual([ana.id]);
  });

  it("given answers on days and weeks with gaps, keeps the daily and the weekly streak", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    for (const n of [2, 3, 4, 9, 17]) await answer(store, ana, { minute: onMarch(n), day: march(n) });
    expect(await store.progress.streak(ana.id, "day")).toEqual({
      current: 1,
      longest: 3,
      lastUnit: march(17),
      freezes: 0,
    });
    // Weeks of 2 and 9 March run on; the week of 16 March follows straight after.
    expect(await store.progress.streak(ana.id, "week")).toEqual({
      current: 3,
      longest: 3,
      lastUnit: march(16),
      freezes: 0,
    });
  });

  it("given a move west onto a day already past, counts the activity on that day but not twice in the streak", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    // In Tokyo on the 5th, then in Los Angeles on the 4th again, then on the 5th there.
    await answer(store, ana, { minute: onMarch(4, 330), day: march(5) });
    await answer(store, ana, { minute: onMarch(4, 480), day: march(4) });
    await answer(store, ana, { minute: onMarch(5, 480), day: march(5) });
    expect(await store.progress.streak(ana.id, "day")).toEqual({
      current: 1,
      longest: 1,
      lastUnit: march(5),
      freezes: 0,
    });
    expect(Object.fromEntries(await store.progress.activity(ana.id, march(1), march(9)))).toEqual({
      [march(4)]: 1,
      [march(5)]: 2,
    });
    await answer(store, ana, { minute: onMarch(6, 480), day: march(6) });
    expect(await store.progress.streak(ana.id, "day")).toMatchObject({ current: 2, lastUnit: march(6) });
  });

  it("given activity on several days, the heat-map holds the days of the range, ends included, in day order", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    // Written out of order, so only the read's own order can put them right.
    for (const [n, times] of [
      [12, 1],
      [3, 2],
      [10, 3],
      [1, 1],
      [2, 1],
    ] as const) {
      for (let i = 0; i < times; i++) await answer(store, ana, { minute: onMarch(n, i), day: march(n) });
    }
    await answer(store, bo, { minute: onMarch(3), day: march(3) });
    const heat = await store.progress.activity(ana.id, march(2), march(10));
    expect([...heat.entries()]).toEqual([
      [march(2), 1],
      [march(3), 2],
      [march(10), 3],
    ]);
    expect(await store.progress.activity(ana.id, march(4), march(9))).toEqual(new Map());
    expect(await store.progress.activity(bo.id, march(1), march(31))).toEqual(new Map([[march(3), 1]]));
  });

  it("given a member who never answered, their streaks are empty in both units", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    expect(await store.progress.streak(ana.id, "day")).toEqual(emptyStreak);
    expect(await store.progress.streak(ana.id, "week")).toEqual(emptyStreak);
    expect(await store.progress.lapsing(spring.id, "day", march(1), march(31))).toEqual([]);
  });

  it("given tracks, points and streaks, the report lists each current member best first with track and both streaks, the unranked last by member", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const north = await cohortOf(store, "north");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    const gone = await learnerIn(store, "gone", spring);
    const came = await learnerIn(store, "came", north);
    await store.tracks.join(bo.id, "dba", at(0));
    await store.tracks.join(cy.id, "dba", at(0));
    await store.tracks.join(cy.id, "sql-developer", at(1));
    await answer(store, bo, { minute: onMarch(3), day: march(3), points: 20 });
    await answer(store, bo, { minute: onMarch(4), day: march(4), points: 10 });
    await answer(store, ana, { minute: onMarch(4), day: march(4), points: 30 });
    await answer(store, cy, { minute: onMarch(4, 1), day: march(4), correct: false });
    await answer(store, gone, { minute: onMarch(4), day: march(4), points: 50 });
    await answer(store, came, { minute: onMarch(4), day: march(4), points: 5 });
    await store.cohorts.join(gone.id, north.id);
    await store.cohorts.join(came.id, spring.id);

    const report = await store.progress.report(spring.id);
    expect(
      report.map((r) => [r.member.displayName, r.trackId, r.rank, r.points, r.streaks.day.current]),
    ).toEqual([
      // Ana and Bo reach 30 at the same instant: Ana was seen first.
      ["ana", null, 1, 30, 1],
      ["bo", "dba", 2, 30, 2],
      ["cy", "sql-developer", 3, 0, 1],
      ["spring-mod", null, null, 0, 0],
      ["came", null, null, 0, 1],
    ]);
    expect(report[1]?.streaks).toEqual({
      day: { current: 2, longest: 2, lastUnit: march(4), freezes: 0 },
      week: { current: 1, longest: 1, lastUnit: march(2), freezes: 0 },
    });
    expect(report[3]?.streaks).toEqual({ day: emptyStreak, week: emptyStreak });
    expect(report[0]?.member).toEqual(ana);
    const top = await store.progress.top(spring.id, all, 10);
    expect(top.map((s) => [s.member.id, s.rank])).toEqual(
      report.slice(0, 3).map((r) => [r.member.id, r.rank]),
    );
  });
});
