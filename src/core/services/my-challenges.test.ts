import { describe, expect, it } from "vitest";
import { actor, realCurriculum, tableCounts, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { Grade } from "../grading/grader.js";
import type { Identity } from "../ports/identity.js";
import { myChallenges } from "./my-challenges.js";

const [first, second] = realCurriculum().bank.challenges;

/** Grades by the query's text, so a test says what each submission gets back. */
const grader = {
  async grade(_challenge: unknown, query: string): Promise<Grade> {
    if (query.includes("right")) return { verdict: "pass" };
    return { verdict: "fail", feedback: `Your query returned no rows (${query.length} characters).` };
  },
};

async function identityOf(t: ReturnType<typeof testCore>, user: string): Promise<Identity> {
  const identity = await t.core.store.identities.find(actor(user));
  if (!identity) throw new Error(`${user} is unknown`);
  return identity;
}

describe("my challenges", () => {
  it("given attempts at two challenges and quiz answers, groups them per challenge, newest first, with verdicts and feedback", async () => {
    if (!first || !second) throw new Error("the bank has fewer than two challenges");
    const t = testCore("2026-03-04T10:00:00Z", { grader });
    await handleText(t.core, actor("mod"), "/cohort create spring 2026-03-02 Europe/Berlin");
    await handleText(t.core, actor("ana"), "/cohort join spring");
    await handleText(t.core, actor("ana"), `/submit ${first.id} SELECT wrong`);
    t.clock.set("2026-03-04T10:05:00Z");
    await handleText(t.core, actor("ana"), `/submit ${second.id} SELECT also wrong`);
    t.clock.set("2026-03-04T10:10:00Z");
    await handleText(t.core, actor("ana"), `/submit ${first.id} SELECT right`);
    await handleText(t.core, actor("bo"), "/cohort join spring");
    await handleText(t.core, actor("bo"), `/submit ${first.id} SELECT bo's secret`);
    const before = tableCounts(t.database);

    const view = await myChallenges(t.core, await identityOf(t, "ana"));
    expect(tableCounts(t.database)).toEqual(before);
    expect(view).toMatchObject({ name: "ana", zone: "Europe/Berlin", solved: 1, truncated: false });
    expect(view.available).toBe(realCurriculum().bank.challenges.length);
    expect(view.challenges.map((c) => [c.id, c.solved, c.attemptCount])).toEqual([
      [first.id, true, 2],
      [second.id, false, 1],
    ]);
    expect(view.challenges[0]).toMatchObject({ title: first.title, week: first.week });
    expect(view.challenges[0]?.engine).toMatch(/^(SQLite|PostgreSQL|MongoDB|Redis)$/);
    expect(view.challenges[0]?.attempts).toEqual([
      {
        iso: "2026-03-04T10:10:00.000Z",
        when: "Wed 2026-03-04 11:10 CET",
        correct: true,
        query: "SELECT right",
        feedback: { kind: "passed" },
      },
      {
        iso: "2026-03-04T10:00:00.000Z",
        when: "Wed 2026-03-04 11:00 CET",
        correct: false,
        query: "SELECT wrong",
        feedback: { kind: "grader", text: "Your query returned no rows (12 characters)." },
      },
    ]);
    expect(JSON.stringify(view)).not.toContain("bo's secret");
  });

  it("given a failed attempt stored before feedback was kept, says no feedback was kept", async () => {
    if (!first) throw new Error("the bank has no challenge");
    const t = testCore("2026-03-04T10:00:00Z", { grader });
    await handleText(t.core, actor("ana"), `/submit ${first.id} SELECT wrong`);
    t.database.sqlite.prepare("UPDATE answers SET feedback = NULL").run();
    const view = await myChallenges(t.core, await identityOf(t, "ana"));
    expect(view.zone).toBe("UTC");
    expect(view.challenges[0]?.attempts[0]?.feedback).toEqual({ kind: "not-kept" });
  });

  it("given a learner who never submitted, lists no challenges", async () => {
    const t = testCore("2026-03-04T10:00:00Z", { grader });
    await handleText(t.core, actor("ana"), "/timezone UTC");
    const view = await myChallenges(t.core, await identityOf(t, "ana"));
    expect(view).toMatchObject({ challenges: [], solved: 0, truncated: false });
  });
});
