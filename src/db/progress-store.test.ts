import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../test/helpers.js";
import {
  aggregates,
  all,
  answer,
  at,
  cohortNamed,
  cohortOf,
  coreAnswer,
  expectRebuildAgrees,
  learnerIn,
  say,
  sortTallies,
  springWithFourLearners,
  standings,
  track,
  week,
  world,
} from "../../test/progress-world.js";
import { seededRandom } from "../../test/seeded-random.js";

// The progress store's boards read back after real answers, moves and rebuilds on a real SQLite file.

describe("leaderboards", () => {
  it("given equal points, the learner who reached them first ranks first, the same on every read", async () => {
    const w = world();
    const { spring, ana, bo, cy, di } = await springWithFourLearners(w);
    // Ana scores first but reaches 20 last of the three; Bo reaches 20 in one answer before her.
    await answer(w, ana, { minute: 1, points: 10 });
    await answer(w, bo, { minute: 2, points: 20 });
    await answer(w, ana, { minute: 3, points: 10 });
    await answer(w, cy, { minute: 4, points: 20 });
    await answer(w, di, { minute: 5, points: 30 });

    const expected = [
      ["di", 30],
      ["bo", 20],
      ["ana", 20],
      ["cy", 20],
    ];
    for (let read = 0; read < 3; read++) {
      expect(await standings(w, spring, all)).toEqual(expected);
      expect(await standings(w, spring, week(1))).toEqual(expected);
    }
    const top = await w.store.progress.top(spring.id, all, 10);
    expect(top.map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    expect(top.map((s) => s.reachedAt)).toEqual([at(5), at(2), at(3), at(4)]);
    for (const entry of top) {
      expect((await w.store.progress.standing(spring.id, all, entry.member.id))?.rank).toBe(entry.rank);
    }
    const report = await w.store.progress.report(spring.id);
    expect(report.map((row) => [row.member.displayName, row.rank, row.points])).toEqual([
      ["di", 1, 30],
      ["bo", 2, 20],
      ["ana", 3, 20],
      ["cy", 4, 20],
      ["spring-mod", null, 0],
    ]);
  });

  it("given 200 learners with random points and many ties, standing gives each the place the full list shows", async () => {
    const w = world();
    const spring = await cohortOf(w, "spring");
    const next = seededRandom(6);
    for (let i = 0; i < 200; i++) {
      const learner = await learnerIn(w, `l${String(i).padStart(3, "0")}`, spring);
      const answers = Math.floor(next() * 4);
      for (let n = 0; n < answers; n++) {
        // Few points values and few instants, so equal points and equal times are common.
        const points = [0, 10, 10, 20][Math.floor(next() * 4)] ?? 0;
        await answer(w, learner, { question: `q${n}`, minute: Math.floor(next() * 6), points });
      }
    }
    const { progress } = w.store;
    const full = await progress.top(spring.id, all, 1000);
    expect(full.length).toBe(await progress.size(spring.id, all));
    expect(new Set(full.map((s) => s.points)).size).toBeGreaterThan(3);
    // Enough learners tie on points and instant too, so only the member id tells them apart.
    const fullTies = full.filter(
      (s, i) => i > 0 && s.points === full[i - 1]?.points && +s.reachedAt === +(full[i - 1]?.reachedAt ?? 0),
    );
    expect(fullTies.length).toBeGreaterThan(20);
    expect(full.map((s) => s.rank)).toEqual(full.map((_, i) => i + 1));
    for (const [i, entry] of full.entries()) {
      const before = full[i - 1];
      if (before) {
        const order =
          before.points - entry.points ||
          entry.reachedAt.getTime() - before.reachedAt.getTime() ||
          entry.member.id - before.member.id;
        expect(order, `${before.member.displayName} before ${entry.member.displayName}`).toBeGreaterThan(0);
      }
      expect((await progress.standing(spring.id, all, entry.member.id))?.rank).toBe(entry.rank);
    }
    expect(await progress.top(spring.id, all, 10)).toEqual(full.slice(0, 10));
    expect(await progress.top(spring.id, all, 1000)).toEqual(full);
    expectRebuildAgrees(w.database);
    expect(await progress.top(spring.id, all, 1000)).toEqual(full);
  });

  it("given a wrong answer, puts the learner on the board with 0 points and moves nobody's reachedAt", async () => {
    const w = world();
    const spring = await cohortOf(w, "spring");
    const ana = await learnerIn(w, "ana", spring);
    const bo = await learnerIn(w, "bo", spring);
    await answer(w, ana, { minute: 1, correct: false, question: "q1" });
    expect(await w.store.progress.standing(spring.id, all, ana.id)).toMatchObject({
      rank: 1,
      points: 0,
      reachedAt: at(1),
    });
    expect(await w.store.progress.size(spring.id, all)).toBe(1);

    await answer(w, bo, { minute: 2, points: 10, question: "q1" });
    const before = await w.store.progress.top(spring.id, all, 10);
    // Wrong answers, and a right answer to a question already scored, earn nothing and move nothing.
    await answer(w, ana, { minute: 3, correct: false, question: "q2" });
    await answer(w, bo, { minute: 4, correct: false, question: "q2" });
    await answer(w, bo, { minute: 5, correct: true, points: 10, question: "q1" });
    expect(await w.store.progress.top(spring.id, all, 10)).toEqual(before);
    expect(before.map((s) => [s.member.displayName, s.points, s.reachedAt])).toEqual([
      ["bo", 10, at(2)],
      ["ana", 0, at(1)],
    ]);
    expectRebuildAgrees(w.database);
  });

  it("given a replayed event, changes nothing", async () => {
    const w = world();
    const spring = await cohortOf(w, "spring");
    const ana = await learnerIn(w, "ana", spring);
    const first = await answer(w, ana, { minute: 1, points: 10, eventKey: "slack:E1" });
    expect(first).toMatchObject({ stored: true, scored: true, points: 10, cohortId: spring.id });
    const rows = tableCounts(w.database);
    const kept = aggregates(w.database);
    // The platform redelivers later; even a different answer under the same event id is ignored.
    for (const replay of [
      { minute: 1, points: 10 },
      { minute: 90, points: 20, question: "other", day: "2026-03-05", week: 2 },
    ]) {
      expect(await answer(w, ana, { ...replay, eventKey: "slack:E1" })).toEqual({
        stored: false,
        why: "replay",
      });
    }
    expect(tableCounts(w.database)).toEqual(rows);
    expect(aggregates(w.database)).toEqual(kept);
  });

  it("given answers across weeks, puts the points on the cohort's week at the time", async () => {
    const t = testCore("2026-03-01T12:00:00Z", { grader: { grade: async () => ({ verdict: "pass" }) } });
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await say(t, "ana", "/cohort join spring");
    // Week 1 starts with the module post on Monday 2026-03-02 09:00 UTC.
    for (const [when, points] of [
      ["2026-03-01T12:00:00Z", 5],
      ["2026-03-02T08:59:00Z", 10],
      ["2026-03-02T09:01:00Z", 20],
      ["2026-03-09T08:00:00Z", 30],
      ["2026-03-09T10:00:00Z", 40],
    ] as const) {
      t.clock.set(when);
      await coreAnswer(t, actor("ana"), points);
    }
    const spring = await cohortNamed(t, "spring");
    const boards = async (n: number) =>
      (await t.core.store.progress.top(spring.id, week(n), 10)).map((s) => s.points);
    expect([await boards(0), await boards(1), await boards(2), await boards(3)]).toEqual([
      [15],
      [50],
      [40],
      [],
    ]);
    expect((await t.core.store.progress.top(spring.id, all, 10)).map((s) => s.points)).toEqual([105]);
    expect(await t.core.store.progress.participation(spring.id)).toEqual([
      { week: 0, learners: 1, points: 15 },
      { week: 1, learners: 1, points: 50 },
      { week: 2, learners: 1, points: 40 },
    ]);
  });

  it("given a track joined, left and joined again, the track board holds exactly the points earned on it", async () => {
    const w = world();
    const spring = await cohortOf(w, "spring");
    const ana = await learnerIn(w, "ana", spring);
    const bo = await learnerIn(w, "bo", spring);
    const { progress, tracks } = w.store;
    await answer(w, ana, { minute: 1, points: 10 });
    await tracks.join(bo.id, "dba", at(1));
    await answer(w, bo, { minute: 2, points: 15 });
    // Points from before the track stay off it.
    await tracks.join(ana.id, "dba", at(3));
    expect(await standings(w, spring, track("dba"))).toEqual([["bo", 15]]);
    await answer(w, ana, { minute: 4, points: 20 });
    expect(await standings(w, spring, track("dba"))).toEqual([
      ["ana", 20],
      ["bo", 15],
    ]);

    await tracks.leave(ana.id, at(5));
    expect(await standings(w, spring, track("dba"))).toEqual([["bo", 15]]);
    expect(await progress.size(spring.id, track("dba"))).toBe(1);
    expect(await progress.standing(spring.id, track("dba"), ana.id)).toBeUndefined();
    expect(await standings(w, spring, all)).toEqual([
      ["ana", 30],
      ["bo", 15],
    ]);

    await tracks.join(ana.id, "sql-developer", at(6));
    await answer(w, ana, { minute: 7, points: 5 });
    expect(await standings(w, spring, track("sql-developer"))).toEqual([["ana", 5]]);
    // Coming back to the track brings back what was earned on it, reached when it was first earned.
    await tracks.join(ana.id, "dba", at(8));
    expect(await progress.standing(spring.id, track("dba"), ana.id)).toMatchObject({
      rank: 1,
      points: 20,
      reachedAt: at(4),
    });
    expect(await progress.size(spring.id, track("sql-developer"))).toBe(0);
    expect(await progress.size(spring.id, track("dba"))).toBe(2);
    expect(await standings(w, spring, all)).toEqual([
      ["ana", 35],
      ["bo", 15],
    ]);
    expectRebuildAgrees(w.database);
  });

  it("given a learner who switches cohorts, moves them off the old cohort's boards and onto the new one's", async () => {
    const w = world();
    const north = await cohortOf(w, "north");
    const south = await cohortOf(w, "south");
    const ana = await learnerIn(w, "ana", north);
    const bo = await learnerIn(w, "bo", north);
    const { progress, cohorts } = w.store;
    await answer(w, ana, { minute: 1, points: 10, question: "q1" });
    await answer(w, bo, { minute: 2, points: 10, question: "q1" });

    await cohorts.join(ana.id, south.id);
    expect(await standings(w, north, all)).toEqual([["bo", 10]]);
    expect(await standings(w, north, week(1))).toEqual([["bo", 10]]);
    expect(await progress.size(north.id, all)).toBe(1);
    expect(await progress.standing(north.id, all, ana.id)).toBeUndefined();
    // Nothing was earned in the new cohort yet, so its boards do not list her.
    expect(await progress.size(south.id, all)).toBe(0);
    await answer(w, ana, { minute: 3, points: 20, question: "q2", week: 2 });
    expect(await standings(w, south, all)).toEqual([["ana", 20]]);
    expect(await standings(w, south, week(2))).toEqual([["ana", 20]]);
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
    expectRebuildAgrees(w.database);
  });

  it("given two spaces, keeps each one's members and cohorts out of the other's boards, lookups and stats", async () => {
    const w = world();
    const here = await cohortOf(w, "spring", "guild-a");
    const there = await cohortOf(w, "spring", "guild-b");
    const anaHere = await learnerIn(w, "ana", here, "guild-a");
    const anaThere = await learnerIn(w, "ana", there, "guild-b");
    const bo = await learnerIn(w, "bo", there, "guild-b");
    expect(anaHere.id).not.toBe(anaThere.id);
    await answer(w, anaHere, { minute: 1, points: 10, question: "q1" });
    await answer(w, anaThere, { minute: 2, points: 20, question: "q1", correct: true });
    await answer(w, bo, { minute: 3, correct: false, question: "q2" });

    const { progress, identities } = w.store;
    expect(await standings(w, here, all)).toEqual([["ana", 10]]);
    expect(await standings(w, there, all)).toEqual([
      ["ana", 20],
      ["bo", 0],
    ]);
    expect((await progress.top(here.id, all, 10))[0]?.member.id).toBe(anaHere.id);
    expect(await progress.standing(here.id, all, anaThere.id)).toBeUndefined();
    expect(await progress.standing(there.id, all, anaHere.id)).toBeUndefined();

    expect((await identities.lookup(anaHere.spaceId, "ana")).map((m) => m.id)).toEqual([anaHere.id]);
    expect((await identities.lookup(anaThere.spaceId, "ANA")).map((m) => m.id)).toEqual([anaThere.id]);
    expect(await identities.lookup(anaHere.spaceId, "bo")).toEqual([]);

    expect(await progress.participation(here.id)).toEqual([{ week: 1, learners: 1, points: 10 }]);
    expect(await progress.participation(there.id)).toEqual([{ week: 1, learners: 2, points: 20 }]);
    expect(await progress.questionTallies(here.id)).toEqual([{ questionId: "q1", attempts: 1, correct: 1 }]);
    expect(sortTallies(await progress.questionTallies(there.id))).toEqual([
      { questionId: "q1", attempts: 1, correct: 1 },
      { questionId: "q2", attempts: 1, correct: 0 },
    ]);
    const day = at(0).toISOString().slice(0, 10);
    expect((await progress.lapsing(here.id, "day", day, day)).map((r) => r.member.id)).toEqual([anaHere.id]);
    expect((await progress.lapsing(there.id, "day", day, day)).map((r) => r.member.id).sort()).toEqual(
      [anaThere.id, bo.id].sort(),
    );
    expect((await progress.report(here.id)).map((r) => r.member.id)).not.toContain(anaThere.id);
    expect((await progress.report(there.id)).map((r) => r.member.id)).not.toContain(anaHere.id);
  });
});
