import { describe, expect, it } from "vitest";
import { actor, type TestCore, tableCounts, tempDatabase, testCore } from "../../test/helpers.js";
import { seededRandom } from "../../test/seeded-random.js";
import type { CommandContext } from "../core/commands/command.js";
import { handleText } from "../core/dispatch.js";
import type { Attempt } from "../core/ports/answers.js";
import type { Cohort } from "../core/ports/cohorts.js";
import type { Actor, Member } from "../core/ports/identity.js";
import type { Board } from "../core/ports/progress.js";
import type { Store } from "../core/ports/store.js";
import { defaultModuleSchedule } from "../core/schedules/timeline.js";
import { decideAttempt, recordAnswer } from "../core/services/record-answer.js";
import type { OpenDatabase } from "./client.js";
import { rebuildAggregatesAtOnce } from "./rebuild.js";
import { createStore } from "./store.js";

// The progress store read back after real answers, moves and rebuilds on a real SQLite file.

const all: Board = { kind: "all" };
const week = (n: number): Board => ({ kind: "week", week: n });
const track = (trackId: string): Board => ({ kind: "track", trackId });
const minute = 60_000;
const base = Date.parse("2026-03-04T10:00:00Z");
/** `n` minutes after the base instant. */
const at = (n: number) => new Date(base + n * minute);

interface World {
  database: OpenDatabase;
  store: Store;
}

function world(): World {
  const database = tempDatabase();
  return { database, store: createStore(database.db) };
}

async function cohortOf(w: World, name: string, space = "local", timezone = "UTC"): Promise<Cohort> {
  const { space: where, member } = await w.store.identities.ensure(
    actor(`${name}-mod`, { spaceExternalId: space }),
    at(0),
  );
  const created = await w.store.cohorts.create({
    spaceId: where.id,
    name,
    startDate: "2026-03-02",
    timezone,
    channelExternalId: null,
    createdBy: member.id,
    at: at(0),
    moduleSchedule: defaultModuleSchedule("2026-03-02", timezone),
  });
  if (!created.ok) throw new Error(`cohort ${name} not created`);
  return created.value;
}

async function learnerIn(w: World, user: string, cohort: Cohort, space = "local"): Promise<Member> {
  const { member } = await w.store.identities.ensure(actor(user, { spaceExternalId: space }), at(0));
  await w.store.cohorts.join(member.id, cohort.id);
  return member;
}

interface Answer {
  question?: string;
  points?: number;
  correct?: boolean;
  minute: number;
  week?: number;
  day?: string;
  eventKey?: string;
}

/** Records one answer with the core's decision, for the week and day given (the store takes them as told). */
function answer(w: World, learner: Member, a: Answer) {
  const correct = a.correct ?? (a.points ?? 10) > 0;
  const attempt: Attempt = {
    spaceId: learner.spaceId,
    memberId: learner.id,
    questionId: a.question ?? `q-${a.minute}`,
    response: correct ? "right" : "wrong",
    correct,
    eventKey: a.eventKey ?? null,
    at: at(a.minute),
  };
  const clock = { week: a.week ?? 1, day: a.day ?? at(a.minute).toISOString().slice(0, 10) };
  const offer = { points: correct ? (a.points ?? 10) : 0, reason: "test" };
  return w.store.answers.record(attempt, (before) =>
    decideAttempt(before, before.cohortId, clock, correct, offer),
  );
}

/** The board as `[name, points]` pairs, best first. */
async function standings(w: World, cohort: Cohort, board: Board): Promise<[string, number][]> {
  return (await w.store.progress.top(cohort.id, board, 1000)).map((s) => [s.member.displayName, s.points]);
}

const aggregateTables = [
  "board_entries",
  "board_counts",
  "board_day_counts",
  "streaks",
  "activity_days",
  "question_stats",
];

/** Every aggregate row, in an order that does not depend on how the rows were written. */
function aggregates(database: OpenDatabase): Record<string, unknown[]> {
  return Object.fromEntries(
    aggregateTables.map((table) => [
      table,
      database.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all(),
    ]),
  );
}

function expectRebuildAgrees(database: OpenDatabase): void {
  const kept = aggregates(database);
  rebuildAggregatesAtOnce(database.db);
  expect(aggregates(database)).toEqual(kept);
}

describe("leaderboards", () => {
  it("given equal points, the learner who reached them first ranks first, the same on every read", async () => {
    const w = world();
    const spring = await cohortOf(w, "spring");
    const ana = await learnerIn(w, "ana", spring);
    const bo = await learnerIn(w, "bo", spring);
    const cy = await learnerIn(w, "cy", spring);
    const di = await learnerIn(w, "di", spring);
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

async function say(t: TestCore, user: string, line: string): Promise<void> {
  const reply = await handleText(t.core, actor(user), line);
  expect(reply?.text ?? "", line).not.toMatch(/went wrong|There is no/);
}

async function cohortNamed(t: TestCore, name: string): Promise<Cohort> {
  const space = await t.core.store.identities.findSpace(actor("mod"));
  const cohort = space && (await t.core.store.cohorts.findByName(space.id, name));
  if (!cohort) throw new Error(`no cohort ${name}`);
  return cohort;
}

let questions = 0;
/** Answers through the core's own recording, which works out the learner's day and the cohort's week. */
async function coreAnswer(t: TestCore, who: Actor, points = 10) {
  const ctx: CommandContext = { ...t.core, actor: who, eventKey: null };
  const now = t.clock.now();
  const identity =
    (await t.core.store.identities.find(who)) ?? (await t.core.store.identities.ensure(who, now));
  return recordAnswer(
    ctx,
    identity,
    { questionId: `q${++questions}`, response: "right", correct: points > 0, eventKey: null, at: now },
    { points, reason: "test" },
  );
}

const sortTallies = <T extends { questionId: string }>(rows: T[]) =>
  [...rows].sort((a, b) => a.questionId.localeCompare(b.questionId));

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
    const spring = await cohortOf(w, "spring");
    const ana = await learnerIn(w, "ana", spring);
    const bo = await learnerIn(w, "bo", spring);
    const cy = await learnerIn(w, "cy", spring);
    const di = await learnerIn(w, "di", spring);
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
