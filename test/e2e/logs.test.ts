/**
 * The real bot's log at debug level, where Bolt and the Web API client print what they send: the bot
 * token, the signing secret and a learner's long query never appear in it, by either way of submitting.
 * On Discord, a failed interaction callback is logged without the interaction's token.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEXT_LIMIT } from "../../src/runtime/logger-text.js";
import { fakeUser } from "../fakes/discord/index.js";
import { defaultUsers, type FakeSlackUser, formValues } from "../fakes/slack/index.js";
import { startDiscordBot } from "./discord-bot.js";
import { type SlackBot, slackMember, startSlackBot, storedReply } from "./slack-bot.js";

// The credentials test/e2e/slack-bot.ts gives the bot; the first test proves these are the ones in use.
const botToken = "xoxb-fake-slack-token-for-tests";
const signingSecret = "fake-slack-signing-secret-for-tests";

const challengeId = "store-customer-order-counts";

/**
 * An unfinished string literal: SQLite's error quotes all of it back, so the learner's reply (and the
 * Web API call that carries it) holds thousands of characters of the query.
 */
function longQuery(tag: string): string {
  let query = "SELECT '";
  for (let i = 0; query.length < 5_000; i++) query += `${tag}-${i.toString(36).padStart(4, "0")} `;
  return query.slice(0, 5_000);
}

/** Whether more of `text` than a clipped log prefix may hold appears in `log` in one piece. */
function leaksStretchOf(text: string, log: string): boolean {
  const stretch = TEXT_LIMIT + 1;
  for (let start = 0; start + stretch <= text.length; start += 25) {
    if (log.includes(text.slice(start, start + stretch))) return true;
  }
  return false;
}

describe("the bot's log at debug level on Slack", () => {
  let bot: SlackBot;
  let lena: FakeSlackUser;
  let maya: FakeSlackUser;
  const typedQuery = longQuery("slash-typed");
  const formQuery = longQuery("form-typed");
  let stderr = "";

  beforeAll(async () => {
    bot = await startSlackBot({
      users: [...defaultUsers(), slackMember("lena"), slackMember("maya")],
      env: { LOG_LEVEL: "debug" },
    });
    lena = bot.fake.user("lena");
    maya = bot.fake.user("maya");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given the test's copies of the credentials, they are the ones the bot runs with", async () => {
    expect(bot.fake.callsNamed("auth.test")[0]?.token).toBe(botToken);
    const signed = await bot.slack.slashCommand(
      { user: lena, channel: bot.channelId, text: "help" },
      { secret: signingSecret },
    );
    expect(signed.status).toBe(200);
  });

  it("given /quorum submit with a 5,000-character query, the reply quotes more of it than a log may", async () => {
    const graded = await bot.command(lena, `submit ${challengeId} ${typedQuery}`);
    expect(graded.text).toContain("The database said");
    expect(leaksStretchOf(typedQuery, graded.text)).toBe(true);
  });

  it("given the same through the challenge's form, the reply goes through the Web API client, which logs it at debug", async () => {
    const opened = await bot.command(maya, `challenge ${challengeId}`);
    const pressed = await bot.slack.blockAction({
      user: maya,
      actionId: "quorum:ask:0",
      message: storedReply(bot, opened),
    });
    const form = await pressed.openedView();
    await bot.slack.viewSubmission({
      user: maya,
      view: { id: form.id, callback_id: "quorum:ask", state: formValues(form.view, { text: formQuery }) },
    });
    const graded = await bot.fake.waitFor(
      (call) => call.method === "chat.postEphemeral" && call.args.user === maya.id,
    );
    expect(leaksStretchOf(formQuery, String(graded.args.text))).toBe(true);
  });

  it("given the bot stopped, its whole log holds neither credential nor more than a clipped piece of either query", async () => {
    const run = await bot.stop();
    stderr = run?.stderr ?? "";
    // The log is a real debug log: the Web API client's request bodies were there to leak.
    expect(stderr).toContain("http request body:");
    expect(stderr).toContain("chat.postEphemeral");

    expect(stderr).not.toContain(botToken);
    expect(stderr).not.toContain(signingSecret);
    for (const query of [typedQuery, formQuery]) {
      expect(stderr).not.toContain(query);
      expect(leaksStretchOf(query, stderr)).toBe(false);
    }
  });
});

describe("the bot's log at debug level on Discord", () => {
  it("given an interaction whose callback Discord answers 404 Unknown interaction, the failure is logged without its token", async () => {
    const discord = await startDiscordBot({ env: { LOG_LEVEL: "debug" } });
    let stderr = "";
    let late: ReturnType<typeof discord.fake.slash> | undefined;
    try {
      late = discord.fake.slash({ user: fakeUser("ada"), name: "help", expired: true });
      // Both the reply and the notice about its failure are refused: two failures, as in issue 16.
      await vi.waitFor(() => expect(discord.log()).toContain('"could not tell the user about a failure"'), {
        timeout: 10_000,
      });
    } finally {
      stderr = (await discord.stop())?.stderr ?? "";
    }
    const { id, token } = late;
    const callbacks = discord.fake.requests.filter((request) =>
      request.path.startsWith(`/interactions/${id}/`),
    );
    expect(callbacks.map((request) => request.status)).toEqual([404, 404]);

    const failure = stderr.split("\n").find((line) => line.includes('"discord interaction failed"')) ?? "";
    expect(JSON.parse(failure)).toMatchObject({ err: { type: "DiscordAPIError", code: 10062, status: 404 } });
    expect(failure).toContain(`/interactions/${id}/[redacted]/callback`);
    expect(token.length).toBeGreaterThan(150);
    expect(stderr).not.toContain(token);
    // A log line is clipped, so a leak may be only the token's first part.
    expect(stderr).not.toContain(token.slice(0, 24));
    expect(stderr).not.toMatch(new RegExp(`/interactions/${id}/(?!\\[redacted\\])`));
  });
});
