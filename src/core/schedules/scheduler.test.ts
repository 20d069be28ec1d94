import { describe, expect, it } from "vitest";
import { actor, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { Post } from "../ports/posts.js";
import { formatInZone } from "../rules/zoned.js";
import { Scheduler } from "./scheduler.js";

/** Moves the fake clock from one wake-up to the next, ticking as the real timer would, until `until`. */
async function walk(t: TestCore, until: string | Date): Promise<void> {
  const end = new Date(until);
  for (let step = 0; step < 20_000; step++) {
    const next = await t.scheduler.nextWakeAt();
    if (!next || next > end) break;
    if (next > t.clock.now()) t.clock.set(next);
    await t.settle();
  }
  t.clock.set(end);
  await t.settle();
}

async function say(t: TestCore, user: string, line: string) {
  const reply = await handleText(t.core, actor(user), line);
  return [reply?.title, reply?.text, reply?.footer].filter(Boolean).join("\n");
}

async function cohortId(t: TestCore, name: string): Promise<number> {
  const space = await t.core.store.identities.findSpace(actor("mod"));
  const cohort = space && (await t.core.store.cohorts.findByName(space.id, name));
  if (!cohort) throw new Error(`no cohort ${name}`);
  return cohort.id;
}

async function posts(t: TestCore, name: string, kind?: Post["kind"]): Promise<Post[]> {
  const all = await t.core.store.posts.forCohort(await cohortId(t, name));
  return kind ? all.filter((p) => p.kind === kind) : all;
}

describe("weekly module posts over a year", () => {
  it.each(["Europe/Berlin", "America/New_York", "Australia/Sydney"])(
    "given cohorts in %s starting in January and in August, each week posts once at Monday 09:00 local across both DST changes, then the wrap-up",
    async (zone) => {
      const t = testCore("2025-12-20T12:00:00Z");
      for (const [name, start] of [
        ["jan", "2026-01-05"],
        ["aug", "2026-08-03"],
      ] as const) {
        expect(await say(t, "mod", `/cohort create ${name} ${start} ${zone}`)).toMatch(/created/);
        expect(await say(t, "mod", `/schedule set mon 09:00 ${zone}`)).toMatch(/Mondays at 09:00/);
      }
      await walk(t, "2027-01-10T00:00:00Z");

      for (const name of ["jan", "aug"]) {
        const modules = await posts(t, name, "module");
        expect(modules.map((p) => p.week)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        for (const post of modules) {
          expect(post.status).toBe("sent");
          expect(formatInZone(post.dueAt, zone)).toMatch(/^Mon \d{4}-\d{2}-\d{2} 09:00 /);
        }
        const wrapUp = await posts(t, name, "wrap-up");
        expect(wrapUp.map((p) => p.status)).toEqual(["sent"]);
        // Each week's board goes out as the week ends: with the next module, and week 20's with the wrap-up.
        const boards = await posts(t, name, "leaderboard");
        expect(boards.map((p) => [p.week, p.status])).toEqual(
          Array.from({ length: 20 }, (_, i) => [i + 1, "sent"]),
        );
        expect(boards.map((p) => p.dueAt.getTime())).toEqual(
          [...modules.slice(1), ...wrapUp].map((p) => p.dueAt.getTime()),
        );
        expect(await say(t, "mod", `/cohort info ${name}`)).toMatch(/finished the roadmap/);
      }
      // 2 cohorts × (20 modules + 20 boards + wrap-up), and nothing sent twice.
      expect(t.outbox.sent).toHaveLength(82);
      expect(new Set(t.outbox.sent.map((s) => s.key)).size).toBe(82);
    },
  );

  it("given a daily 02:30 reminder in Berlin, the skipped hour fires once at 03:00 and the repeated hour once", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 Europe/Berlin");
    await say(t, "mod", "/schedule remind daily 02:30");
    await walk(t, "2026-03-31T00:00:00Z");
    const springForward = (await posts(t, "spring", "reminder")).filter((p) =>
      p.dueAt.toISOString().startsWith("2026-03-29"),
    );
    expect(springForward.map((p) => p.dueAt.toISOString())).toEqual(["2026-03-29T01:00:00.000Z"]);

    const autumn = testCore("2026-10-01T12:00:00Z");
    await say(autumn, "mod", "/cohort create autumn 2026-10-05 Europe/Berlin");
    await say(autumn, "mod", "/schedule remind daily 02:30");
    await walk(autumn, "2026-10-27T00:00:00Z");
    const fallBack = (await posts(autumn, "autumn", "reminder")).filter((p) =>
      /^2026-10-2[56]/.test(p.dueAt.toISOString()),
    );
    expect(fallBack.map((p) => p.dueAt.toISOString())).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });
});

describe("pause, resume and skip", () => {
  it("given a pause of three weeks and a skipped week, the paused weeks don't count and the skip holds the week", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await walk(t, "2026-03-10T12:00:00Z");
    expect(await say(t, "mod", "/schedule pause")).toMatch(/Paused \*\*spring\*\* at week 2/);
    await walk(t, "2026-03-31T12:00:00Z");
    expect(await say(t, "mod", "/cohort info")).toMatch(/week 2 of 20 \(paused\)/);
    expect(await say(t, "mod", "/schedule resume")).toMatch(
      /Resumed \*\*spring\*\* in week 2\. Next: week 3 on Mon 2026-04-06 09:00/,
    );
    await walk(t, "2026-04-07T12:00:00Z");
    expect(await say(t, "mod", "/schedule skip")).toMatch(
      /No post on Mon 2026-04-13 09:00 UTC: spring stays in week 3 another week\. Week 4 posts Mon 2026-04-20 09:00 UTC/,
    );
    await walk(t, "2026-04-21T12:00:00Z");

    const sent = (await posts(t, "spring", "module")).map(
      (p) => `${p.week}@${p.dueAt.toISOString().slice(0, 10)}`,
    );
    expect(sent).toEqual(["1@2026-03-02", "2@2026-03-09", "3@2026-04-06", "4@2026-04-20"]);
  });

  it("given the timing changed mid-course, past weeks keep their numbers and the new day takes over", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await walk(t, "2026-03-10T12:00:00Z");
    expect(await say(t, "mod", "/schedule set thu 17:00")).toMatch(
      /Thursdays at 17:00 \(UTC\)\. Next: Thu 2026-03-12 17:00 UTC — week 3/,
    );
    await walk(t, "2026-03-20T00:00:00Z");
    const sent = (await posts(t, "spring", "module")).map(
      (p) => `${p.week}@${p.dueAt.toISOString().slice(0, 16)}`,
    );
    expect(sent).toEqual([
      "1@2026-03-02T09:00",
      "2@2026-03-09T09:00",
      "3@2026-03-12T17:00",
      "4@2026-03-19T17:00",
    ]);
  });

  it("given post-now, this week's module goes out again without moving the week", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await walk(t, "2026-03-04T12:00:00Z");
    expect(await say(t, "mod", "/schedule post-now")).toMatch(/Posting week 1's module to #general now/);
    await t.settle();
    expect(t.outbox.titles().filter((title) => title.startsWith("Week 1 of 20"))).toHaveLength(2);
    expect(await say(t, "mod", "/cohort info")).toMatch(/week 1 of 20/);
  });
});

describe("catching up after downtime", () => {
  it("given the bot down for 2 hours over a fire, the post is sent once on start", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    t.clock.set("2026-03-02T11:00:00Z");
    await t.settle();
    expect((await posts(t, "spring")).map((p) => [p.week, p.status])).toEqual([[1, "sent"]]);
    await t.settle();
    expect(t.outbox.sent).toHaveLength(1);
  });

  it("given the bot down for 3 days over a fire, the post is recorded as skipped, the week still moves, and the next one posts", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await say(t, "mod", "/schedule remind daily 18:00");
    await walk(t, "2026-03-08T12:00:00Z");
    const before = t.outbox.sent.length;
    t.clock.set("2026-03-12T12:00:00Z");
    await t.settle();
    const modules = await posts(t, "spring", "module");
    expect(modules.map((p) => [p.week, p.status])).toEqual([
      [1, "sent"],
      [2, "skipped"],
    ]);
    // Reminders on the 8th, 9th and 10th are older than a day: skipped; the 11th's is sent.
    const reminders = (await posts(t, "spring", "reminder")).filter(
      (p) => p.dueAt >= new Date("2026-03-08T12:00:00Z"),
    );
    expect(reminders.map((p) => `${p.dueAt.toISOString().slice(5, 10)} ${p.status}`)).toEqual([
      "03-08 skipped",
      "03-09 skipped",
      "03-10 skipped",
      "03-11 sent",
    ]);
    expect(t.outbox.sent.length - before).toBe(1);
    expect(await say(t, "mod", "/cohort info")).toMatch(/week 2 of 20/);
    await walk(t, "2026-03-16T12:00:00Z");
    expect((await posts(t, "spring", "module")).at(-1)).toMatchObject({ week: 3, status: "sent" });
  });
});

describe("exactly once", () => {
  it("given a crash after claiming and before sending, a restarted scheduler sends the post once", async () => {
    const first = testCore("2026-03-01T12:00:00Z");
    await say(first, "mod", "/cohort create spring 2026-03-02 UTC");
    first.clock.set("2026-03-02T09:00:30Z");
    const crashing = new Scheduler({
      ...(first.scheduler as unknown as { options: ConstructorParameters<typeof Scheduler>[0] }).options,
      afterClaim: () => {
        throw new Error("process died");
      },
    });
    await expect(crashing.tick()).rejects.toThrow("process died");
    expect((await posts(first, "spring")).map((p) => p.status)).toEqual(["claimed"]);
    expect(first.outbox.sent).toHaveLength(0);

    const restarted = testCore("2026-03-02T09:05:00Z", { database: first.database });
    await restarted.settle();
    await restarted.settle();
    expect(restarted.outbox.titles()).toEqual([expect.stringMatching(/^Week 1 of 20/)]);
    expect((await posts(restarted, "spring")).map((p) => p.status)).toEqual(["sent"]);
  });

  it("given a failing send, retries with growing backoff and sends once", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    let failures = 2;
    t.outbox.respond = () =>
      failures-- > 0
        ? { ok: false, problem: "transient", detail: "503 from the platform" }
        : { ok: true, messageId: "m1" };
    t.clock.set("2026-03-02T09:00:00Z");
    await t.settle();
    let [post] = await posts(t, "spring");
    expect(post).toMatchObject({
      status: "claimed",
      attempts: 1,
      nextAttemptAt: new Date("2026-03-02T09:00:02Z"),
    });
    t.clock.set("2026-03-02T09:00:02Z");
    await t.settle();
    [post] = await posts(t, "spring");
    expect(post).toMatchObject({
      status: "claimed",
      attempts: 2,
      nextAttemptAt: new Date("2026-03-02T09:00:06Z"),
    });
    await walk(t, "2026-03-02T09:01:00Z");
    expect((await posts(t, "spring")).map((p) => p.status)).toEqual(["sent"]);
    expect(t.outbox.sent).toHaveLength(1);
  });

  it("given a channel that was deleted, pauses that cohort, tells its moderator, and leaves other cohorts alone", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create doomed 2026-03-02 UTC");
    await say(t, "mod", "/schedule channel gone");
    await say(t, "mod", "/cohort create fine 2026-03-02 UTC");
    t.outbox.respond = (target) =>
      target.channelExternalId === "gone"
        ? { ok: false, problem: "channel-gone", detail: "Unknown Channel" }
        : { ok: true, messageId: "ok" };
    await walk(t, "2026-03-10T12:00:00Z");
    expect((await posts(t, "doomed")).map((p) => p.status)).toEqual(["failed"]);
    expect((await posts(t, "fine", "module")).map((p) => p.status)).toEqual(["sent", "sent"]);
    expect(t.outbox.notices).toHaveLength(1);
    expect(t.outbox.notices[0]?.message.text).toMatch(
      /couldn't post the weekly module for week 1 .*Unknown Channel\. I paused doomed's schedule/,
    );
    expect(t.outbox.notices[0]?.target.userExternalId).toBe("mod");

    await say(t, "mod", "/cohort join doomed");
    await say(t, "mod", "/schedule channel general");
    expect(await say(t, "mod", "/schedule resume")).toMatch(/Resumed \*\*doomed\*\* in week 1/);
  });
});

describe("schedule commands: bad input writes nothing", () => {
  it.each([
    ["/schedule set mon 25:00", /"25:00" is not a time of day/],
    ["/schedule set someday 09:00", /"someday" is not a day/],
    ["/schedule set 0 9 * *", /a cron expression has 5 fields/],
    ["/schedule set 61 9 * * 1", /is not a valid cron expression/],
    ["/schedule set 0 * * * *", /fires more than once a day/],
    ["/schedule set mon 09:00 Europe/Berlim", /Closest: Europe\/Berlin/],
    ["/schedule remind * * * * *", /more than once an hour/],
  ])("given %s, replies with the reason and an example", async (line, expected) => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    const before = await t.core.store.schedules.forCohort(await cohortId(t, "spring"));
    expect(await say(t, "mod", line)).toMatch(expected);
    expect(await t.core.store.schedules.forCohort(await cohortId(t, "spring"))).toEqual(before);
  });

  it("given a learner, schedule changes are refused but the schedule can be read", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await say(t, "ana", "/cohort join spring");
    expect(await say(t, "ana", "/schedule set mon 10:00")).toMatch(/is for moderators/);
    expect(await say(t, "ana", "/schedule show")).toMatch(/Schedule · spring/);
  });

  it("given /schedule set mon 09:00 Europe/Berlin, show lists the next five Mondays at 09:00 Berlin time and in UTC", async () => {
    const t = testCore("2026-03-20T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 Europe/Berlin");
    await say(t, "mod", "/schedule set mon 09:00 Europe/Berlin");
    const reply = await handleText(t.core, actor("mod"), "/schedule show");
    expect(reply?.sections?.[0]?.text.split("\n")).toEqual([
      "1. Mon 2026-03-23 09:00 CET · Mon 2026-03-23 08:00 UTC — week 4",
      "2. Mon 2026-03-30 09:00 CEST · Mon 2026-03-30 07:00 UTC — week 5",
      "3. Mon 2026-04-06 09:00 CEST · Mon 2026-04-06 07:00 UTC — week 6",
      "4. Mon 2026-04-13 09:00 CEST · Mon 2026-04-13 07:00 UTC — week 7",
      "5. Mon 2026-04-20 09:00 CEST · Mon 2026-04-20 07:00 UTC — week 8",
    ]);
  });
});

describe("a cohort created after its start", () => {
  it("given a start three weeks back, counts the weeks but posts only the current one if it fell in the last 12 hours", async () => {
    const t = testCore("2026-03-23T10:00:00Z");
    await say(t, "mod", "/cohort create late 2026-03-02 UTC");
    await t.settle();
    // The fire that starts week 4 also closes week 3, so week 3's board goes out with it.
    expect((await posts(t, "late")).map((p) => [p.kind, p.week, p.status])).toEqual([
      ["leaderboard", 3, "sent"],
      ["module", 4, "sent"],
    ]);
    expect(await say(t, "mod", "/cohort info")).toMatch(/week 4 of 20/);

    const later = testCore("2026-03-25T10:00:00Z");
    await say(later, "mod", "/cohort create later 2026-03-02 UTC");
    await later.settle();
    expect(await posts(later, "later")).toEqual([]);
    expect(await say(later, "mod", "/cohort info")).toMatch(/week 4 of 20/);
  });
});

describe("the question of the day", () => {
  it("given a daily time, posts a question with buttons, pays quick right answers a bonus, and posts the results when it closes", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "mod", "/cohort create spring 2026-03-02 UTC");
    await say(t, "ana", "/cohort join spring");
    await say(t, "bo", "/cohort join spring");
    expect(await say(t, "mod", "/schedule daily 08:00")).toMatch(
      /Question of the day for \*\*spring\*\*: every day at 08:00 \(UTC\).*First: Mon 2026-03-02 08:00 UTC/,
    );
    // The first day's 08:00 comes before week 1 starts at 09:00: no question yet.
    await walk(t, "2026-03-03T08:00:00Z");
    const questions = t.outbox.sent.filter((s) => s.message.title?.startsWith("Question of the day"));
    expect(questions).toHaveLength(1);
    const posted = questions[0]?.message;
    const id = posted?.title?.split(" · ").at(-1) ?? "";
    const item = t.core.curriculum.bank.items.find((i) => i.id === id);
    expect(item?.week).toBe(1);
    expect(posted?.visibility).toBe("public");
    if (item?.kind !== "single" && item?.kind !== "multiple" && item?.kind !== "true-false") {
      expect(posted?.footer).toMatch(/Answer with \/answer/);
    }

    // Letters as the channel sees them: the button that sends a key is labelled with its shown letter.
    const letterOf = (key: string) =>
      posted?.choices
        ?.find((c) => c.action.args.choice === `key:${key}`)
        ?.label.slice(0, 1)
        .toLowerCase() ?? "?";
    const right =
      item?.kind === "single"
        ? letterOf(item.answer)
        : item?.kind === "true-false"
          ? String(item.answer)
          : item?.kind === "multiple"
            ? item.answer.map(letterOf).join(",")
            : (item?.answer[0] ?? "");
    t.clock.set("2026-03-03T08:30:00Z");
    expect(await say(t, "ana", `/answer ${id} ${right}`)).toMatch(
      /Right! \+\d+ points, with a \+5 speed bonus/,
    );
    t.clock.set("2026-03-03T21:00:00Z");
    expect(await say(t, "bo", `/answer ${id} ${right}`)).toMatch(/Right! \+\d+ points \(/);

    await walk(t, "2026-03-04T08:00:30Z");
    const results = t.outbox.sent.filter((s) => s.message.title === `Results · ${id}`);
    expect(results).toHaveLength(1);
    expect(results[0]?.message.text).toMatch(/^2 answers, 2 right\./);
    // The next day brings a different question.
    const next = t.outbox.sent
      .filter((s) => s.message.title?.startsWith("Question of the day"))
      .map((s) => s.message.title);
    expect(new Set(next).size).toBe(next.length);
    expect(next).toHaveLength(2);
  });
});
