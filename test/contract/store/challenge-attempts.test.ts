import { expect, it } from "vitest";
import type { Attempt } from "../../../src/core/ports/answers.js";
import type { Member } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import { decideAttempt } from "../../../src/core/services/record-answer.js";
import { at, cohortOf, learnerIn } from "./learners.js";
import { describeStores } from "./stores.js";

interface Submission {
  minute: number;
  question: string;
  query: string;
  correct?: boolean;
  feedback?: string;
}

/** Stores one submission as /submit does: the query as the response, the grader's feedback when it failed. */
function submit(store: Store, learner: Member, s: Submission) {
  const correct = s.correct ?? false;
  const attempt: Attempt = {
    spaceId: learner.spaceId,
    memberId: learner.id,
    questionId: s.question,
    response: s.query,
    correct,
    ...(s.feedback === undefined ? {} : { feedback: s.feedback }),
    eventKey: null,
    at: at(s.minute),
  };
  const clock = { week: 1, day: at(s.minute).toISOString().slice(0, 10) };
  return store.answers.record(attempt, (before) =>
    decideAttempt(before, before.cohortId, clock, correct, { points: correct ? 20 : 0, reason: "contract" }),
  );
}

const challenges = ["ch-orders", "ch-index"];

describeStores("a learner's challenge attempts", (open) => {
  it("given quiz answers and challenge submissions, returns only the challenge attempts, newest first, with query and feedback", async () => {
    const { store } = await open();
    const cohort = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", cohort);
    await submit(store, ana, { minute: 1, question: "ch-orders", query: "SELECT 1", feedback: "No rows." });
    await submit(store, ana, { minute: 2, question: "w01-left", query: "b", correct: true });
    await submit(store, ana, {
      minute: 3,
      question: "ch-index",
      query: "SELECT 2",
      feedback: "Row 1 differs.",
    });
    await submit(store, ana, { minute: 4, question: "ch-orders", query: "SELECT 3", correct: true });

    const attempts = await store.answers.challengeAttempts(ana.id, challenges, 10);
    expect(attempts).toEqual([
      { questionId: "ch-orders", at: at(4), correct: true, query: "SELECT 3", feedback: null },
      { questionId: "ch-index", at: at(3), correct: false, query: "SELECT 2", feedback: "Row 1 differs." },
      { questionId: "ch-orders", at: at(1), correct: false, query: "SELECT 1", feedback: "No rows." },
    ]);
  });

  it("given two learners who tried the same challenge, gives each only their own attempts", async () => {
    const { store } = await open();
    const cohort = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", cohort);
    const bo = await learnerIn(store, "bo", cohort);
    await submit(store, ana, {
      minute: 1,
      question: "ch-orders",
      query: "ana's query",
      feedback: "No rows.",
    });
    await submit(store, bo, {
      minute: 2,
      question: "ch-orders",
      query: "bo's query",
      feedback: "Too many rows.",
    });

    const anas = await store.answers.challengeAttempts(ana.id, challenges, 10);
    const bos = await store.answers.challengeAttempts(bo.id, challenges, 10);
    expect(anas.map((a) => a.query)).toEqual(["ana's query"]);
    expect(bos.map((a) => a.query)).toEqual(["bo's query"]);
    expect(bos.map((a) => a.feedback)).toEqual(["Too many rows."]);
  });

  it("given more attempts than the limit, returns the newest up to the limit", async () => {
    const { store } = await open();
    const cohort = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", cohort);
    for (const minute of [1, 2, 3, 4]) {
      await submit(store, ana, { minute, question: "ch-index", query: `try ${minute}`, feedback: "No." });
    }
    const attempts = await store.answers.challengeAttempts(ana.id, challenges, 2);
    expect(attempts.map((a) => a.query)).toEqual(["try 4", "try 3"]);
  });

  it("given an attempt stored before feedback was kept, returns it with no feedback", async () => {
    const { store, write } = await open();
    const cohort = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", cohort);
    await submit(store, ana, { minute: 1, question: "ch-index", query: "SELECT 9", feedback: "kept" });
    await write("UPDATE answers SET feedback = NULL");
    const attempts = await store.answers.challengeAttempts(ana.id, challenges, 10);
    expect(attempts).toEqual([
      { questionId: "ch-index", at: at(1), correct: false, query: "SELECT 9", feedback: null },
    ]);
  });

  it("given no challenge ids or a member with no attempts, returns none", async () => {
    const { store } = await open();
    const cohort = await cohortOf(store, "spring");
    const ana = await learnerIn(store, "ana", cohort);
    const bo = await learnerIn(store, "bo", cohort);
    await submit(store, ana, { minute: 1, question: "ch-index", query: "SELECT 1", feedback: "No." });
    expect(await store.answers.challengeAttempts(ana.id, [], 10)).toEqual([]);
    expect(await store.answers.challengeAttempts(bo.id, challenges, 10)).toEqual([]);
  });
});
