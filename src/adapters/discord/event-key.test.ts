import { describe, expect, it } from "vitest";
import { startDiscordInProcess } from "../../../test/discord-in-process.js";
import { answerButtons, textOf } from "../../../test/e2e/discord-bot.js";
import { type FakeDiscord, fakeUser } from "../../../test/fakes/discord/index.js";
import { realCurriculum, storedEventKeys, testCore } from "../../../test/helpers.js";

/** The Discord adapter in this process on a fake Discord; every challenge attempt is graded wrong. */
async function start(): Promise<{ fake: FakeDiscord; databasePath: string }> {
  const failing = { grade: async () => ({ verdict: "fail" as const, feedback: "Not the expected rows." }) };
  const t = testCore("2026-03-04T10:00:00Z", { grader: failing });
  return { fake: await startDiscordInProcess(t.core), databasePath: t.database.path };
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
      options: { question: item.id, choice: `key:${item.answer}` },
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
