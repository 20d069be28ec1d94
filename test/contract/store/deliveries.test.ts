import { expect, it } from "vitest";
import type { Cohort } from "../../../src/core/ports/cohorts.js";
import type { CohortDelivery } from "../../../src/core/ports/deliveries.js";
import type { Member } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import { decideAttempt } from "../../../src/core/services/record-answer.js";
import { actor } from "../../helpers.js";
import { cohortNamed } from "./scheduling-fixtures.js";
import { describeStores } from "./stores.js";

const noon = new Date("2026-03-04T12:00:00Z");
const DAY_MS = 86_400_000;

/** The cohort's daily question for the fire at `deliveredAt`, open for a day. */
function dailyQuestion(store: Store, cohort: Cohort, questionId: string, deliveredAt: Date) {
  return store.deliveries.create({
    spaceId: cohort.spaceId,
    cohortId: cohort.id,
    questionId,
    week: 1,
    deliveredAt,
    closesAt: new Date(deliveredAt.getTime() + DAY_MS),
  });
}

async function learnerIn(store: Store, user: string, cohort: Cohort | null): Promise<Member> {
  const { member } = await store.identities.ensure(actor(user), noon);
  if (cohort) await store.cohorts.join(member.id, cohort.id);
  return { ...member, cohortId: cohort?.id ?? null };
}

/** Records an answer the core lets through, whatever its facts. */
async function answer(store: Store, learner: Member, questionId: string, response: string, at: Date) {
  const correct = response === "B";
  const recorded = await store.answers.record(
    {
      spaceId: learner.spaceId,
      memberId: learner.id,
      questionId,
      response,
      correct,
      eventKey: null,
      at,
    },
    (before) =>
      decideAttempt(before, before.cohortId, { week: 1, day: "2026-03-04" }, correct, {
        points: 10,
        reason: "daily",
      }),
  );
  if (!recorded.stored) throw new Error("answer not stored");
}

describeStores("daily question deliveries", (open) => {
  it("given a daily question chosen for a fire, finds it by its opening instant and by its closing instant, and at no other", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const other = await cohortNamed(store, "autumn");
    const made = await dailyQuestion(store, cohort, "sql-joins-1", noon);
    const closesAt = new Date(noon.getTime() + DAY_MS);
    expect(made).toEqual({
      id: made.id,
      cohortId: cohort.id,
      questionId: "sql-joins-1",
      week: 1,
      deliveredAt: noon,
      closesAt,
    });
    expect(await store.deliveries.forCohortAt(cohort.id, noon)).toEqual(made);
    expect(await store.deliveries.forCohortAt(cohort.id, new Date(noon.getTime() + 1))).toBeUndefined();
    expect(await store.deliveries.forCohortAt(other.id, noon)).toBeUndefined();
    expect(await store.deliveries.closedAt(cohort.id, closesAt)).toEqual(made);
    expect(await store.deliveries.closedAt(cohort.id, noon)).toBeUndefined();
    expect(await store.deliveries.closedAt(other.id, closesAt)).toBeUndefined();
  });

  it("given daily questions of two cohorts and a question given to one learner, lists as used only the cohort's daily questions", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const other = await cohortNamed(store, "autumn");
    await dailyQuestion(store, cohort, "q1", noon);
    await dailyQuestion(store, cohort, "q2", new Date(noon.getTime() + DAY_MS));
    await dailyQuestion(store, other, "q3", noon);
    const ana = await learnerIn(store, "ana", cohort);
    await store.answers.deliver(ana.spaceId, ana.id, "q4", 1, noon);
    expect(await store.deliveries.usedByCohort(cohort.id)).toEqual(new Set(["q1", "q2"]));
    expect(await store.deliveries.usedByCohort(other.id)).toEqual(new Set(["q3"]));
  });

  it("given a daily question, it is open from its opening instant until just before it closes, for its cohort and question only", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const other = await cohortNamed(store, "autumn");
    const made = await dailyQuestion(store, cohort, "q1", noon);
    const ms = (offset: number) => new Date(noon.getTime() + offset);
    expect(await store.deliveries.open(cohort.id, "q1", ms(-1))).toBeUndefined();
    expect(await store.deliveries.open(cohort.id, "q1", noon)).toEqual(made);
    expect(await store.deliveries.open(cohort.id, "q1", ms(DAY_MS - 1))).toEqual(made);
    expect(await store.deliveries.open(cohort.id, "q1", ms(DAY_MS))).toBeUndefined();
    expect(await store.deliveries.open(cohort.id, "q2", noon)).toBeUndefined();
    expect(await store.deliveries.open(other.id, "q1", noon)).toBeUndefined();
  });

  it("given closed daily questions, lists those whose results post is not claimed, the earliest closed first, up to the limit", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const other = await cohortNamed(store, "autumn");
    const day = (n: number) => new Date(noon.getTime() + n * DAY_MS);
    const second = await dailyQuestion(store, cohort, "q2", day(1));
    const first = await dailyQuestion(store, cohort, "q1", day(0));
    const elsewhere = await dailyQuestion(store, other, "q1", day(0));
    await dailyQuestion(store, cohort, "q3", day(2));
    const ana = await learnerIn(store, "ana", cohort);
    await store.answers.deliver(ana.spaceId, ana.id, "q9", 1, day(-3));
    // Closed at exactly `now` counts as closed; q3 closes a day later.
    const now = second.closesAt;

    const closed = await store.deliveries.closedWithoutResults(now, 10);
    expect(closed.map((d) => d.questionId)).toEqual(["q1", "q1", "q2"]);
    expect(closed.slice(0, 2)).toEqual(expect.arrayContaining([first, elsewhere]));
    expect(closed[2]).toEqual(second);
    expect(await store.deliveries.closedWithoutResults(now, 1)).toHaveLength(1);

    await store.posts.claim(
      { cohortId: cohort.id, week: 1, kind: "daily-results", dueAt: first.closesAt },
      first.closesAt,
    );
    const left: CohortDelivery[] = await store.deliveries.closedWithoutResults(now, 10);
    expect(left).toEqual([elsewhere, second]);
  });

  it("given answers while the question was open, tallies each response of the cohort's members in byte order", async () => {
    const { store } = await open();
    const cohort = await cohortNamed(store, "spring");
    const made = await dailyQuestion(store, cohort, "q1", noon);
    const [ana, bo, cy] = [
      await learnerIn(store, "ana", cohort),
      await learnerIn(store, "bo", cohort),
      await learnerIn(store, "cy", cohort),
    ];
    const outsider = await learnerIn(store, "dee", null);
    if (!ana || !bo || !cy) throw new Error("no learners");
    const minute = (n: number) => new Date(noon.getTime() + n * 60_000);
    await answer(store, ana, "q1", "a", minute(-1));
    await answer(store, ana, "q1", "B", minute(1));
    await answer(store, bo, "q1", "B", minute(2));
    await answer(store, cy, "q1", "a", made.closesAt);
    await answer(store, cy, "q1", "c", new Date(made.closesAt.getTime() + 1));
    await answer(store, bo, "q2", "c", minute(3));
    await answer(store, outsider, "q1", "c", minute(4));

    // Upper case sorts before lower case, as bytes do: "B" before "a".
    expect(await store.deliveries.tally(made)).toEqual([
      { response: "B", correct: true, count: 2 },
      { response: "a", correct: false, count: 1 },
    ]);
  });
});
