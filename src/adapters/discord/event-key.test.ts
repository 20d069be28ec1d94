import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { answerButtons, textOf } from "../../../test/e2e/discord-bot.js";
import { type FakeDiscord, fakeUser, startFakeDiscord } from "../../../test/fakes/discord/index.js";
import { realCurriculum, testCore } from "../../../test/helpers.js";
import { commands } from "../../core/commands/registry.js";
import { silentLogger } from "../../core/ports/logger.js";
import { createDiscordAdapter, type DiscordAdapter } from "./adapter.js";
import { deployCommands } from "./commands/deploy.js";

const token = "fake-discord-token-for-tests";
let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = fake = undefined;
});

/** The Discord adapter in this process on a fake Discord; every challenge attempt is graded wrong. */
async function start(): Promise<{ fake: FakeDiscord; databasePath: string }> {
  const started = await startFakeDiscord();
  fake = started;
  for (const { id } of started.guilds) {
    await deployCommands({
      token,
      applicationId: started.applicationId,
      apiUrl: started.apiUrl,
      guildId: id,
      commands,
    });
  }
  const failing = { grade: async () => ({ verdict: "fail" as const, feedback: "Not the expected rows." }) };
  const t = testCore("2026-03-04T10:00:00Z", { grader: failing });
  adapter = createDiscordAdapter({
    token,
    apiUrl: started.apiUrl,
    moderatorRole: "Quorum Moderator",
    deferAfterMs: 1_000,
    logger: silentLogger,
  });
  await adapter.start(t.core);
  await started.ready;
  return { fake: started, databasePath: t.database.path };
}

/** The event keys of the stored answers, oldest first, read from the bot's SQLite file. */
function storedEventKeys(databasePath: string): (string | null)[] {
  const file = new Database(databasePath, { readonly: true });
  try {
    const rows = file.prepare("SELECT event_key AS key FROM answers ORDER BY id").all() as {
      key: string | null;
    }[];
    return rows.map((row) => row.key);
  } finally {
    file.close();
  }
}

describe("Discord event keys", () => {
  it("given /answer, a quiz button and a submitted form, each answer is stored under its interaction's id", async () => {
    const { fake, databasePath } = await start();
    const ana = fakeUser("ana");
    const item = realCurriculum().bank.items.find((i) => i.kind === "single");
    if (item?.kind !== "single") throw new Error("the curriculum has single-choice items");
    const challenge = realCurriculum().bank.challenges[0];
    if (!challenge) throw new Error("the curriculum has challenges");

    const slash = fake.slash({
      user: ana,
      name: "answer",
      options: { question: item.id, choice: item.answer },
    });
    expect(textOf(await slash.final())).toMatch(/^Right!/);

    const question = await fake.slash({ user: ana, name: "quiz" }).final();
    const press = fake.button({ user: ana, customId: answerButtons(question).right, messageId: question.id });
    expect(textOf(await press.final())).toMatch(/^Right!/);

    const customId = `ask:/submit ${challenge.id}`;
    expect(
      (await fake.slash({ user: ana, name: "submit", options: { id: challenge.id } }).response()).type,
    ).toBe(9);
    const form = fake.modalSubmit({ user: ana, customId, fields: { text: "SELECT 1" } });
    expect(textOf(await form.final())).toMatch(/^Not yet\./);

    expect(storedEventKeys(databasePath)).toEqual([
      `discord:${slash.id}`,
      `discord:${press.id}`,
      `discord:${form.id}`,
    ]);
  });
});
