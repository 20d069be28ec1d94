import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import { MAX_SUGGESTIONS, suggest } from "./suggest.js";

describe("suggestions while typing", () => {
  it("given nothing typed, weeks come in order with their titles, at most 25", async () => {
    const t = testCore();
    const weeks = await suggest(t.core, actor("ana"), "week", "");
    expect(weeks).toHaveLength(20);
    expect(weeks[0]).toMatchObject({ value: "1" });
    expect(weeks[0]?.label).toMatch(/^Week 1 · /);
  });

  it("given part of a track's name or alias, that track is offered by id", async () => {
    const t = testCore();
    expect((await suggest(t.core, actor("ana"), "track", "db")).map((s) => s.value)).toContain("dba");
    expect(await suggest(t.core, actor("ana"), "track", "zzz")).toEqual([]);
  });

  it("given a zone's start, matching IANA zones are offered, never more than Discord shows", async () => {
    const t = testCore();
    const zones = await suggest(t.core, actor("ana"), "timezone", "Europe/Ber");
    expect(zones.map((z) => z.value)).toContain("Europe/Berlin");
    const all = await suggest(t.core, actor("ana"), "timezone", "");
    expect(all).toHaveLength(MAX_SUGGESTIONS);
    expect(all[0]?.value).toBe("UTC");
  });

  it("given a word inside a challenge's title, that challenge is offered", async () => {
    const t = testCore();
    const found = await suggest(t.core, actor("ana"), "challenge", "average");
    expect(found.map((s) => s.value)).toContain("store-above-category-average");
    expect(found.every((s) => s.label.length <= 100)).toBe(true);
  });

  it("given two spaces, each is offered only its own cohorts, and reading writes nothing", async () => {
    const t = testCore();
    await handleText(t.core, actor("you", { isModerator: true }), "/cohort create spring");
    await handleText(
      t.core,
      actor("you", { isModerator: true, spaceExternalId: "other" }),
      "/cohort create autumn",
    );
    const before = tableCounts(t.database);
    const here = await suggest(t.core, actor("ana"), "cohort", "");
    const stranger = await suggest(t.core, actor("ana", { spaceExternalId: "nowhere" }), "cohort", "");
    expect(here.map((s) => s.value)).toEqual(["spring"]);
    expect(stranger).toEqual([]);
    expect(tableCounts(t.database)).toEqual(before);
  });
});
