/**
 * How the bot takes Slack's requests: signatures and the replay window, redeliveries (which it
 * acknowledges without doing the work twice), and a handler that fails for real.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlackUser, SentInteraction } from "../fakes/slack/index.js";
import {
  answerButtons,
  homePublishes,
  logLine,
  pointsOf,
  type SlackBot,
  startSlackBot,
  storedReply,
} from "./slack-bot.js";

const MINUTE = 60;
const nowInSeconds = () => Math.floor(Date.now() / 1000);

/** Rows per table of the bot's database: equal before and after means nothing was written. */
function tableRows(databasePath: string): Record<string, number> {
  const sqlite = new Database(databasePath, { readonly: true });
  try {
    const tables = sqlite
      // Not seen_requests: every signed request a process takes is remembered there, to refuse its replays.
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seen_requests'",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [
        name,
        (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    sqlite.close();
  }
}

describe("requests the bot takes from Slack", () => {
  let bot: SlackBot;
  let ada: FakeSlackUser;

  beforeAll(async () => {
    bot = await startSlackBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
    ada = bot.fake.user("ada");
    expect((await bot.command(bot.fake.user("olive"), "cohort create spring 2026-03-02")).text).toContain(
      "created",
    );
    expect((await bot.command(ada, "cohort join spring")).text).toContain("Welcome");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given Slack checking the request URL, the bot echoes the challenge", async () => {
    const checked = await bot.slack.urlVerification();
    expect(checked.status).toBe(200);
    expect(checked.json).toEqual({ challenge: checked.challenge });
  });

  it("given a forged signature, a timestamp 6 minutes old or 6 minutes ahead, each is refused with 401 and does nothing", async () => {
    const grace = bot.fake.user("grace");
    const rowsBefore = tableRows(bot.databasePath);
    const join = { user: grace, channel: bot.channelId, text: "cohort join spring" };
    const refused: SentInteraction[] = [
      await bot.slack.slashCommand(join, { secret: "not-the-signing-secret" }),
      await bot.slack.slashCommand(join, { timestamp: nowInSeconds() - 6 * MINUTE }),
      await bot.slack.slashCommand(join, { timestamp: nowInSeconds() + 6 * MINUTE }),
    ];
    for (const sent of refused) expect(sent.status).toBe(401);

    // A command after them, answered: by then any work on the refused ones would have shown.
    await bot.command(ada, "help");
    for (const sent of refused) expect(bot.fake.responses(sent.responseUrlId ?? "")).toEqual([]);
    expect(bot.fake.callsNamed("users.info").filter((call) => call.args.user === grace.id)).toEqual([]);
    expect(tableRows(bot.databasePath)).toEqual(rowsBefore);
  });

  it("given timestamps 4 minutes old and 4 minutes ahead, both are inside the window and answered", async () => {
    for (const timestamp of [nowInSeconds() - 4 * MINUTE, nowInSeconds() + 4 * MINUTE]) {
      const sent = await bot.slack.slashCommand(
        { user: ada, channel: bot.channelId, text: "week 1" },
        { timestamp },
      );
      expect(sent.status).toBe(200);
      const [reply] = await sent.responses(1);
      expect(reply?.body.text).toMatch(/^\*Week 1 · /);
    }
  });

  it("given a right answer's button press redelivered with X-Slack-Retry-Num, it is acknowledged and neither scored nor answered again", async () => {
    const question = await bot.command(ada, "quiz");
    const { right } = answerButtons(question.post.body.blocks ?? []);
    const message = storedReply(bot, question);
    const first = await bot.slack.blockAction({ user: ada, actionId: right.action_id, message });
    expect((await first.responses(1))[0]?.body.text).toMatch(/Right! \+\d+ points/);
    const points = pointsOf(bot, "ada");
    const rows = tableRows(bot.databasePath);

    const retried = await bot.slack.blockAction(
      { user: ada, actionId: right.action_id, message },
      { retryNum: 1, retryReason: "http_timeout" },
    );
    expect(retried.status).toBe(200);
    expect(await logLine(bot, (line) => line.includes('"reason":"http_timeout"'))).toMatchObject({
      msg: "slack retry skipped",
      retry: 1,
    });

    await bot.command(ada, "help");
    expect(bot.fake.responses(retried.responseUrlId ?? "")).toEqual([]);
    expect(pointsOf(bot, "ada")).toBe(points);
    expect(tableRows(bot.databasePath)).toEqual(rows);
  });

  it("given a right answer typed as /quorum answer and redelivered, the redelivery gets no second reply", async () => {
    const grace = bot.fake.user("grace");
    await bot.command(grace, "cohort join spring");
    const question = await bot.command(grace, "quiz");
    const line = answerButtons(question.post.body.blocks ?? []).right.value?.slice(1) ?? "";
    expect((await bot.command(grace, line)).text).toMatch(/Right! \+\d+ points/);
    const points = pointsOf(bot, "Grace Hopper");

    const retried = await bot.slack.slashCommand(
      { user: grace, channel: bot.channelId, text: line },
      { retryNum: 1, retryReason: "too_many_redirects" },
    );
    expect(retried.status).toBe(200);
    await logLine(bot, (line) => line.includes('"reason":"too_many_redirects"'));
    await bot.command(grace, "help");
    expect(bot.fake.responses(retried.responseUrlId ?? "")).toEqual([]);
    expect(pointsOf(bot, "Grace Hopper")).toBe(points);
  });

  it("given an app_home_opened event redelivered, the Home tab is published once", async () => {
    const adrian = bot.fake.user("adrian");
    const olive = bot.fake.user("olive");
    const eventId = "Ev0HOMEONCE";
    expect((await bot.slack.appHomeOpened(adrian, { eventId })).status).toBe(200);
    await bot.fake.until(() => (homePublishes(bot, adrian) === 1 ? true : undefined), "adrian's Home tab");

    const again = await bot.slack.appHomeOpened(adrian, { eventId, retryNum: 1, retryReason: "http_error" });
    expect(again.status).toBe(200);
    await logLine(bot, (line) => line.includes('"reason":"http_error"'));

    // Another person's visit, published: by then a second publish for the redelivery would have shown.
    await bot.slack.appHomeOpened(olive);
    await bot.fake.until(() => (homePublishes(bot, olive) === 1 ? true : undefined), "olive's Home tab");
    expect(homePublishes(bot, adrian)).toBe(1);
  });
});

describe("a command that fails on Slack", () => {
  let bot: SlackBot;

  beforeAll(async () => {
    bot = await startSlackBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given the streaks table gone, /quorum streak answers privately with a ref that the log explains, and the bot answers on", async () => {
    const ada = bot.fake.user("ada");
    // Known to the bot first, so /streak reads the streaks table.
    await bot.command(ada, "quiz");

    const sqlite = new Database(bot.databasePath);
    try {
      sqlite.exec("DROP TABLE streaks");
    } finally {
      sqlite.close();
    }

    const failed = await bot.command(ada, "streak");
    expect(failed.post.body.response_type).toBe("ephemeral");
    expect(failed.text).toMatch(/^❌ Something went wrong on our side \(ref [0-9a-f]{8}\)\./);
    const ref = /\(ref ([0-9a-f]{8})\)/.exec(failed.text)?.[1];
    if (!ref) throw new Error(`No ref in ${failed.text}`);

    const logged = await logLine(bot, (line) => line.includes(`"ref":"${ref}"`));
    expect(logged.level).toBe(50);
    expect((logged.err as { message?: string } | undefined)?.message).toContain("no such table: streaks");

    expect((await bot.command(ada, "help")).text).toContain("/quorum roadmap");
    const week = await bot.command(ada, "week 1");
    expect(week.post.body.blocks?.[0]).toMatchObject({ text: { text: expect.stringMatching(/^Week 1 · /) } });
  });
});
