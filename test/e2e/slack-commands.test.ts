/**
 * The learning and cohort commands through `/quorum …` on the fake Slack, as a workspace's members
 * would type them: what comes back through the response_url, and whether the channel sees it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";
import { runBot } from "./bot.js";
import { buttonsIn, type SlackBot, startSlackBot } from "./slack-bot.js";

/** A reply as a person reads it, with the Slack-only parts taken out: the tone mark, the entities, "/quorum ". */
function asPlainReply(mrkdwn: string): string {
  return mrkdwn
    .replace(/^❌ /, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replaceAll("/quorum ", "/")
    .trim();
}

describe("the command vocabulary on Slack", () => {
  let bot: SlackBot;

  beforeAll(async () => {
    bot = await startSlackBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
    const created = await bot.command(bot.fake.user("olive"), "cohort create spring 2026-03-02");
    expect(created.text).toContain("Cohort *spring* created");
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("given /quorum alone or /quorum help, the commands come back privately under /quorum", async () => {
    const ada = bot.fake.user("ada");
    for (const text of ["", "help"]) {
      const { post, text: reply } = await bot.command(ada, text);
      expect(post.body.response_type).toBe("ephemeral");
      for (const command of ["roadmap", "week", "quiz", "submit", "leaderboard", "stats", "cohort create"]) {
        expect(reply).toContain(`/quorum ${command}`);
      }
    }
  });

  it("given /quorum roadmap and /quorum week 2, the channel sees the plan and the module with its links", async () => {
    const grace = bot.fake.user("grace");
    const roadmap = await bot.command(grace, "roadmap");
    expect(roadmap.post.body.response_type).toBe("in_channel");
    expect(roadmap.text).toContain("Roadmap — Database & Systems Architect (20 weeks)");
    expect(roadmap.text).toContain("SQL Fundamentals");

    const week = await bot.command(grace, "week 2");
    expect(week.post.body.response_type).toBe("in_channel");
    expect(week.post.body.blocks?.[0]).toMatchObject({
      type: "header",
      text: { type: "plain_text", text: expect.stringMatching(/^Week 2 · /) },
    });
    const buttons = buttonsIn(week.post.body.blocks ?? []);
    const links = buttons.filter((button) => button.url !== undefined);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.action_id).toMatch(/^link:\d+$/);
      expect(link.url).toMatch(/^https:\/\//);
    }
    // The other buttons open the week's deep dives.
    const dives = buttons.filter((button) => button.url === undefined);
    expect(dives.length).toBeGreaterThan(0);
    for (const dive of dives) expect(dive.value).toMatch(/^\/week 2 [\w-]+$/);

    const current = await bot.command(grace, "week");
    expect(current.post.body.blocks?.[0]).toMatchObject({
      text: { text: expect.stringMatching(/^Week 1 · /) },
    });
  });

  it("given wrong arguments, each reply is private and says what the terminal says: what was wrong and the usage", async () => {
    const lines = ["week 99", "answer", "track join nope", "submit", "leaderboard nope"];
    const dir = tempDir();
    const terminal = await runBot(lines.map((line) => `/${line}`).join("\n"), {
      DATABASE_PATH: join(dir, "quorum.db"),
      QUORUM_CLOCK_START: "2026-03-04T10:00:00Z",
    });
    expect(terminal.code).toBe(0);
    // Piped, the terminal echoes "you › line" before each reply, and marks a problem with "✗ ".
    const terminalReplies = terminal.stdout
      .split(/^you › .*$/m)
      .slice(1)
      .map((reply) => reply.trim().replace(/^✗ /, ""));
    expect(terminalReplies).toHaveLength(lines.length);

    const ada = bot.fake.user("ada");
    for (const [index, line] of lines.entries()) {
      const { post, text } = await bot.command(ada, line);
      expect(post.body.response_type).toBe("ephemeral");
      expect(text).toMatch(/^❌ /);
      expect(asPlainReply(text)).toBe(terminalReplies[index]);
    }
    expect(terminalReplies.filter((reply) => reply.includes("Usage: /"))).toHaveLength(4);
  });

  it("given an unknown word, the reply is private and points to /quorum help", async () => {
    const { post, text } = await bot.command(bot.fake.user("ada"), "frobnicate");
    expect(post.body.response_type).toBe("ephemeral");
    expect(text).toBe("❌ Unknown command /frobnicate.\nType /quorum help to see every command.");
  });

  it("given a cohort, /quorum cohort join welcomes the member in the channel and /quorum cohort info counts them", async () => {
    const ada = bot.fake.user("ada");
    const joined = await bot.command(ada, "cohort join spring");
    expect(joined.post.body.response_type).toBe("in_channel");
    expect(joined.text).toContain("Welcome to *spring*!");

    const info = await bot.command(ada, "cohort info");
    expect(info.post.body.response_type).toBe("in_channel");
    expect(info.post.body.blocks?.[0]).toMatchObject({ type: "header", text: { text: "Cohort spring" } });
    const members = /\*Members\*\n(\d+)/.exec(info.text)?.[1];
    expect(Number(members)).toBeGreaterThanOrEqual(2);
  });

  it("given a learner, /quorum track list, join, show and leave answer, show privately", async () => {
    const grace = bot.fake.user("grace");
    const list = await bot.command(grace, "track list");
    expect(list.post.body.response_type).toBe("in_channel");
    expect(list.text).toContain("Role tracks (8)");

    const joined = await bot.command(grace, "track join sql-developer");
    expect(joined.post.body.response_type).toBe("in_channel");
    expect(joined.text).toContain("You joined the *SQL Developer* track");

    const shown = await bot.command(grace, "track show");
    expect(shown.post.body.response_type).toBe("ephemeral");
    expect(shown.post.body.blocks?.[0]).toMatchObject({ text: { text: "SQL Developer · your track" } });

    const left = await bot.command(grace, "track leave");
    expect(left.text).toContain("You left the *SQL Developer* track");
  });

  it("given a moderator, /quorum schedule set, show, pause, resume and post-now each answer", async () => {
    const olive = bot.fake.user("olive");
    const set = await bot.command(olive, "schedule set mon 09:00");
    expect(set.text).toContain("Module posts for *spring*: Mondays at 09:00 (UTC)");

    const shown = await bot.command(bot.fake.user("ada"), "schedule show");
    expect(shown.post.body.response_type).toBe("in_channel");
    expect(shown.text).toContain(`Posts go to <#${bot.channelId}>`);
    expect(shown.text).toContain("1. Mon 2026-03-09 09:00 UTC");

    expect((await bot.command(olive, "schedule pause")).text).toContain("Paused *spring*");
    expect((await bot.command(olive, "schedule resume")).text).toContain("Resumed *spring*");

    const posting = await bot.command(olive, "schedule post-now");
    expect(posting.post.body.response_type).toBe("ephemeral");
    expect(posting.text).toContain(`Posting week 1's module to <#${bot.channelId}> now.`);
  });

  it("given /quorum timezone Europe/Berlin, the member's days follow Berlin, said privately", async () => {
    const { post, text } = await bot.command(bot.fake.user("grace"), "timezone Europe/Berlin");
    expect(post.body.response_type).toBe("ephemeral");
    expect(text).toContain("Your days now follow *Europe/Berlin*");
    expect(text).toContain("/quorum timezone cohort");
  });
});
