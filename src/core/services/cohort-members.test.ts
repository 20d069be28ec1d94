import { describe, expect, it } from "vitest";
import { answerSingle, cohortWith, day, say } from "../../../test/cohort-world.js";
import { actor, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import { cohortMembers, cohortProgressFile } from "./cohort-members.js";
import { recordAnswer } from "./record-answer.js";

/** A challenge submission as /submit stores it, without running the query: right or not. */
async function submit(t: TestCore, user: string, challengeId: string, correct: boolean) {
  const who = actor(user);
  const identity = await t.core.store.identities.find(who);
  if (!identity) throw new Error(`${user} unknown`);
  const ctx = { ...t.core, actor: who, eventKey: null };
  const attempt = {
    questionId: challengeId,
    response: "SELECT 1",
    correct,
    eventKey: null,
    at: t.clock.now(),
  };
  return recordAnswer(ctx, identity, attempt, {
    points: correct ? 20 : 0,
    reason: `challenge ${challengeId}`,
  });
}

describe("cohortMembers", () => {
  it("given learners with tracks, points, streaks and challenges, one row each with rank, streak, last active and challenges solved", async () => {
    const t = testCore(day(0).toISOString());
    const cohort = await cohortWith(t, "spring", ["ana", "bo"]);
    await say(t, "ana", "/track join dba");
    const [first, second] = t.core.curriculum.bank.challenges;
    if (!first || !second) throw new Error("the bank has challenges");
    await answerSingle(t, "ana", 0);
    await submit(t, "ana", first.id, false);
    await submit(t, "ana", first.id, true);
    t.clock.set(day(1));
    await submit(t, "ana", first.id, true);
    await submit(t, "ana", second.id, false);
    await answerSingle(t, "bo", 1, false);
    t.clock.set(day(4));

    const view = await cohortMembers(t.core, cohort);
    expect(view.today).toBe("2026-03-06");
    expect(view.unit).toBe("day");
    expect(view.challengeCount).toBe(t.core.curriculum.bank.challenges.length);
    expect(
      view.rows.map((r) => [
        r.member.displayName,
        r.trackName,
        r.rank,
        r.streak.current,
        r.streak.longest,
        r.lastActive,
        r.challengesSolved,
      ]),
    ).toEqual([
      ["ana", t.core.curriculum.tracks.find((x) => x.id === "dba")?.name, 1, 0, 2, "2026-03-03", 1],
      ["bo", null, 2, 0, 1, "2026-03-03", 0],
      ["mod", null, null, 0, 0, null, 0],
    ]);
    expect(view.rows[0]?.points).toBeGreaterThan(20);
    expect(view.rows[0]?.trackId).toBe("dba");
    expect(view.rows[0]?.streak.status).toBe("broken");
  });

  it("given the same cohort, the members page's CSV is the one /stats csv attaches, name and bytes", async () => {
    const t = testCore(day(0).toISOString());
    const cohort = await cohortWith(t, "Spring", ["ana", "=bo"]);
    await answerSingle(t, "ana", 0);
    await answerSingle(t, "=bo", 1);
    const reply = await handleText(t.core, actor("mod"), "/stats csv");
    const file = await cohortProgressFile(t.core, cohort);
    expect(file.name).toBe(reply?.files?.[0]?.name);
    expect(file.name).toBe("spring-progress-2026-03-02.csv");
    expect(file.csv).toBe(new TextDecoder().decode(reply?.files?.[0]?.data));
    expect(file.csv).toMatch(/^rank,member,member_id,track,points,/);
    expect(file.csv).toContain("'=bo");
  });
});
