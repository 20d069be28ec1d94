import { expect, it } from "vitest";
import type { Member } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import { decideAttempt } from "../../../src/core/services/record-answer.js";
import { answer, at, cohortOf, learnerIn, MINUTES_PER_DAY, march } from "./learners.js";
import { describeStores } from "./stores.js";

// The dashboard's whole-cohort reads: cohorts of a space at a glance, members' activity, wrong responses.

/** Minutes from the base instant (4 March 10:00 UTC) to 10:00 UTC on `n` March. */
const onMarch = (n: number) => (n - 4) * MINUTES_PER_DAY;

/** Records one answer whose stored response is `response`, worth 10 points when right. */
function answerWith(
  store: Store,
  learner: Member,
  a: { minute: number; question: string; response: string; correct: boolean; week?: number },
) {
  const attempt = {
    spaceId: learner.spaceId,
    memberId: learner.id,
    questionId: a.question,
    response: a.response,
    correct: a.correct,
    eventKey: null,
    at: at(a.minute),
  };
  const clock = { week: a.week ?? 1, day: at(a.minute).toISOString().slice(0, 10) };
  const offer = { points: a.correct ? 10 : 0, reason: "contract" };
  return store.answers.record(attempt, (before) =>
    decideAttempt(before, before.cohortId, clock, a.correct, offer),
  );
}

describeStores("the dashboard's cohort reads", (open) => {
  it("given cohorts in two spaces, lists each cohort of the space with its members and learners active per week", async () => {
    const { store, query } = await open();
    const spring = await cohortOf(store, "spring");
    const autumn = await cohortOf(store, "autumn");
    const elsewhere = await cohortOf(store, "spring", "other");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    await learnerIn(store, "di", autumn);
    const zed = await learnerIn(store, "zed", elsewhere, "other");
    await answer(store, ana, { minute: 0, week: 1 });
    await answer(store, bo, { minute: 1, week: 1, correct: false });
    await answer(store, ana, { minute: 2, week: 2 });
    await answer(store, bo, { minute: 3, week: 12, points: 30 });
    await answer(store, cy, { minute: 4, week: 0 });
    await answer(store, zed, { minute: 5, week: 1 });
    // Cy moves to autumn: only current members count, in their new cohort from now on.
    await store.cohorts.join(cy.id, autumn.id);

    const space = spring.spaceId;
    expect(await store.progress.cohortActivity(space)).toEqual([
      {
        cohortId: spring.id,
        // The moderator who created it is a member too.
        members: 3,
        weeks: [
          { week: 1, learners: 2 },
          { week: 2, learners: 1 },
          { week: 12, learners: 1 },
        ],
      },
      // Cy's week 0 stays with spring's ledger: a cohort's boards hold what was earned in it.
      { cohortId: autumn.id, members: 3, weeks: [] },
    ]);
    expect((await store.progress.cohortActivity(space)).map((c) => c.cohortId)).toEqual(
      (await store.cohorts.list(space)).map((c) => c.id),
    );
    for (const cohort of [spring, autumn]) {
      const [fromList] = (await store.progress.cohortActivity(space)).filter((c) => c.cohortId === cohort.id);
      expect(fromList?.members).toBe((await store.cohorts.summary(cohort.id)).memberCount);
      expect(fromList?.weeks.map((w) => ({ ...w, points: expect.any(Number) }))).toEqual(
        (await store.progress.participation(cohort.id)).map((p) => ({ ...p, points: expect.any(Number) })),
      );
    }
    expect(await store.progress.cohortActivity(elsewhere.spaceId)).toEqual([
      { cohortId: elsewhere.id, members: 2, weeks: [{ week: 1, learners: 1 }] },
    ]);
    const [unknown] = await query<{ id: number }>("SELECT coalesce(max(id), 0) + 1 AS id FROM spaces");
    expect(await store.progress.cohortActivity(unknown?.id ?? 0)).toEqual([]);
  });

  it("given answers over days and weeks, each current member's last active day, last week and challenges solved, and the quiet ones", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const north = await cohortOf(store, "north");
    const ana = await learnerIn(store, "ana", north);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    await learnerIn(store, "gone", spring);
    // Ana solves a challenge in north, then moves: what she solved goes with her, her weeks in north do not.
    await answerWith(store, ana, { minute: onMarch(2), question: "c-one", response: "q", correct: true });
    await store.cohorts.join(ana.id, spring.id);
    await answerWith(store, ana, { minute: onMarch(5), question: "c-one", response: "q", correct: true });
    await answerWith(store, ana, { minute: onMarch(6), question: "c-two", response: "q", correct: false });
    await answerWith(store, ana, {
      minute: onMarch(9),
      question: "quiz-1",
      response: "b",
      correct: true,
      week: 2,
    });
    // Bo fails a challenge, then solves it twice, and solves another twice over: two distinct.
    await answerWith(store, bo, { minute: onMarch(3), question: "c-one", response: "q", correct: false });
    await answerWith(store, bo, { minute: onMarch(3) + 1, question: "c-one", response: "q", correct: true });
    await answerWith(store, bo, { minute: onMarch(4), question: "c-one", response: "q", correct: true });
    await answerWith(store, bo, {
      minute: onMarch(4) + 1,
      question: "c-two",
      response: "q",
      correct: true,
      week: 3,
    });
    await answerWith(store, bo, { minute: onMarch(4) + 2, question: "c-two", response: "q", correct: true });
    await answerWith(store, cy, { minute: onMarch(4), question: "quiz-1", response: "b", correct: true });
    const gone = await learnerIn(store, "gone", north);

    const activity = await store.progress.memberActivity(spring.id, ["c-one", "c-two", "c-three"]);
    expect(activity.map((a) => [a.member.displayName, a.lastActive, a.lastWeek, a.solved])).toEqual([
      ["spring-mod", null, null, 0],
      ["ana", march(9), 2, 1],
      ["bo", march(4), 3, 2],
      ["cy", march(4), 1, 0],
    ]);
    expect(activity[2]?.member).toEqual(bo);
    expect(activity.some((a) => a.member.id === gone.id)).toBe(false);
    // Only the questions named count as solved.
    expect((await store.progress.memberActivity(spring.id, [])).map((a) => a.solved)).toEqual([0, 0, 0, 0]);
    expect(
      (await store.progress.memberActivity(spring.id, ["quiz-1"])).map((a) => [
        a.member.displayName,
        a.solved,
      ]),
    ).toEqual([
      ["spring-mod", 0],
      ["ana", 1],
      ["bo", 0],
      ["cy", 1],
    ]);
    // Quiet: not active since the day, or no week from the week on; never active is both.
    const quiet = async (since: string, week: number) =>
      (await store.progress.quietMembers(spring.id, since, week)).map((q) => q.member.displayName);
    expect(await quiet(march(5), 2)).toEqual(["spring-mod", "bo", "cy"]);
    expect(await quiet(march(1), 3)).toEqual(["spring-mod", "ana", "cy"]);
    expect(await quiet(march(4), 1)).toEqual(["spring-mod"]);
    const { solved: _, ...asQuiet } = activity[2] ?? { solved: 0 };
    expect((await store.progress.quietMembers(spring.id, march(5), 2))[1]).toEqual(asQuiet);
    expect(await store.progress.memberActivity(north.id, ["c-one"])).toEqual([
      {
        member: expect.objectContaining({ displayName: "north-mod" }),
        lastActive: null,
        lastWeek: null,
        solved: 0,
      },
      { member: { ...gone, cohortId: north.id }, lastActive: null, lastWeek: null, solved: 0 },
    ]);
  });

  it("given wrong answers in two cohorts, counts each wrong response per question made in the cohort, most given first", async () => {
    const { store } = await open();
    const spring = await cohortOf(store, "spring");
    const north = await cohortOf(store, "north");
    const ana = await learnerIn(store, "ana", spring);
    const bo = await learnerIn(store, "bo", spring);
    const cy = await learnerIn(store, "cy", spring);
    const di = await learnerIn(store, "di", spring);
    const zed = await learnerIn(store, "zed", north);
    let minute = 0;
    const wrong = (learner: Member, question: string, response: string) =>
      answerWith(store, learner, { minute: minute++, question, response, correct: false });
    await wrong(ana, "q-single", "c");
    await wrong(bo, "q-single", "b");
    await wrong(cy, "q-single", "c");
    await wrong(di, "q-single", "a");
    await answerWith(store, di, { minute: minute++, question: "q-single", response: "d", correct: true });
    await wrong(ana, "q-multi", "a,c");
    await wrong(bo, "q-multi", "a,c");
    await wrong(ana, "Q-upper", "key:b");
    await wrong(ana, "q-short", "select everything");
    await wrong(zed, "q-single", "b");
    // Di answered in spring, then moved: her attempt stays the cohort's, as in the question tallies.
    await store.cohorts.join(di.id, north.id);

    const named = ["q-single", "q-multi", "Q-upper", "q-unasked"];
    expect(await store.progress.wrongResponses(spring.id, named)).toEqual([
      { questionId: "Q-upper", response: "key:b", count: 1 },
      { questionId: "q-multi", response: "a,c", count: 2 },
      { questionId: "q-single", response: "c", count: 2 },
      { questionId: "q-single", response: "a", count: 1 },
      { questionId: "q-single", response: "b", count: 1 },
    ]);
    const tallies = await store.progress.questionTallies(spring.id);
    const single = tallies.find((t) => t.questionId === "q-single");
    const wrongCount = (await store.progress.wrongResponses(spring.id, ["q-single"])).reduce(
      (sum, r) => sum + r.count,
      0,
    );
    expect(wrongCount).toBe((single?.attempts ?? 0) - (single?.correct ?? 0));
    expect(await store.progress.wrongResponses(north.id, named)).toEqual([
      { questionId: "q-single", response: "b", count: 1 },
    ]);
    expect(await store.progress.wrongResponses(spring.id, [])).toEqual([]);
  });
});
