import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../../test/helpers.js";
import type { CommandContext } from "../commands/command.js";
import { handleText } from "../dispatch.js";
import type { AttemptFacts } from "../ports/answers.js";
import { emptyStreak } from "../rules/streak.js";
import { decideAttempt, recordAnswer } from "./record-answer.js";

const fresh: AttemptFacts = {
  cohortId: 7,
  trackId: null,
  attempts: 0,
  solved: false,
  scored: false,
  streaks: { day: emptyStreak, week: emptyStreak },
};
const clock = { week: 2, day: "2026-03-10" };

describe("the decision on an attempt", () => {
  it("given a first right answer, records the points offered with the week, the day and both streaks", () => {
    const decision = decideAttempt(fresh, 7, clock, true, { points: 20, reason: "quiz q" });
    expect(decision).toMatchObject({
      record: true,
      points: 20,
      reason: "quiz q",
      week: 2,
      day: "2026-03-10",
    });
    if (!decision.record) throw new Error("refused");
    expect(decision.streaks.day.state).toMatchObject({ current: 1, lastUnit: "2026-03-10" });
    expect(decision.streaks.week.state.current).toBe(1);
  });

  it("given a question that scored before, records the attempt for no points", () => {
    const decision = decideAttempt({ ...fresh, scored: true }, 7, clock, true, { points: 20, reason: "r" });
    expect(decision).toMatchObject({ record: true, points: 0 });
  });

  it("given a wrong answer, records it for no points whatever was offered", () => {
    expect(decideAttempt(fresh, 7, clock, false, { points: 20, reason: "r" })).toMatchObject({ points: 0 });
  });

  it("given the learner moved cohort since the week was worked out, records nothing", () => {
    expect(decideAttempt({ ...fresh, cohortId: 8 }, 7, clock, true, { points: 20, reason: "r" })).toEqual({
      record: false,
      why: "moved",
    });
  });

  it("given an offer that reads the facts, passes them and keeps its refusal", () => {
    const offer = (before: AttemptFacts) =>
      before.attempts > 0 ? ({ refuse: "answered" } as const) : { points: 5, reason: "r" };
    expect(decideAttempt({ ...fresh, attempts: 1 }, 7, clock, true, offer)).toEqual({
      record: false,
      why: "answered",
    });
  });
});

describe("recording an answer", () => {
  it("given the same quiz question answered twice at once, stores one answer and tells the other it counted once", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    const counted = tableCounts(t.database).answers ?? 0;
    const question = t.core.curriculum.bank.items.find((i) => i.week === 2 && i.kind === "single");
    if (!question) throw new Error("no single-choice item in week 2");
    const replies = await Promise.all(
      ["a", "b"].map((choice) => handleText(t.core, actor("ana"), `/answer ${question.id} ${choice}`)),
    );
    expect(tableCounts(t.database).answers).toBe(counted + 1);
    expect(replies.filter((r) => /quiz questions count once/.test(r?.text ?? ""))).toHaveLength(1);
  });

  it("given the learner moves cohort while the answer is on its way, counts it for the new cohort and its week", async () => {
    const t = testCore("2026-03-10T10:00:00Z");
    await handleText(t.core, actor("mod"), "/cohort create early 2026-03-02 UTC");
    await handleText(t.core, actor("mod"), "/cohort create late 2026-03-09 UTC");
    await handleText(t.core, actor("ana"), "/cohort join early");
    const identity = await t.core.store.identities.find(actor("ana"));
    const late = identity && (await t.core.store.cohorts.findByName(identity.space.id, "late"));
    if (!identity || !late) throw new Error("set-up failed");

    // The move lands between the core's read of the cohort and the store's transaction.
    const { answers } = t.core.store;
    let moved = false;
    const store = {
      ...t.core.store,
      answers: {
        ...answers,
        record: async (...args: Parameters<typeof answers.record>) => {
          if (!moved) {
            moved = true;
            await handleText(t.core, actor("ana"), "/cohort join late");
          }
          return answers.record(...args);
        },
      },
    };
    const ctx: CommandContext = { ...t.core, store, actor: actor("ana"), eventKey: null };
    const recorded = await recordAnswer(
      ctx,
      identity,
      { questionId: "q1", response: "right", correct: true, eventKey: null, at: t.clock.now() },
      { points: 10, reason: "test" },
    );
    expect(recorded).toMatchObject({ stored: true, points: 10, cohortId: late.id });
    const ledger = t.database.sqlite.prepare("SELECT cohort_id AS cohortId, week FROM points_ledger").all();
    // Week 2 of the early cohort would be wrong: in the late cohort it is week 1.
    expect(ledger).toEqual([{ cohortId: late.id, week: 1 }]);
  });
});
