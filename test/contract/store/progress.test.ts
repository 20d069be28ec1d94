import { expect, it } from "vitest";
import type { Member } from "../../../src/core/ports/identity.js";
import type { ProgressStore, Standing } from "../../../src/core/ports/progress.js";
import { seededRandom } from "../../seeded-random.js";
import { all, answer, at, cohortOf, learnerIn, MINUTES_PER_DAY, standings, track, week } from "./learners.js";
import { describeStores } from "./stores.js";

// Leaderboards read back after real answers, track changes and cohort moves: top, standing and size.

/** Every listed learner's own standing gives the rank the full list shows. */
async function expectStandingsAgree(
  progress: ProgressStore,
  cohortId: number,
  full: Standing[],
): Promise<void> {
  for (const entry of full) {
    const own = await progress.standing(cohortId, all, entry.member.id);
    expect(own, entry.member.displayName).toEqual(entry);
  }
}

describeStores("leaderboards", (open) => {
  it("given equal points, the learner who reached them first ranks first, then the member seen first", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    const di = await learnerIn(store, "di", spring);
    // Fay is seen before Ed: at the same points and instant she ranks first.
    const fay = await learnerIn(store, "fay", spring);
    const ed = await learnerIn(store, "ed", spring);
    // Ana scores first but reaches 20 after Bo, who gets there in one answer.
    await answer(store, ana, { minute: 1, points: 10 });
    await answer(store, bo, { minute: 2, points: 20 });
    await answer(store, ana, { minute: 3, points: 10 });
    await answer(store, cy, { minute: 4, points: 20 });
    await answer(store, di, { minute: 5, points: 30 });
    await answer(store, ed, { minute: 6, points: 20 });
    await answer(store, fay, { minute: 6, points: 20 });

    const expected = [
      ["di", 30],
      ["bo", 20],
      ["ana", 20],
      ["cy", 20],
      ["fay", 20],
      ["ed", 20],
    ];
    for (let read = 0; read < 2; read++) {
      expect(await standings(store, spring, all)).toEqual(expected);
      expect(await standings(store, spring, week(1))).toEqual(expected);
    }
    const top = await store.progress.top(spring.id, all, 10);
    expect(top.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(top.map((s) => s.reachedAt)).toEqual([at(5), at(2), at(3), at(4), at(6), at(6)]);
    expect(top[0]?.member).toEqual(di);
    await expectStandingsAgree(store.progress, spring.id, top);
    expect(await store.progress.size(spring.id, all)).toBe(6);
    const report = await store.progress.report(spring.id);
    expect(report.map((row) => [row.member.displayName, row.rank, row.points])).toEqual([
      ["di", 1, 30],
      ["bo", 2, 20],
      ["ana", 3, 20],
      ["cy", 4, 20],
      ["fay", 5, 20],
      ["ed", 6, 20],
      ["spring-mod", null, 0],
    ]);
  });

  it("given a learner below the top ten, their rank counts higher points, earlier days of their points and earlier instants of their day", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const day = (n: number, minute: number) => n * MINUTES_PER_DAY + minute;
    const given: [string, number, number][] = [
      ...Array.from({ length: 11 }, (_, i): [string, number, number] => [`high${i}`, 50, day(0, i)]),
      ["day0-a", 20, day(0, 5)],
      ["day0-b", 20, day(0, 6)],
      ["day1", 20, day(1, 5)],
      ["earlier-today", 20, day(2, 10)],
      ["same-instant-first", 20, day(2, 30)],
      ["me", 20, day(2, 30)],
      ["same-instant-after", 20, day(2, 30)],
      ["later-today", 20, day(2, 40)],
      ["fewer", 10, day(0, 0)],
    ];
    const learners = new Map<string, Member>();
    for (const [name] of given) learners.set(name, await learnerIn(store, name, spring));
    for (const [name, points, minute] of given) {
      const learner = learners.get(name);
      if (learner) await answer(store, learner, { minute, points });
    }
    const me = learners.get("me");
    if (!me) throw new Error("me missing");

    const own = await store.progress.standing(spring.id, all, me.id);
    // 11 with more, 3 on earlier days, 1 earlier today, 1 at the same instant seen first.
    expect(own).toMatchObject({ rank: 17, points: 20, reachedAt: at(day(2, 30)) });
    const top = await store.progress.top(spring.id, all, 10);
    expect(top.map((s) => s.member.displayName)).toEqual(given.slice(0, 10).map(([name]) => name));
    const full = await store.progress.top(spring.id, all, 1000);
    expect(full.map((s) => s.member.displayName)).toEqual(given.map(([name]) => name));
    expect(full[16]).toEqual(own);
    expect(await store.progress.size(spring.id, all)).toBe(given.length);
    await expectStandingsAgree(store.progress, spring.id, full);
    // SQLite reads a negative limit as no limit at all.
    expect(await store.progress.top(spring.id, all, -1)).toEqual(full);
    expect(await store.progress.top(spring.id, all, 0)).toEqual([]);
  });

  it("given many learners with random points over a few days, standing gives each the place the full list shows", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const next = seededRandom(18);
    // Few points values and few instants, on three days, so equal points and equal times are common.
    const minutes = [0, 1, MINUTES_PER_DAY, MINUTES_PER_DAY + 1, 2 * MINUTES_PER_DAY];
    for (let i = 0; i < 80; i++) {
      const learner = await learnerIn(store, `l${String(i).padStart(3, "0")}`, spring);
      const answers = Math.floor(next() * 4);
      for (let n = 0; n < answers; n++) {
        const points = [0, 10, 10, 20][Math.floor(next() * 4)] ?? 0;
        const minute = minutes[Math.floor(next() * minutes.length)] ?? 0;
        await answer(store, learner, { question: `q${n}`, minute, points });
      }
    }
    const { progress } = store;
    const full = await progress.top(spring.id, all, 1000);
    expect(full.length).toBe(await progress.size(spring.id, all));
    expect(new Set(full.map((s) => s.points)).size).toBeGreaterThan(3);
    const tiesOnInstant = full.filter(
      (s, i) => i > 0 && s.points === full[i - 1]?.points && +s.reachedAt === +(full[i - 1]?.reachedAt ?? 0),
    );
    expect(tiesOnInstant.length).toBeGreaterThan(10);
    expect(full.map((s) => s.rank)).toEqual(full.map((_, i) => i + 1));
    for (const [i, entry] of full.entries()) {
      const before = full[i - 1];
      if (!before) continue;
      const order =
        before.points - entry.points ||
        entry.reachedAt.getTime() - before.reachedAt.getTime() ||
        entry.member.id - before.member.id;
      expect(order, `${before.member.displayName} before ${entry.member.displayName}`).toBeGreaterThan(0);
    }
    await expectStandingsAgree(progress, spring.id, full);
    expect(await progress.top(spring.id, all, 10)).toEqual(full.slice(0, 10));
  });

  it("given wrong answers, puts the learner on the board with 0 points and moves nobody's reachedAt", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    await answer(store, ana, { minute: 1, correct: false, question: "q1" });
    expect(await store.progress.standing(spring.id, all, ana.id)).toMatchObject({
      rank: 1,
      points: 0,
      reachedAt: at(1),
    });
    expect(await store.progress.size(spring.id, all)).toBe(1);

    await answer(store, bo, { minute: 2, points: 10, question: "q1" });
    const before = await store.progress.top(spring.id, all, 10);
    // Wrong answers, a right answer to a question already scored and a replayed event move nothing.
    await answer(store, ana, { minute: 3, correct: false, question: "q2" });
    await answer(store, bo, { minute: 4, correct: false, question: "q2", eventKey: "e1" });
    await answer(store, bo, { minute: 5, correct: true, points: 10, question: "q1" });
    await answer(store, bo, { minute: 6, points: 40, question: "q3", eventKey: "e1" });
    expect(await store.progress.top(spring.id, all, 10)).toEqual(before);
    expect(before.map((s) => [s.member.displayName, s.points, s.reachedAt])).toEqual([
      ["bo", 10, at(2)],
      ["ana", 0, at(1)],
    ]);
    expect(await store.progress.standing(spring.id, all, ana.id)).toMatchObject({
      rank: 2,
      reachedAt: at(1),
    });
  });

  it("given answers in several weeks, each week's board and participation hold that week's points and the all-time board their sum", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    await answer(store, ana, { minute: 1, points: 5, week: 0 });
    await answer(store, ana, { minute: 2, points: 10, week: 1 });
    await answer(store, bo, { minute: 3, points: 20, week: 1 });
    await answer(store, ana, { minute: 4, points: 30, week: 2 });
    await answer(store, bo, { minute: 5, points: 30, week: 2 });
    await answer(store, ana, { minute: 6, points: 5, week: 10 });
    expect(await standings(store, spring, week(0))).toEqual([["ana", 5]]);
    expect(await standings(store, spring, week(1))).toEqual([
      ["bo", 20],
      ["ana", 10],
    ]);
    expect(await standings(store, spring, week(2))).toEqual([
      ["ana", 30],
      ["bo", 30],
    ]);
    expect(await standings(store, spring, week(3))).toEqual([]);
    // Both reach 50; Bo got there first.
    expect(await standings(store, spring, all)).toEqual([
      ["bo", 50],
      ["ana", 50],
    ]);
    expect(await store.progress.standing(spring.id, week(2), bo.id)).toMatchObject({ rank: 2, points: 30 });
    expect(await store.progress.standing(spring.id, week(0), bo.id)).toBeUndefined();
    expect(await Promise.all([0, 1, 2, 3].map((n) => store.progress.size(spring.id, week(n))))).toEqual([
      1, 2, 2, 0,
    ]);
    // In week order, 10 after 2, with points weighted by the learners holding them.
    expect(await store.progress.participation(spring.id)).toEqual([
      { week: 0, learners: 1, points: 5 },
      { week: 1, learners: 2, points: 30 },
      { week: 2, learners: 2, points: 60 },
      { week: 10, learners: 1, points: 5 },
    ]);
  });

  it("given a track joined, left and joined again, the track board holds exactly the points earned on it", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const { progress, tracks } = store;
    await answer(store, ana, { minute: 1, points: 10 });
    await tracks.join(bo.id, "dba", at(1));
    await answer(store, bo, { minute: 2, points: 15 });
    // Points from before the track stay off it.
    await tracks.join(ana.id, "dba", at(3));
    expect(await standings(store, spring, track("dba"))).toEqual([["bo", 15]]);
    await answer(store, ana, { minute: 4, points: 20 });
    expect(await standings(store, spring, track("dba"))).toEqual([
      ["ana", 20],
      ["bo", 15],
    ]);

    await tracks.leave(ana.id, at(5));
    expect(await standings(store, spring, track("dba"))).toEqual([["bo", 15]]);
    expect(await progress.size(spring.id, track("dba"))).toBe(1);
    expect(await progress.standing(spring.id, track("dba"), ana.id)).toBeUndefined();
    expect(await progress.standing(spring.id, track("dba"), bo.id)).toMatchObject({ rank: 1, points: 15 });
    expect(await standings(store, spring, all)).toEqual([
      ["ana", 30],
      ["bo", 15],
    ]);

    await tracks.join(ana.id, "sql-developer", at(6));
    await answer(store, ana, { minute: 7, points: 5 });
    expect(await standings(store, spring, track("sql-developer"))).toEqual([["ana", 5]]);
    // Coming back to the track brings back what was earned on it, reached when it was first earned.
    await tracks.join(ana.id, "dba", at(8));
    expect(await progress.standing(spring.id, track("dba"), ana.id)).toMatchObject({
      rank: 1,
      points: 20,
      reachedAt: at(4),
    });
    expect(await progress.size(spring.id, track("sql-developer"))).toBe(0);
    expect(await progress.size(spring.id, track("dba"))).toBe(2);
    expect(await standings(store, spring, all)).toEqual([
      ["ana", 35],
      ["bo", 15],
    ]);
  });

  it("given a learner who moved cohort, takes them off the old cohort's boards and puts them on the new one's", async () => {
    const { store } = await open();
    const north = await cohortOf(store, "north");
    const south = await cohortOf(store, "south");
    const ana = await learnerIn(store, "ana", north);
    const bo = await learnerIn(store, "bo", north);
    const { progress, cohorts } = store;
    await answer(store, ana, { minute: 1, points: 10, question: "q1" });
    await answer(store, bo, { minute: 2, points: 10, question: "q1" });
    expect(await progress.standing(north.id, all, bo.id)).toMatchObject({ rank: 2 });

    await cohorts.join(ana.id, south.id);
    expect(await standings(store, north, all)).toEqual([["bo", 10]]);
    expect(await standings(store, north, week(1))).toEqual([["bo", 10]]);
    expect(await progress.size(north.id, all)).toBe(1);
    expect(await progress.standing(north.id, all, ana.id)).toBeUndefined();
    expect(await progress.standing(north.id, all, bo.id)).toMatchObject({ rank: 1 });
    // Nothing was earned in the new cohort yet, so its boards do not list her.
    expect(await progress.size(south.id, all)).toBe(0);
    await answer(store, ana, { minute: 3, points: 20, question: "q2", week: 2 });
    expect(await standings(store, south, all)).toEqual([["ana", 20]]);
    expect(await standings(store, south, week(2))).toEqual([["ana", 20]]);
    // Attempts stay with the cohort they were made in.
    expect(await progress.questionTallies(north.id)).toEqual([{ questionId: "q1", attempts: 2, correct: 2 }]);
    expect(await progress.questionTallies(south.id)).toEqual([{ questionId: "q2", attempts: 1, correct: 1 }]);

    await cohorts.join(ana.id, north.id);
    expect(await progress.standing(north.id, all, ana.id)).toMatchObject({
      rank: 1,
      points: 10,
      reachedAt: at(1),
    });
    expect(await progress.size(south.id, all)).toBe(0);
    expect(await progress.size(south.id, week(2))).toBe(0);
    expect(await progress.participation(south.id)).toEqual([]);
    expect(await progress.questionTallies(south.id)).toEqual([{ questionId: "q2", attempts: 1, correct: 1 }]);
  });

  it("given a cohort whose members have not answered, every board is empty whatever other cohorts hold", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const north = await cohortOf(store, "north");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", north);
    await store.tracks.join(ana.id, "dba", at(1));
    await store.tracks.join(bo.id, "dba", at(1));
    await answer(store, bo, { minute: 2, points: 10 });
    for (const board of [all, week(1), track("dba")]) {
      expect(await store.progress.top(spring.id, board, 10)).toEqual([]);
      expect(await store.progress.size(spring.id, board)).toBe(0);
      expect(await store.progress.standing(spring.id, board, ana.id)).toBeUndefined();
      expect(await store.progress.standing(spring.id, board, bo.id)).toBeUndefined();
      expect(await store.progress.size(north.id, board)).toBe(1);
    }
    expect(await store.progress.top(north.id + 100, all, 10)).toEqual([]);
    expect(await store.progress.size(north.id + 100, all)).toBe(0);
    expect(await store.progress.participation(spring.id)).toEqual([]);
    expect(await store.progress.questionTallies(spring.id)).toEqual([]);
  });

  it("given two spaces, keeps each one's members and cohorts out of the other's boards and stats", async () => {
    const { store } = await open();
    const here = await cohortOf(store, "spring", "guild-a");
    const there = await cohortOf(store, "spring", "guild-b");
    const anaHere = await learnerIn(store, "ana", here, "guild-a");
    const anaThere = await learnerIn(store, "ana", there, "guild-b");
    const bo = await learnerIn(store, "bo", there, "guild-b");
    expect(anaHere.id).not.toBe(anaThere.id);
    await answer(store, anaHere, { minute: 1, points: 10, question: "q1" });
    await answer(store, anaThere, { minute: 2, points: 20, question: "q1" });
    await answer(store, bo, { minute: 3, correct: false, question: "q2" });

    const { progress } = store;
    expect(await standings(store, here, all)).toEqual([["ana", 10]]);
    expect(await standings(store, there, all)).toEqual([
      ["ana", 20],
      ["bo", 0],
    ]);
    expect((await progress.top(here.id, all, 10))[0]?.member).toEqual(anaHere);
    expect(await progress.standing(here.id, all, anaThere.id)).toBeUndefined();
    expect(await progress.standing(there.id, all, anaHere.id)).toBeUndefined();
    expect(await progress.participation(here.id)).toEqual([{ week: 1, learners: 1, points: 10 }]);
    expect(await progress.participation(there.id)).toEqual([{ week: 1, learners: 2, points: 20 }]);
    expect(await progress.questionTallies(here.id)).toEqual([{ questionId: "q1", attempts: 1, correct: 1 }]);
    expect(await progress.questionTallies(there.id)).toEqual([
      { questionId: "q1", attempts: 1, correct: 1 },
      { questionId: "q2", attempts: 1, correct: 0 },
    ]);
    const day = at(0).toISOString().slice(0, 10);
    expect((await progress.lapsing(here.id, "day", day, day)).map((r) => r.member.id)).toEqual([anaHere.id]);
    expect((await progress.lapsing(there.id, "day", day, day)).map((r) => r.member.id)).toEqual([
      anaThere.id,
      bo.id,
    ]);
    expect((await progress.report(here.id)).map((r) => r.member.id)).not.toContain(anaThere.id);
    expect((await progress.report(there.id)).map((r) => r.member.id)).not.toContain(anaHere.id);
  });
});
