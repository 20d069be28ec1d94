import { describe, expect, it } from "vitest";
import { actor, realCurriculum, type TestCore, tableCounts, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import { withPicturesDrawn } from "../messages.js";
import { csvField, progressCsv } from "./stats.js";

/** Single-choice items with their right answer as a button sends it, enough to answer one a day for weeks. */
const singles = realCurriculum()
  .bank.items.filter((i) => i.kind === "single")
  .map((i) => ({
    id: i.id,
    right: i.kind === "single" ? `key:${i.answer}` : "a",
    difficulty: i.difficulty,
    topics: i.topics,
  }));

async function say(t: TestCore, user: string, line: string, space = "local"): Promise<string> {
  const reply = await handleText(t.core, actor(user, { spaceExternalId: space }), line);
  return [reply?.title, reply?.text, ...(reply?.fields ?? []).map((f) => `${f.name}: ${f.value}`)]
    .filter(Boolean)
    .join("\n");
}

/** `user` answers the n-th single-choice item right. */
function answer(t: TestCore, user: string, n: number, space = "local") {
  const item = singles[n];
  if (!item) throw new Error(`no item ${n}`);
  return say(t, user, `/answer ${item.id} ${item.right}`, space);
}

async function cohortWith(t: TestCore, ...learners: string[]) {
  await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
  for (const learner of learners) await say(t, learner, "/cohort join spring");
}

describe("/streak", () => {
  it("given seven days in a row, announces the milestone in the cohort channel once and earns a freeze", async () => {
    const t = testCore("2026-03-02T12:00:00Z");
    await cohortWith(t, "ana");
    for (let day = 0; day < 7; day++) {
      t.clock.set(new Date(Date.parse("2026-03-02T12:00:00Z") + day * 86_400_000));
      await answer(t, "ana", day);
    }
    await answer(t, "ana", 7);
    await t.settle();
    const announced = t.outbox.sent.filter((s) => /streak/.test(s.message.title ?? ""));
    expect(announced.map((s) => [s.target.channelExternalId, s.message.title, s.message.text])).toEqual([
      ["general", "🔥 7-day streak", "**ana** has been active 7 days in a row. Keep it going!"],
    ]);
    expect(await say(t, "ana", "/streak")).toMatch(/Your streak · 7 days[\s\S]*Freezes: 1 of 2/);
  });

  it("given a missed day with a freeze, the streak holds; a second missed day with none left breaks it", async () => {
    const t = testCore("2026-03-02T12:00:00Z");
    await cohortWith(t, "ana");
    const at = (day: number) => new Date(Date.parse("2026-03-02T12:00:00Z") + day * 86_400_000);
    for (let day = 0; day < 7; day++) {
      t.clock.set(at(day));
      await answer(t, "ana", day);
    }
    t.clock.set(at(8)); // day 7 missed
    expect(await say(t, "ana", "/streak")).toMatch(/Missed 1 day; a freeze covers it/);
    await answer(t, "ana", 8);
    expect(await say(t, "ana", "/streak")).toMatch(/8 days[\s\S]*Freezes: 0 of 2/);
    t.clock.set(at(11)); // days 9 and 10 missed, no freeze left
    expect(await say(t, "ana", "/streak")).toMatch(
      /0 days[\s\S]*The streak ended on 2026-03-12[\s\S]*Longest: 8 days/,
    );
  });

  it("given a learner in Asia/Tokyo, an answer at 23:30 UTC counts for the next local day", async () => {
    const t = testCore("2026-03-02T12:00:00Z");
    await cohortWith(t, "ana");
    await say(t, "ana", "/timezone Asia/Tokyo");
    t.clock.set("2026-03-03T23:30:00Z"); // Wed 08:30 in Tokyo
    await answer(t, "ana", 0);
    t.clock.set("2026-03-04T14:00:00Z"); // Wed 23:00 in Tokyo: the same local day
    await answer(t, "ana", 1);
    t.clock.set("2026-03-04T15:30:00Z"); // Thu 00:30 in Tokyo
    await answer(t, "ana", 2);
    expect(await say(t, "ana", "/streak")).toMatch(/Your streak · 2 days/);
    const days = t.database.sqlite.prepare("SELECT day, activities FROM activity_days ORDER BY day").all();
    expect(days).toEqual([
      { day: "2026-03-04", activities: 2 },
      { day: "2026-03-05", activities: 1 },
    ]);
  });

  it("given a cohort on weekly streaks, counts active weeks", async () => {
    const t = testCore("2026-03-02T12:00:00Z");
    await cohortWith(t, "ana");
    expect(await say(t, "mod", "/cohort streaks weekly")).toMatch(/now count active weeks/);
    for (const [n, at] of [
      "2026-03-03T10:00:00Z",
      "2026-03-12T10:00:00Z",
      "2026-03-16T10:00:00Z",
    ].entries()) {
      t.clock.set(at);
      await answer(t, "ana", n);
    }
    expect(await say(t, "ana", "/streak")).toMatch(/Your streak · 3 weeks[\s\S]*Active this week/);
    expect(await say(t, "mod", "/cohort streaks yearly")).toMatch(/unit must be one of daily, weekly/);
    expect(await say(t, "ana", "/cohort streaks daily")).toMatch(/is for moderators/);
  });

  it("given another learner's name or mention, shows theirs; an unknown one gets a clear reply", async () => {
    const t = testCore("2026-03-02T12:00:00Z");
    await cohortWith(t, "ana", "bo");
    await answer(t, "ana", 0);
    expect(await say(t, "bo", "/streak ana")).toMatch(/ana's streak · 1 day/);
    expect(await say(t, "bo", "/streak <@ana>")).toMatch(/ana's streak · 1 day/);
    expect(await say(t, "bo", "/streak @nobody")).toMatch(/I don't know a learner called "nobody" here/);
  });
});

describe("/leaderboard", () => {
  it("given a learner named like a masked link, the board shows the name without making it a link", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    const phisher = actor("eve", { displayName: "[free nitro](https://evil.example)" });
    await handleText(t.core, phisher, "/cohort join spring");
    const item = singles[0];
    await handleText(t.core, phisher, `/answer ${item?.id} ${item?.right}`);
    const board = await say(t, "mod", "/leaderboard");
    expect(board).toContain("[free nitro]");
    expect(board).not.toMatch(/\]\(https?:/);
  });

  it("given equal points, the learner who got there first ranks first, on every board", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await cohortWith(t, "ana", "bo", "cy");
    for (const user of ["bo", "ana"]) await say(t, user, "/track join dba");
    const easy = singles.filter((i) => i.difficulty === "easy");
    const answerEasy = (user: string, n: number) => say(t, user, `/answer ${easy[n]?.id} ${easy[n]?.right}`);
    await answerEasy("cy", 0);
    t.clock.set("2026-03-04T10:01:00Z");
    await answerEasy("bo", 0);
    t.clock.set("2026-03-04T10:02:00Z");
    await answerEasy("ana", 0);
    for (const board of ["", " all"]) {
      expect(await say(t, "ana", `/leaderboard${board}`)).toMatch(
        /🥇 \*\*cy\*\* · 10 pts\n🥈 \*\*bo\*\* · 10 pts\n🥉 \*\*ana\*\* · 10 pts ← you/,
      );
    }
    expect(await say(t, "ana", "/leaderboard track")).toMatch(
      /🥇 \*\*bo\*\* · 10 pts\n🥈 \*\*ana\*\* · 10 pts/,
    );
    expect(await say(t, "ana", "/leaderboard week 2")).toMatch(/Week 2[\s\S]*No points yet/);
  });

  it("given a learner below the top ten, shows the ten and then their own place", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    const learners = Array.from({ length: 12 }, (_, i) => `l${String(i).padStart(2, "0")}`);
    await cohortWith(t, ...learners);
    for (const [i, user] of learners.entries()) {
      for (let n = 0; n < 12 - i; n++) await answer(t, user, n);
    }
    const answered = await handleText(t.core, actor("l11"), "/leaderboard all");
    // The chart follows the text once drawn.
    const reply = answered && (await withPicturesDrawn(answered));
    const lines = reply?.text?.split("\n") ?? [];
    expect(lines).toHaveLength(12);
    expect(lines[10]).toBe("…");
    expect(lines[11]).toMatch(/^12\. \*\*l11\*\* · \d+ pts? ← you$/);
    expect(reply?.images?.[0]?.name).toBe("leaderboard-all.png");
    expect(reply?.images?.[0]?.alt).toMatch(/^spring · All time: 1\. l00/);
  });

  it("given wrong input, says what is wrong and writes nothing", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    expect(await say(t, "ana", "/leaderboard")).toMatch(/Leaderboards belong to a cohort/);
    await cohortWith(t, "ana");
    const before = tableCounts(t.database);
    expect(await say(t, "ana", "/leaderboard week 99")).toMatch(/"99" is not a week/);
    expect(await say(t, "ana", "/leaderboard month")).toMatch(/board must be one of week, all, track/);
    expect(await say(t, "ana", "/leaderboard track")).toMatch(/You're not on a track, so name one/);
    expect(await say(t, "ana", "/leaderboard track wizard")).toMatch(/There is no track called "wizard"/);
    expect(tableCounts(t.database)).toEqual(before);
  });

  it("given two spaces, neither sees the other's learners", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await cohortWith(t, "ana");
    await answer(t, "ana", 0);
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC", "other");
    await say(t, "zed", "/cohort join spring", "other");
    await answer(t, "zed", 1, "other");
    const other = await say(t, "zed", "/leaderboard all", "other");
    expect(other).toMatch(/zed/);
    expect(other).not.toMatch(/ana/);
    expect(await say(t, "zed", "/streak ana", "other")).toMatch(/I don't know a learner called "ana" here/);
    expect(await say(t, "ana", "/leaderboard all")).not.toMatch(/zed/);
  });

  it("given a week that ends, posts that week's board to the cohort channel with its picture", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await cohortWith(t, "ana");
    await t.settle();
    t.clock.set("2026-03-02T09:30:00Z");
    await t.settle();
    await answer(t, "ana", 0);
    t.clock.set("2026-03-09T09:00:30Z");
    await t.settle();
    const board = t.outbox.sent.find((s) => s.message.title === "Week 1 is over · spring's board");
    expect(board?.message.text).toMatch(/🥇 \*\*ana\*\* · \d+ pts/);
    expect([...(board?.message.images?.[0]?.png.subarray(1, 4) ?? [])]).toEqual([0x50, 0x4e, 0x47]);
    const order = t.outbox.titles().slice(-2);
    expect(order[0]).toBe("Week 1 is over · spring's board");
    expect(order[1]).toMatch(/^Week 2 of 20/);
  });
});

describe("/timezone", () => {
  it("given a zone, a near miss and a reset, sets, suggests and follows the cohort again", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await cohortWith(t, "ana");
    expect(await say(t, "ana", "/timezone")).toMatch(/Your days follow \*\*UTC\*\* \(your cohort's zone\)/);
    const before = tableCounts(t.database);
    expect(await say(t, "ana", "/timezone Europe/Berlinn")).toMatch(
      /not a time zone I know[\s\S]*Europe\/Berlin/,
    );
    expect(tableCounts(t.database)).toEqual(before);
    expect(await say(t, "ana", "/timezone europe/berlin")).toMatch(
      /Your days now follow \*\*Europe\/Berlin\*\*/,
    );
    expect(await say(t, "ana", "/timezone")).toMatch(/Your days follow \*\*Europe\/Berlin\*\*:/);
    expect(await say(t, "ana", "/timezone cohort")).toMatch(/follow your cohort's zone again: \*\*UTC\*\*/);
  });
});

describe("/stats", () => {
  it("given answers over two weeks, shows participation, the weakest topics first, a streak that just broke, and exports CSV", async () => {
    const t = testCore("2026-03-02T12:00:00Z");
    await cohortWith(t, "ana", "bo", "cy");
    const at = (day: number) => new Date(Date.parse("2026-03-02T12:00:00Z") + day * 86_400_000);
    for (let day = 0; day < 3; day++) {
      t.clock.set(at(day));
      await answer(t, "bo", day);
    }
    // A question on a topic nobody else touched, missed by three learners: the weakest topic.
    const used = new Set([0, 1, 2, 20].flatMap((n) => singles[n]?.topics ?? []));
    const missed = singles.find((i) => i.topics.length === 1 && !i.topics.some((topic) => used.has(topic)));
    const topic = realCurriculum()
      .weeks.flatMap((w) => w.lanes.flatMap((l) => l.topics))
      .find((x) => x.id === missed?.topics[0]);
    for (const user of ["ana", "cy", "mod"]) {
      await say(t, user, `/answer ${missed?.id} ${missed?.right === "a" ? "b" : "a"}`);
    }
    t.clock.set(at(9));
    await answer(t, "ana", 20);

    expect(await say(t, "bo", "/stats")).toMatch(/\/stats is for moderators/);
    const reply = await handleText(t.core, actor("mod"), "/stats csv");
    const sections = Object.fromEntries((reply?.sections ?? []).map((s) => [s.heading, s.text]));
    expect(sections["Participation per week"]).toMatch(
      /Week 1: 4 active \(100%\)[\s\S]*Week 2: 1 active \(25%\)/,
    );
    expect(sections["Weakest topics first"]?.split("\n")[0]).toBe(
      `- ${topic?.title}: 0% right of 3 attempts`,
    );
    expect(sections["Streaks that just broke"]).toBe("- bo: 3 days, last active 2026-03-04");
    const csv = new TextDecoder().decode(reply?.files?.[0]?.data);
    const [header, ...rows] = csv.trimEnd().split("\r\n");
    expect(header).toBe(
      "rank,member,member_id,track,points,streak,longest_streak,freezes,last_active,streak_unit",
    );
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^1,bo,bo,,\d+,0,3,0,2026-03-04,day$/);
    expect(reply?.files?.[0]?.name).toBe("spring-progress-2026-03-11.csv");
  });

  it("given names that look like formulas or hold commas, the CSV keeps them as text", () => {
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField(-5)).toBe("-5");
    expect(progressCsv([], "day", "2026-03-04")).toBe(
      "rank,member,member_id,track,points,streak,longest_streak,freezes,last_active,streak_unit\r\n",
    );
  });
});
