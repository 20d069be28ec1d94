/**
 * How the bot answers when work is slow or fails: a deferred "thinking…" edited later, and a
 * handler that throws for real, which the member hears about privately with a reference id.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeUser, moderatorPermissions } from "../fakes/discord/index.js";
import { createCohort, type DiscordBot, startDiscordBot, textOf } from "./discord-bot.js";

const EPHEMERAL = 64;
const DEFERRED = 5;

describe("deferred replies on Discord", () => {
  let discord: DiscordBot;

  beforeAll(async () => {
    // 0 ms: every interaction is acknowledged with "thinking…" before its work ends.
    discord = await startDiscordBot({
      env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z", DISCORD_DEFER_AFTER_MS: "0" },
    });
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it("given a public command, the first callback is a public deferral and the answer is the edit of @original", async () => {
    const handle = discord.fake.slash({ user: fakeUser("ada"), name: "roadmap" });
    const first = await handle.response();
    expect(first.type).toBe(DEFERRED);
    expect((first.data.flags ?? 0) & EPHEMERAL).toBe(0);

    const reply = await handle.final();
    expect(reply.ephemeral).toBe(false);
    expect(textOf(reply)).toContain("Roadmap");
    const edits = handle.requests().filter((request) => request.method === "PATCH");
    expect(edits.map((request) => request.path)).toEqual([
      `/webhooks/${discord.fake.applicationId}/${handle.token}/messages/@original`,
    ]);
  });

  it("given a private command, the deferral is already private and so is the edited answer", async () => {
    const handle = discord.fake.slash({ user: fakeUser("bea"), name: "help" });
    const first = await handle.response();
    expect(first.type).toBe(DEFERRED);
    expect(first.data.flags).toBe(EPHEMERAL);

    const reply = await handle.final();
    expect(reply.ephemeral).toBe(true);
    expect(textOf(reply)).toContain("/roadmap");
  });

  it("given a public command whose answer turns out private, the public thinking is removed and the answer follows privately", async () => {
    // Not in a cohort: /leaderboard answers with a private problem.
    const handle = discord.fake.slash({ user: fakeUser("cid"), name: "leaderboard" });
    expect((await handle.response()).type).toBe(DEFERRED);

    const [followUp] = await handle.followUps(1);
    expect(followUp?.ephemeral).toBe(true);
    expect(textOf(followUp ?? { body: {} })).toContain("Leaderboards belong to a cohort");
    expect(handle.requests().some((request) => request.method === "DELETE")).toBe(true);
  });

  it("given a moderator's command that attaches a file, the deferred answer carries it", async () => {
    const moderator = { user: fakeUser("dora"), permissions: moderatorPermissions };
    await createCohort(discord, moderator, { name: "late" });

    const handle = discord.fake.slash({ ...moderator, name: "stats", options: { export: "csv" } });
    expect((await handle.response()).type).toBe(DEFERRED);
    const reply = await handle.final();
    expect(reply.ephemeral).toBe(true);
    expect(reply.files.map((file) => file.name)).toEqual([expect.stringMatching(/^late-progress-.*\.csv$/)]);
  });
});

describe("a command that fails on Discord", () => {
  let discord: DiscordBot;

  beforeAll(async () => {
    discord = await startDiscordBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it("given the streaks table gone, /streak answers privately with a ref that the log explains, and the bot answers on", async () => {
    const { fake } = discord;
    const eve = fakeUser("eve");
    // Known to the bot first, so /streak reads the streaks table.
    await fake.slash({ user: eve, name: "quiz" }).final();

    const sqlite = new Database(discord.databasePath);
    try {
      sqlite.exec("DROP TABLE streaks");
    } finally {
      sqlite.close();
    }

    const failed = await fake.slash({ user: eve, name: "streak" }).final();
    expect(failed.ephemeral).toBe(true);
    const ref = /\(ref ([0-9a-f]{8})\)/.exec(textOf(failed))?.[1];
    expect(textOf(failed)).toMatch(/^Something went wrong on our side \(ref [0-9a-f]{8}\)\./);
    if (!ref) throw new Error(`No ref in ${textOf(failed)}`);

    const logged = await vi.waitFor(() => {
      const line = discord
        .log()
        .split("\n")
        .find((entry) => entry.includes(`"ref":"${ref}"`));
      if (!line) throw new Error(`No log line with ref ${ref} yet`);
      return JSON.parse(line) as { level: number; err?: { message?: string } };
    });
    expect(logged.level).toBe(50);
    expect(logged.err?.message).toContain("no such table: streaks");

    const help = await fake.slash({ user: eve, name: "help" }).final();
    expect(textOf(help)).toContain("/roadmap");
    const week = await fake.slash({ user: eve, name: "week", options: { week: 1 } }).final();
    expect(week.body.embeds?.[0]?.title).toMatch(/^Week 1 · /);
  });
});
