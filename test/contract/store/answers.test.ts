import { expect, it } from "vitest";
import type { Attempt } from "../../../src/core/ports/answers.js";
import type { Member } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import { defaultModuleSchedule } from "../../../src/core/schedules/timeline.js";
import { decideAttempt } from "../../../src/core/services/record-answer.js";
import { actor } from "../../helpers.js";
import { describeStores } from "./stores.js";

const at = new Date("2026-03-04T10:00:00Z");

async function newCohort(store: Store, name: string): Promise<number> {
  const mod = await store.identities.ensure(actor("mod"), at);
  const created = await store.cohorts.create({
    spaceId: mod.space.id,
    name,
    startDate: "2026-03-02",
    timezone: "UTC",
    channelExternalId: null,
    createdBy: mod.member.id,
    at,
    moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC"),
  });
  if (!created.ok) throw new Error(`no cohort ${name}`);
  return created.value.id;
}

async function cohortWith(store: Store, users: string[]): Promise<{ cohortId: number; learners: Member[] }> {
  const cohortId = await newCohort(store, "spring");
  const learners: Member[] = [];
  for (const user of users) {
    const { member } = await store.identities.ensure(actor(user), at);
    await store.cohorts.join(member.id, cohortId);
    learners.push({ ...member, cohortId });
  }
  return { cohortId, learners };
}

interface Given {
  question?: string;
  correct?: boolean;
  points?: number;
  eventKey?: string;
  minute?: number;
}

/** Records an answer with the core's own decision, in week 1 on the answer's UTC day. */
function answer(store: Store, learner: Member, given: Given = {}) {
  const when = new Date(at.getTime() + (given.minute ?? 0) * 60_000);
  const correct = given.correct ?? true;
  const attempt: Attempt = {
    spaceId: learner.spaceId,
    memberId: learner.id,
    questionId: given.question ?? "q1",
    response: correct ? "right" : "wrong",
    correct,
    eventKey: given.eventKey ?? null,
    at: when,
  };
  const clock = { week: 1, day: when.toISOString().slice(0, 10) };
  const offer = { points: given.points ?? 10, reason: "contract" };
  return store.answers.record(attempt, (before) =>
    decideAttempt(before, before.cohortId, clock, correct, offer),
  );
}

interface EntryRow {
  member_id: number;
  board: string;
  points: number;
}

describeStores("answers and the aggregates they move", (open) => {
  it("given a first right answer, stores it scored with its ledger entry, boards, tally and streak", async () => {
    const { store, query } = await open();
    const { cohortId, learners } = await cohortWith(store, ["ana"]);
    const ana = learners[0] as Member;
    const recorded = await answer(store, ana, { points: 20 });
    expect(recorded).toMatchObject({ stored: true, scored: true, points: 20, cohortId });
    if (!recorded.stored) throw new Error("not stored");
    expect(recorded.before).toMatchObject({
      attempts: 0,
      solved: false,
      scored: false,
      cohortId,
      trackId: null,
    });
    expect(recorded.streaks.day.state.current).toBe(1);
    const entries = await query<EntryRow>(
      "SELECT member_id, board, points FROM board_entries ORDER BY board",
    );
    expect(entries.map((e) => [e.board, Number(e.points)])).toEqual([
      ["all", 20],
      ["week:1", 20],
    ]);
    const counts = await query<{ members: number }>("SELECT members FROM board_counts WHERE points = 20");
    expect(counts.map((c) => Number(c.members))).toEqual([1, 1]);
    expect(await store.answers.totalPoints(ana.id)).toBe(20);
    expect(await store.answers.summary(ana.id, "q1")).toEqual({ attempts: 1, solved: true, lastAt: at });
    const history = await store.answers.history(ana.id);
    expect(history.get("q1")).toEqual({ attempts: 1, solved: true, lastAt: at });
  });

  it("given a second right answer to a scored question, stores it for no points", async () => {
    const { store } = await open();
    const { learners } = await cohortWith(store, ["ana"]);
    const ana = learners[0] as Member;
    await answer(store, ana, { correct: false, minute: 0 });
    await answer(store, ana, { minute: 1 });
    const again = await answer(store, ana, { minute: 2 });
    expect(again).toMatchObject({ stored: true, scored: false, points: 0 });
    if (!again.stored) throw new Error("not stored");
    expect(again.before).toMatchObject({ attempts: 2, solved: true, scored: true });
    expect(await store.answers.totalPoints(ana.id)).toBe(10);
  });

  it("given a replayed event, stores nothing and says so", async () => {
    const { store, query } = await open();
    const { learners } = await cohortWith(store, ["ana"]);
    const ana = learners[0] as Member;
    await answer(store, ana, { eventKey: "discord:1" });
    expect(await answer(store, ana, { eventKey: "discord:1", question: "q2" })).toEqual({
      stored: false,
      why: "replay",
    });
    expect(await query("SELECT id FROM answers")).toHaveLength(1);
  });

  it("given one learner's first right answers sent through two connections at once, one scores and neither fails", async () => {
    const opened = await open();
    const other = await opened.another();
    const { learners } = await cohortWith(opened.store, ["ana"]);
    const ana = learners[0] as Member;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => answer(i % 2 ? other : opened.store, ana, { minute: i })),
    );
    expect(results.every((r) => r.stored)).toBe(true);
    expect(results.filter((r) => r.stored && r.scored)).toHaveLength(1);
    expect(await opened.query("SELECT id FROM answers WHERE scored = true")).toHaveLength(1);
    expect(await opened.store.answers.totalPoints(ana.id)).toBe(10);
  });

  it("given the same event sent through two connections at once, stores it once", async () => {
    const opened = await open();
    const other = await opened.another();
    const { learners } = await cohortWith(opened.store, ["ana"]);
    const ana = learners[0] as Member;
    const results = await Promise.all(
      [opened.store, other, opened.store, other].map((s) => answer(s, ana, { eventKey: "slack:T1" })),
    );
    expect(results.filter((r) => r.stored)).toHaveLength(1);
    expect(await opened.query("SELECT id FROM answers")).toHaveLength(1);
  });

  it("given many learners answering at once through two connections, no increment is lost", async () => {
    const opened = await open();
    const other = await opened.another();
    const users = Array.from({ length: 8 }, (_, i) => `learner${i}`);
    const { learners } = await cohortWith(opened.store, users);
    const questions = ["q1", "q2", "q3"];
    await Promise.all(
      learners.flatMap((learner, l) =>
        questions.map((question, q) =>
          answer((l + q) % 2 ? other : opened.store, learner, { question, points: 1 + q, minute: q }),
        ),
      ),
    );
    const all = await opened.query<EntryRow>(
      "SELECT member_id, board, points FROM board_entries WHERE board = 'all'",
    );
    expect(all.map((e) => Number(e.points))).toEqual(learners.map(() => 6));
    const counts = await opened.query<{ points: number; members: number }>(
      "SELECT points, members FROM board_counts WHERE board = 'all'",
    );
    expect(counts.map((c) => [Number(c.points), Number(c.members)])).toEqual([[6, learners.length]]);
    const days = await opened.query<{ members: number }>(
      "SELECT members FROM board_day_counts WHERE board = 'all'",
    );
    expect(days.reduce((sum, d) => sum + Number(d.members), 0)).toBe(learners.length);
    const stats = await opened.query<{ question_id: string; attempts: number; correct: number }>(
      "SELECT question_id, attempts, correct FROM question_stats ORDER BY question_id",
    );
    expect(stats.map((s) => [s.question_id, Number(s.attempts), Number(s.correct)])).toEqual(
      questions.map((q) => [q, learners.length, learners.length]),
    );
    const activity = await opened.query<{ activities: number }>("SELECT activities FROM activity_days");
    expect(activity.map((a) => Number(a.activities))).toEqual(learners.map(() => questions.length));
  });

  it("given a learner who moves cohort, they leave the old cohort's boards and count on the new one's from then on", async () => {
    const { store, query } = await open();
    const { learners } = await cohortWith(store, ["ana"]);
    const ana = learners[0] as Member;
    await answer(store, ana, { points: 30 });
    const autumn = await newCohort(store, "autumn");
    await store.cohorts.join(ana.id, autumn);
    // Ledger entries stay with the cohort they were earned in: the new cohort's boards start empty.
    const entries = await query<{ cohort_id: number }>(
      `SELECT cohort_id FROM board_entries WHERE member_id = ${ana.id}`,
    );
    expect(entries).toEqual([]);
    expect(await query("SELECT points FROM board_counts")).toEqual([]);
    await store.tracks.join(ana.id, "dba", at);
    await answer(store, ana, { question: "q2", points: 5, minute: 1 });
    const after = await query<EntryRow>(`SELECT member_id, board, points FROM board_entries ORDER BY board`);
    expect(after.map((e) => [e.board, Number(e.points)])).toEqual([
      ["all", 5],
      ["track:dba", 5],
      ["week:1", 5],
    ]);
  });
});
