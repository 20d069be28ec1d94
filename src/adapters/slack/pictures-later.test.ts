import { describe, expect, it } from "vitest";
import { HeldPictures, TINY_PNG } from "../../../test/fakes/pictures.js";
import type { FakeSlack, SlackSender } from "../../../test/fakes/slack/index.js";
import { realCurriculum, testCore } from "../../../test/helpers.js";
import { startSlackInProcess } from "../../../test/slack-in-process.js";

/** The Slack adapter in this process (HTTP mode), on a fake workspace, with pictures the test holds. */
async function startHeld(): Promise<{ fake: FakeSlack; slack: SlackSender; pictures: HeldPictures }> {
  const pictures = new HeldPictures();
  const t = testCore("2026-03-04T10:00:00Z");
  return { ...(await startSlackInProcess({ ...t.core, pictures })), pictures };
}

/** `/quorum <text>` from someone in #general, and the text of its first reply. */
async function command(fake: FakeSlack, slack: SlackSender, user: string, text: string) {
  const sent = await slack.slashCommand({ user: fake.user(user), channel: fake.channel("general"), text });
  const [reply] = await sent.responses(1);
  if (!reply) throw new Error(`/quorum ${text} got no reply`);
  return { sent, reply, text: reply.body.text ?? "" };
}

/** A cohort where ada has points, so her board has someone to draw. */
async function boardWithPoints(fake: FakeSlack, slack: SlackSender): Promise<void> {
  const item = realCurriculum().bank.items.find((i) => i.kind === "single");
  if (item?.kind !== "single") throw new Error("no single-choice item");
  await command(fake, slack, "olive", "cohort create spring 2026-03-02 UTC");
  await command(fake, slack, "ada", "cohort join spring");
  expect((await command(fake, slack, "ada", `answer ${item.id} key:${item.answer}`)).text).toMatch(/Right!/);
}

describe("Slack replies whose picture is still drawing", () => {
  it("given a busy picture pool, /quorum leaderboard answers with its text at once and the picture is uploaded to the channel once drawn", async () => {
    const { fake, slack, pictures } = await startHeld();
    await boardWithPoints(fake, slack);

    const board = await command(fake, slack, "ada", "leaderboard");
    // The reply is out while its picture is still drawing; it says a picture follows.
    expect(pictures.drawing).toBe(1);
    expect(board.reply.body.response_type).toBe("in_channel");
    expect(board.text).toContain("ada");
    expect(JSON.stringify(board.reply.body.blocks)).toContain("A picture follows");
    expect(fake.uploads).toEqual([]);

    pictures.drawAll();
    const upload = await fake.until(
      () => fake.uploads.find((u) => u.completed && u.filename === "leaderboard-week-1.png"),
      "the board's picture, shared",
    );
    expect(upload.channelId).toBe(fake.channel("general").id);
    expect(upload.bytes).toEqual(TINY_PNG);
  });

  it("given a picture that ends refused after the text went, a short private line says it was left out", async () => {
    const { fake, slack, pictures } = await startHeld();
    await boardWithPoints(fake, slack);

    const streak = await command(fake, slack, "ada", "streak");
    expect(pictures.drawing).toBe(1);
    expect(streak.reply.body.response_type).toBe("ephemeral");

    pictures.settleAll({ ok: false, reason: "failed", detail: "worker crashed" });
    const [, note] = await streak.sent.responses(2);
    expect(note?.body.response_type).toBe("ephemeral");
    expect(note?.body.text).toContain("The picture could not be drawn this time");
    expect(fake.uploads).toEqual([]);
  });
});
