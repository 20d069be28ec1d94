import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { Message } from "../messages.js";

const all = (message: Message | undefined) =>
  [
    message?.title,
    message?.text,
    message?.footer,
    message?.progress?.label,
    ...(message?.fields ?? []).flatMap((f) => [f.name, f.value]),
    ...(message?.sections ?? []).flatMap((s) => [s.heading, s.text]),
  ]
    .filter(Boolean)
    .join("\n");

describe("commands against a real SQLite file", () => {
  it("given a bad input of any kind, replies with what is wrong and writes nothing", async () => {
    const { core, database } = testCore();
    await handleText(core, actor("mod"), "/cohort create spring 2026-03-02");
    const before = tableCounts(database);
    const cases: [string, string, RegExp][] = [
      ["ana", "/nonsense", /Unknown command \/nonsense/],
      ["ana", "/week 0", /week must be from 1 to 20[\s\S]*Usage: \/week \[week\] \[part\]/],
      ["ana", "/week 21", /week must be from 1 to 20/],
      ["ana", "/week three", /week must be a week number/],
      ["ana", "/week 3 postgres", /Week 3 has one lane for everyone/],
      ["ana", "/track join nobody", /no track called "nobody"[\s\S]*dba/],
      ["ana", "/track join", /track is missing/],
      ["ana", "/cohort create other", /is for moderators/],
      ["mod", "/cohort create spring", /already exists/],
      ["mod", "/cohort create autumn 2026-02-30", /start must be a date like/],
      ["mod", "/cohort create autumn 2026-03-02 Europe/Berlinn", /Closest: Europe\/Berlin/],
      ["mod", "/cohort create 'two words'", /name must be 1–40 letters/],
      ["ana", "/cohort join nowhere", /no cohort called "nowhere"[\s\S]*spring/],
      ["ana", "/track leave", /not on a track/],
      ["ana", "/track", /\/track needs one of: list, join, leave, show/],
      ["ana", "/help nothing", /There is no command \/nothing/],
    ];
    for (const [user, line, expected] of cases) {
      const reply = await handleText(core, actor(user), line);
      expect(all(reply), line).toMatch(expected);
    }
    expect(tableCounts(database)).toEqual(before);
  });

  it("given a moderator creating a cohort and a learner joining, both see it on the roadmap", async () => {
    const { core } = testCore("2026-03-18T09:00:00Z");
    expect(
      all(await handleText(core, actor("mod"), "/cohort create spring 2026-03-02 Europe/Berlin")),
    ).toMatch(/Cohort \*\*spring\*\* created: week 1 starts Mon 2026-03-02 09:00 CET \(Europe\/Berlin\)/);
    expect(all(await handleText(core, actor("ana"), "/cohort join SPRING"))).toMatch(
      /The cohort is in week 3 of 20\./,
    );
    const roadmap = await handleText(core, actor("ana"), "/roadmap");
    expect(roadmap?.progress).toEqual({ current: 3, total: 20, label: "Cohort spring is in week 3 of 20" });
    expect(all(roadmap)).toMatch(/▶ {2}3 {2}\*\*.+\*\* \*\*← this week\*\*/);
    expect(all(await handleText(core, actor("ana"), "/week"))).toMatch(/^Week 3 · /);
  });

  it("given a learner on a PostgreSQL track, week 7 shows the PostgreSQL lane and points to the other", async () => {
    const { core } = testCore();
    await handleText(core, actor("ana"), "/track join dba");
    const reply = await handleText(core, actor("ana"), "/week 7");
    expect(reply?.sections?.some((s) => /window functions/i.test(s.heading))).toBe(true);
    expect(reply?.sections?.some((s) => /aggregation pipeline/i.test(s.heading))).toBe(false);
    expect(reply?.footer).toMatch(/\/week 7 nosql/);
    const nosql = await handleText(core, actor("ana"), "/week 7 nosql");
    expect(nosql?.sections?.some((s) => /aggregation pipeline/i.test(s.heading))).toBe(true);
  });

  it("given a topic with a deep dive, the module points to it with a button and /week <n> <topic> opens it", async () => {
    const { core } = testCore();
    const module = await handleText(core, actor("bo"), "/week 5");
    const button = module?.choices?.find(
      (c) => c.label === "Deep dive: Transactions and ACID" || c.action.args.part === "pg-transactions-acid",
    );
    expect(button?.action).toEqual({ command: "week", args: { week: "5", part: "pg-transactions-acid" } });
    expect(module?.sections?.map((s) => s.text).join("\n")).toContain(
      "Deep dive: /week 5 pg-transactions-acid",
    );
    const dive = await handleText(core, actor("bo"), "/week 5 pg-transactions-acid");
    expect(dive?.title).toMatch(/^Week 5 · .* · deep dive$/);
    expect((dive?.text ?? "").length).toBeGreaterThan(1_500);
    expect(all(await handleText(core, actor("bo"), "/week 5 pg-nothing"))).toMatch(
      /Week 5 has no lane or topic "pg-nothing"[\s\S]*pg-transactions-acid/,
    );
  });

  it("given a learner with no track, week 7 shows both lanes with their links", async () => {
    const { core } = testCore();
    const reply = await handleText(core, actor("bo"), "/week 7");
    expect(reply?.title).toMatch(/^Week 7 · /);
    expect(reply?.sections?.map((s) => s.heading).join("\n")).toMatch(/PostgreSQL lane ·[\s\S]*NoSQL lane ·/);
    expect(reply?.links?.every((l) => l.url.startsWith("https://"))).toBe(true);
  });

  it("given a learner switching tracks, the reply names the one they left", async () => {
    const { core } = testCore();
    await handleText(core, actor("ana"), "/track join sql");
    expect(
      all(
        await handleText(
          core,
          actor("ana"),
          "/track join Data Architect".replace("Data Architect", '"Data Architect"'),
        ),
      ),
    ).toMatch(/joined the \*\*Data Architect\*\* track \(and left SQL Developer\)/);
    expect(all(await handleText(core, actor("ana"), "/track join data"))).toMatch(/already on/);
    expect(all(await handleText(core, actor("ana"), "/track show"))).toMatch(
      /Data Architect · your track[\s\S]*Career ladder/,
    );
  });

  it("given the track list, shows all eight and marks the caller's", async () => {
    const { core } = testCore();
    await handleText(core, actor("ana"), "/track join perf");
    const reply = await handleText(core, actor("ana"), "/track list");
    expect(reply?.fields).toHaveLength(8);
    expect(reply?.fields?.filter((f) => f.name.includes("(your track)")).map((f) => f.name)).toEqual([
      "Performance Engineer · `performance-engineer` (your track)",
    ]);
  });

  it("given a cohort with members, cohort info counts them by track", async () => {
    const { core } = testCore("2026-03-04T10:00:00Z");
    await handleText(core, actor("mod"), "/cohort create spring 2026-03-02");
    for (const user of ["ana", "bo"]) {
      await handleText(core, actor(user), "/cohort join spring");
      await handleText(core, actor(user), "/track join dba");
    }
    const info = await handleText(core, actor("ana"), "/cohort info");
    expect(info?.fields).toEqual(
      expect.arrayContaining([
        { name: "Members", value: "3", inline: true },
        { name: "Tracks", value: "Database Administrator (DBA): 2" },
      ]),
    );
  });

  it("given a handler that fails, replies with a reference instead of throwing", async () => {
    const { core } = testCore();
    const broken = {
      ...core,
      store: {
        ...core.store,
        identities: { ...core.store.identities, find: () => Promise.reject(new Error("disk on fire")) },
      },
    };
    const reply = await handleText(broken, actor("ana"), "/roadmap");
    expect(reply?.tone).toBe("error");
    expect(reply?.text).toMatch(/Something went wrong on our side \(ref [0-9a-f]{8}\)/);
  });

  it("given /help, lists every command with its usage", async () => {
    const { core } = testCore();
    const text = all(await handleText(core, actor("ana"), "/help"));
    for (const command of core.commands) expect(text).toContain(`/${command.name}`);
    expect(all(await handleText(core, actor("ana"), "/help cohort create"))).toMatch(
      /\/cohort create <name> \[start\] \[tz\][\s\S]*moderators/,
    );
  });
});
