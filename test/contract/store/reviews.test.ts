import { expect, it } from "vitest";
import type { Member } from "../../../src/core/ports/identity.js";
import type { ReviewEntry } from "../../../src/core/ports/reviews.js";
import type { Store } from "../../../src/core/ports/store.js";
import { actor } from "../../helpers.js";
import { describeStores } from "./stores.js";

// Missed questions coming back by spaced repetition: one row per learner and question.

const now = new Date("2026-03-04T10:00:00.123Z");
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);

const entry = (questionId: string, dueAt: Date, changes: Partial<ReviewEntry> = {}): ReviewEntry => ({
  questionId,
  intervalDays: 1,
  ease: 2.5,
  streak: 0,
  dueAt,
  ...changes,
});

async function learner(store: Store, user: string): Promise<Member> {
  return (await store.identities.ensure(actor(user), now)).member;
}

describeStores("reviews", (open) => {
  it("given no reviews, get, nextDue and earliest find nothing", async () => {
    const { store } = await open();
    const ana = await learner(store, "ana");
    expect(await store.reviews.get(ana.id, "q1")).toBeUndefined();
    expect(await store.reviews.nextDue(ana.id, hours(1000))).toBeUndefined();
    expect(await store.reviews.earliest(ana.id)).toBeUndefined();
  });

  it("given a saved review, reads back its interval, ease, streak and due instant exactly", async () => {
    const { store } = await open();
    const ana = await learner(store, "ana");
    // An ease worked out by repeated subtraction: a double that a four-byte real would not keep.
    const saved = entry("w01-left", hours(72), { intervalDays: 3, ease: 2.5 - 0.2 - 0.2, streak: 1 });
    await store.reviews.save(ana.id, saved, now);
    expect(await store.reviews.get(ana.id, "w01-left")).toEqual(saved);
    expect(await store.reviews.earliest(ana.id)).toEqual(saved);
    expect(await store.reviews.get(ana.id, "w01-other")).toBeUndefined();
  });

  it("given a review saved again, keeps one row with the latest values", async () => {
    const { store, query } = await open();
    const ana = await learner(store, "ana");
    await store.reviews.save(ana.id, entry("q1", hours(24)), now);
    const later = entry("q1", hours(96), { intervalDays: 3, ease: 2.6, streak: 1 });
    await store.reviews.save(ana.id, later, hours(1));
    expect(await store.reviews.get(ana.id, "q1")).toEqual(later);
    expect(await query("SELECT question_id FROM reviews")).toHaveLength(1);
  });

  it("given a removed review, it is gone and the learner's others stay", async () => {
    const { store } = await open();
    const ana = await learner(store, "ana");
    await store.reviews.save(ana.id, entry("q1", hours(-2)), now);
    await store.reviews.save(ana.id, entry("q2", hours(-1)), now);
    await store.reviews.remove(ana.id, "q1");
    await store.reviews.remove(ana.id, "never-saved");
    expect(await store.reviews.get(ana.id, "q1")).toBeUndefined();
    expect(await store.reviews.nextDue(ana.id, now)).toMatchObject({ questionId: "q2" });
    expect(await store.reviews.earliest(ana.id)).toMatchObject({ questionId: "q2" });
  });

  it("given several reviews, nextDue gives the one due longest ago, ties in byte order of the id, and nothing not yet due", async () => {
    const { store } = await open();
    const ana = await learner(store, "ana");
    const tomorrow = entry("q-tomorrow", hours(24));
    const dueNow = entry("q-now", now);
    const lowerCase = entry("a-earlier", hours(-5));
    const upperCase = entry("B-earlier", hours(-5));
    for (const saved of [tomorrow, dueNow, lowerCase, upperCase])
      await store.reviews.save(ana.id, saved, now);
    // Byte order puts "B…" before "a…", whatever the database's locale says.
    expect(await store.reviews.nextDue(ana.id, now)).toEqual(upperCase);
    expect(await store.reviews.earliest(ana.id)).toEqual(upperCase);
    await store.reviews.remove(ana.id, upperCase.questionId);
    expect(await store.reviews.nextDue(ana.id, now)).toEqual(lowerCase);
    await store.reviews.remove(ana.id, lowerCase.questionId);
    // Due at exactly `now` counts as due.
    expect(await store.reviews.nextDue(ana.id, now)).toEqual(dueNow);
    await store.reviews.remove(ana.id, dueNow.questionId);
    expect(await store.reviews.nextDue(ana.id, now)).toBeUndefined();
    expect(await store.reviews.earliest(ana.id)).toEqual(tomorrow);
    expect(await store.reviews.nextDue(ana.id, hours(24))).toEqual(tomorrow);
  });

  it("given two learners with reviews of one question, each reads, saves and removes only their own", async () => {
    const { store } = await open();
    const ana = await learner(store, "ana");
    const bo = await learner(store, "bo");
    const anas = entry("q1", hours(-1), { ease: 2.1 });
    const bos = entry("q1", hours(-3), { ease: 2.7 });
    await store.reviews.save(ana.id, anas, now);
    await store.reviews.save(bo.id, bos, now);
    expect(await store.reviews.get(ana.id, "q1")).toEqual(anas);
    expect(await store.reviews.nextDue(ana.id, now)).toEqual(anas);
    expect(await store.reviews.earliest(ana.id)).toEqual(anas);
    await store.reviews.remove(bo.id, "q1");
    expect(await store.reviews.get(ana.id, "q1")).toEqual(anas);
    expect(await store.reviews.get(bo.id, "q1")).toBeUndefined();
  });

  it("given reviews saved through two connections at once, none fails and one whole entry remains of each", async () => {
    const opened = await open();
    const other = await opened.another();
    const ana = await learner(opened.store, "ana");
    const via = (i: number) => (i % 2 ? other : opened.store);
    // Reads first, so each side holds several open connections and the saves below really overlap.
    await Promise.all(Array.from({ length: 16 }, (_, i) => via(i).reviews.get(ana.id, "warm-up")));
    const questions = ["q1", "q2", "q3", "q4"];
    const versions = (questionId: string) =>
      Array.from({ length: 6 }, (_, i) =>
        entry(questionId, hours(i + 1), { intervalDays: i + 1, ease: 1.3 + i / 10, streak: i }),
      );
    await Promise.all(
      questions.flatMap((question) =>
        versions(question).map((version, i) => via(i).reviews.save(ana.id, version, now)),
      ),
    );
    expect(await opened.query("SELECT question_id FROM reviews")).toHaveLength(questions.length);
    for (const question of questions) {
      // Each save writes the whole row: what remains is one of them, not a mix.
      expect(versions(question)).toContainEqual(await opened.store.reviews.get(ana.id, question));
    }
  });
});
