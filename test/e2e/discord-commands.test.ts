/**
 * Every command of the vocabulary through the real bot on the fake Discord: slash commands, quiz
 * buttons, the challenge form and autocomplete, as a server's members would use them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, fakeUser, moderatorPermissions } from "../fakes/discord/index.js";
import { realCurriculum } from "../helpers.js";
import {
  answerButtons,
  buttonsOf,
  createCohort,
  type DiscordBot,
  startDiscordBot,
  textOf,
} from "./discord-bot.js";

const EPHEMERAL = 64;
const challengeId = "store-customer-order-counts";

function solutionOf(id: string): string {
  const challenge = realCurriculum().bank.challenges.find((candidate) => candidate.id === id);
  if (!challenge) throw new Error(`The curriculum has no challenge ${id}`);
  return challenge.solution;
}

describe("the command vocabulary on Discord", () => {
  let discord: DiscordBot;
  const moderator = fakeUser("morgan");
  const asModerator = { user: moderator, permissions: moderatorPermissions };

  /** A member who joined the cohort, fresh for each test so their points and answers are their own. */
  async function learner(name: string): Promise<FakeUser> {
    const user = fakeUser(name);
    const joined = await discord.fake
      .slash({ user, name: "cohort", subcommand: "join", options: { name: "spring" } })
      .final();
    expect(textOf(joined)).toContain("Welcome to **spring**");
    return user;
  }

  beforeAll(async () => {
    discord = await startDiscordBot({ env: { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z" } });
    const created = await createCohort(discord, asModerator, { name: "spring", start: "2026-03-02" });
    expect(textOf(created)).toContain("Cohort **spring** created");
  });

  afterAll(async () => {
    await discord?.stop();
  });

  it("given anyone, /help answers privately with the commands", async () => {
    const reply = await discord.fake.slash({ user: fakeUser("hana"), name: "help" }).final();
    expect(reply.ephemeral).toBe(true);
    expect(reply.body.flags ?? 0).toBe(EPHEMERAL);
    for (const command of ["/roadmap", "/week", "/quiz", "/submit", "/leaderboard", "/stats"]) {
      expect(textOf(reply)).toContain(command);
    }
  });

  it("given a learner, /roadmap and /week 2 answer in the channel with the module", async () => {
    const user = fakeUser("rosa");
    const roadmap = await discord.fake.slash({ user, name: "roadmap" }).final();
    expect(roadmap.ephemeral).toBe(false);
    expect(textOf(roadmap)).toContain("Roadmap");
    expect(textOf(roadmap)).toContain("SQL Fundamentals");

    const week = await discord.fake.slash({ user, name: "week", options: { week: 2 } }).final();
    expect(week.ephemeral).toBe(false);
    expect(week.body.embeds?.[0]?.title).toMatch(/^Week 2 · /);
  });

  it("given a cohort, /cohort join welcomes the member and /cohort info counts them", async () => {
    const user = await learner("carla");
    const info = await discord.fake.slash({ user, name: "cohort", subcommand: "info" }).final();
    expect(info.ephemeral).toBe(false);
    expect(info.body.embeds?.[0]?.title).toBe("Cohort spring");
    const members = info.body.embeds
      ?.flatMap((embed) => embed.fields ?? [])
      .find((f) => f.name === "Members");
    expect(Number(members?.value)).toBeGreaterThanOrEqual(2);
  });

  it("given a learner, /track list, join, show and leave answer with the track", async () => {
    const user = fakeUser("tomas");
    const list = await discord.fake.slash({ user, name: "track", subcommand: "list" }).final();
    expect(textOf(list)).toContain("Role tracks (8)");

    const joined = await discord.fake
      .slash({ user, name: "track", subcommand: "join", options: { track: "sql-developer" } })
      .final();
    expect(joined.ephemeral).toBe(false);
    expect(textOf(joined)).toContain("You joined the **SQL Developer** track");

    const shown = await discord.fake.slash({ user, name: "track", subcommand: "show" }).final();
    expect(shown.ephemeral).toBe(true);
    expect(shown.body.embeds?.[0]?.title).toBe("SQL Developer · your track");

    const left = await discord.fake.slash({ user, name: "track", subcommand: "leave" }).final();
    expect(textOf(left)).toContain("You left the **SQL Developer** track");
  });

  it("given a moderator, /schedule set, show, pause, resume and post-now each answer", async () => {
    const set = await discord.fake
      .slash({ ...asModerator, name: "schedule", subcommand: "set", options: { when: "mon 09:00" } })
      .final();
    expect(textOf(set)).toContain("Module posts for **spring**: Mondays at 09:00 (UTC)");

    const member = await learner("sven");
    const shown = await discord.fake.slash({ user: member, name: "schedule", subcommand: "show" }).final();
    expect(shown.ephemeral).toBe(false);
    expect(textOf(shown)).toContain("1. Mon 2026-03-09 09:00 UTC");

    const paused = await discord.fake
      .slash({ ...asModerator, name: "schedule", subcommand: "pause" })
      .final();
    expect(textOf(paused)).toContain("Paused **spring**");
    const resumed = await discord.fake
      .slash({ ...asModerator, name: "schedule", subcommand: "resume" })
      .final();
    expect(textOf(resumed)).toContain("Resumed **spring**");

    const posting = await discord.fake
      .slash({ ...asModerator, name: "schedule", subcommand: "post-now" })
      .final();
    expect(posting.ephemeral).toBe(true);
    expect(textOf(posting)).toContain("Posting week 1's module");
  });

  it("given /quiz, its reply is private with one run:/answer button per choice", async () => {
    const user = await learner("quinn");
    const question = await discord.fake.slash({ user, name: "quiz" }).final();
    expect(question.ephemeral).toBe(true);
    const ids = buttonsOf(question).map((button) => button.custom_id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(id).toMatch(/^run:\/answer [\w-]+ (key:[a-h]|true|false)$/);
  });

  it("given a quiz question, pressing the right button scores and /leaderboard all shows the points", async () => {
    const user = await learner("rhea");
    const question = await discord.fake.slash({ user, name: "quiz" }).final();
    const { right } = answerButtons(question);

    const scored = await discord.fake.button({ user, customId: right, messageId: question.id }).final();
    expect(scored.ephemeral).toBe(true);
    const points = /^Right! \+(\d+) points/.exec(textOf(scored))?.[1];
    expect(points).toBeDefined();

    // The board's text comes at once; its picture is edited in once drawn.
    const board = await discord.fake
      .slash({ user, name: "leaderboard", options: { board: "all" } })
      .finalWhere((reply) => reply.files.length > 0, "its picture");
    expect(board.ephemeral).toBe(false);
    expect(textOf(board)).toContain(`**rhea** · ${points} pts ← you`);
    expect(board.files).toHaveLength(1);
    expect(board.files[0]?.name).toMatch(/\.png$/);
    expect(board.files[0]?.contentType).toBe("image/png");
    expect(board.body.embeds?.at(-1)?.image?.url).toBe(`attachment://${board.files[0]?.name}`);
  });

  it("given a quiz question, pressing a wrong button says it is wrong and gives the answer", async () => {
    const user = await learner("wendy");
    const question = await discord.fake.slash({ user, name: "quiz" }).final();
    const [wrong] = answerButtons(question).wrong;
    if (!wrong) throw new Error("The question has no wrong choice");

    const marked = await discord.fake.button({ user, customId: wrong, messageId: question.id }).final();
    expect(marked.ephemeral).toBe(true);
    expect(textOf(marked)).toMatch(/^Not quite: the answer is /);
  });

  it("given /answer with a wrong choice, the question comes back in /review, both privately", async () => {
    const user = await learner("avery");
    const question = await discord.fake.slash({ user, name: "quiz" }).final();
    const [wrong] = answerButtons(question).wrong;
    const [, questionId, choice] = wrong?.split(" ") ?? [];
    if (!questionId || !choice) throw new Error("The question has no wrong choice");

    const answered = await discord.fake
      .slash({ user, name: "answer", options: { question: questionId, choice } })
      .final();
    expect(answered.ephemeral).toBe(true);
    expect(textOf(answered)).toContain("It comes back tomorrow in /review");

    const review = await discord.fake.slash({ user, name: "review" }).final();
    expect(review.ephemeral).toBe(true);
    expect(textOf(review)).toContain("Your next review is due");
  });

  it("given /challenge list and /challenge open, the task carries an ask:/submit button", async () => {
    const user = fakeUser("chen");
    const list = await discord.fake.slash({ user, name: "challenge", subcommand: "list" }).final();
    expect(textOf(list)).toContain(challengeId);

    const opened = await discord.fake
      .slash({ user, name: "challenge", subcommand: "open", options: { id: challengeId } })
      .final();
    expect(opened.ephemeral).toBe(true);
    expect(opened.body.embeds?.[0]?.title).toBe(`Orders per customer, including zero · ${challengeId}`);
    expect(buttonsOf(opened).map((button) => button.custom_id)).toEqual([`ask:/submit ${challengeId}`]);
  });

  it("given the challenge's Submit button, a form opens and the query typed into it is graded", async () => {
    const user = fakeUser("maya");
    await discord.fake
      .slash({ user, name: "challenge", subcommand: "open", options: { id: challengeId } })
      .final();
    const customId = `ask:/submit ${challengeId}`;

    const form = await discord.fake.button({ user, customId }).response();
    expect(form.type).toBe(9);
    expect(form.data.custom_id).toBe(customId);
    const [label] = (form.data.components ?? []) as { component?: { type: number; style: number } }[];
    expect(label?.component).toMatchObject({ type: 4, style: 2 });

    const graded = await discord.fake
      .modalSubmit({ user, customId, fields: { text: solutionOf(challengeId) } })
      .final();
    expect(graded.ephemeral).toBe(true);
    expect(textOf(graded)).toMatch(/^Solved! \+\d+ points/);
  });

  it("given /submit with a right SQLite query, the challenge is solved with points", async () => {
    const user = fakeUser("sana");
    const query = solutionOf(challengeId).replace(/\s+/g, " ").trim();
    const graded = await discord.fake
      .slash({ user, name: "submit", options: { id: challengeId, query } })
      .final();
    expect(graded.ephemeral).toBe(true);
    expect(textOf(graded)).toMatch(/^Solved! \+\d+ points \(with the first-try bonus\)/);
  });

  it("given /submit with no query, a form asks for it and grades what is typed", async () => {
    const user = fakeUser("ines");
    const form = await discord.fake.slash({ user, name: "submit", options: { id: challengeId } }).response();
    expect(form.type).toBe(9);
    expect(form.data.custom_id).toBe(`ask:/submit ${challengeId}`);

    const graded = await discord.fake
      .modalSubmit({
        user,
        customId: `ask:/submit ${challengeId}`,
        fields: { text: "SELECT name FROM customers" },
      })
      .final();
    expect(graded.ephemeral).toBe(true);
    expect(textOf(graded)).toMatch(/^Not yet\./);
  });

  it("given /streak with a member picked in the USER option, their streak comes back privately with a heat-map", async () => {
    const ana = await learner("ana");
    const question = await discord.fake.slash({ user: ana, name: "quiz" }).final();
    await discord.fake
      .button({ user: ana, customId: answerButtons(question).right, messageId: question.id })
      .final();

    const streak = await discord.fake
      .slash({ user: moderator, name: "streak", options: { user: ana } })
      .finalWhere((reply) => reply.files.length > 0, "its heat-map");
    expect(streak.ephemeral).toBe(true);
    expect(streak.body.embeds?.[0]?.title).toBe("ana's streak · 1 day");
    expect(streak.files.map((file) => file.contentType)).toEqual(["image/png"]);
  });

  it("given /timezone Europe/Berlin, the member's days follow Berlin, said privately", async () => {
    const reply = await discord.fake
      .slash({ user: fakeUser("zeno"), name: "timezone", options: { zone: "Europe/Berlin" } })
      .final();
    expect(reply.ephemeral).toBe(true);
    expect(textOf(reply)).toContain("Your days now follow **Europe/Berlin**");
  });

  it("given a moderator, /stats answers privately and export:csv attaches the CSV", async () => {
    const stats = await discord.fake.slash({ ...asModerator, name: "stats" }).final();
    expect(stats.ephemeral).toBe(true);
    expect(stats.body.embeds?.[0]?.title).toBe("spring · cohort health");
    expect(stats.files).toEqual([]);

    const exported = await discord.fake
      .slash({ ...asModerator, name: "stats", options: { export: "csv" } })
      .final();
    expect(exported.ephemeral).toBe(true);
    expect(exported.files.map((file) => file.name)).toEqual([
      expect.stringMatching(/^spring-progress-.*\.csv$/),
    ]);
    const csv = new TextDecoder().decode(exported.files[0]?.bytes);
    expect(csv.split("\n")[0]).toContain(",");
    expect(csv).toContain("morgan");
  });

  it("given someone using the bot outside a server, a short private reply says it works inside one", async () => {
    const reply = await discord.fake.slash({ user: fakeUser("dm"), guildId: null, name: "help" }).final();
    expect(reply.ephemeral).toBe(true);
    expect(textOf(reply)).toBe("Quorum works inside a server.\nRun it in a channel of your server.");
  });

  describe("autocomplete", () => {
    const typing = fakeUser("typer");

    it("given /track join typed 'db', dba is offered", async () => {
      const offered = await discord.fake
        .autocomplete({
          user: typing,
          name: "track",
          subcommand: "join",
          focused: "track",
          options: { track: "db" },
        })
        .response();
      expect(offered.type).toBe(8);
      expect(offered.data.choices?.[0]).toEqual({ name: "Database Administrator (DBA) (dba)", value: "dba" });
    });

    it("given /week with nothing typed, weeks are offered as integers", async () => {
      const offered = await discord.fake
        .autocomplete({ user: typing, name: "week", focused: "week" })
        .response();
      const values = offered.data.choices?.map((choice) => choice.value);
      expect(values?.slice(0, 3)).toEqual([1, 2, 3]);
      expect(values?.every((value) => typeof value === "number")).toBe(true);
    });

    it("given /cohort join, the server's cohorts are offered", async () => {
      const offered = await discord.fake
        .autocomplete({ user: typing, name: "cohort", subcommand: "join", focused: "name" })
        .response();
      expect(offered.data.choices).toEqual([{ name: "spring · from 2026-03-02", value: "spring" }]);
    });

    it("given /timezone typed 'Europe/Ber', Europe/Berlin is offered", async () => {
      const offered = await discord.fake
        .autocomplete({ user: typing, name: "timezone", focused: "zone", options: { zone: "Europe/Ber" } })
        .response();
      expect(offered.data.choices?.map((choice) => choice.value)).toContain("Europe/Berlin");
    });
  });
});
