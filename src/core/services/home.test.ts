import { describe, expect, it } from "vitest";
import { actor, realCurriculum, tableCounts, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import { learnerHome } from "./home.js";

const single = realCurriculum().bank.items.find((i) => i.kind === "single" && i.week === 1);

describe("the learner's home page", () => {
  it("given someone Quorum has never seen, it shows the way in and writes nothing", async () => {
    const t = testCore();
    const before = tableCounts(t.database);
    const home = await learnerHome({ ...t.core, actor: actor("ana") });
    expect(home.fields?.map((f) => f.name)).toEqual(["Get started"]);
    expect(home.choices?.map((c) => c.action)).toContainEqual({ command: "cohort info", args: {} });
    expect(tableCounts(t.database)).toEqual(before);
  });

  it("given a learner who answered right today, it shows cohort, week, track, streak, points and rank", async () => {
    if (single?.kind !== "single") throw new Error("no single-choice item in week 1");
    const t = testCore("2026-03-04T10:00:00Z");
    await handleText(t.core, actor("you", { isModerator: true }), "/cohort create spring 2026-03-02 UTC");
    await handleText(t.core, actor("ana"), "/cohort join spring");
    await handleText(t.core, actor("ana"), "/track join dba");
    await handleText(t.core, actor("ana"), `/answer ${single.id} ${single.answer}`);

    const home = await learnerHome({ ...t.core, actor: actor("ana") });
    const field = (name: string) => home.fields?.find((f) => f.name === name)?.value;
    expect(home.title).toBe("ana · spring");
    expect(field("Cohort")).toBe("spring");
    expect(field("Week")).toMatch(/^1 of 20: /);
    expect(field("Track")).toBe("Database Administrator (DBA)");
    expect(field("Streak")).toBe("1 day, done for today");
    expect(Number(field("Points"))).toBeGreaterThan(0);
    expect(field("Rank")).toBe("1 of 1");
    expect(home.choices?.map((c) => c.action.command)).toEqual(["quiz", "week", "leaderboard", "review"]);
  });
});
