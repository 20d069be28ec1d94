import { describe, expect, it } from "vitest";
import { startDiscordInProcess } from "../../../test/discord-in-process.js";
import {
  type FakeDiscord,
  fakeUser,
  memberPermissions,
  moderatorPermissions,
} from "../../../test/fakes/discord/index.js";
import { HeldPictures } from "../../../test/fakes/pictures.js";
import { realCurriculum, testCore } from "../../../test/helpers.js";
import { PICTURE_SKIPPED } from "../../core/pictures/draw.js";

/** The Discord adapter in this process, on a fake Discord, with pictures the test holds. */
async function startHeld(): Promise<{ fake: FakeDiscord; pictures: HeldPictures }> {
  const pictures = new HeldPictures();
  const t = testCore("2026-03-04T10:00:00Z");
  return { fake: await startDiscordInProcess({ ...t.core, pictures }), pictures };
}

/** A cohort on the fake's server where ana has points; returns ana. */
async function boardWithPoints(discord: FakeDiscord) {
  const moderator = fakeUser("mod");
  const ana = fakeUser("ana");
  const item = realCurriculum().bank.items.find((i) => i.kind === "single");
  if (item?.kind !== "single") throw new Error("no single-choice item");
  await discord
    .slash({
      user: moderator,
      permissions: moderatorPermissions,
      name: "cohort",
      subcommand: "create",
      options: { name: "spring", start: "2026-03-02" },
    })
    .final();
  await discord
    .slash({
      user: ana,
      permissions: memberPermissions,
      name: "cohort",
      subcommand: "join",
      options: { name: "spring" },
    })
    .final();
  const answered = await discord
    .slash({
      user: ana,
      permissions: memberPermissions,
      name: "answer",
      options: { question: item.id, choice: `key:${item.answer}` },
    })
    .final();
  expect(answered.body.embeds?.[0]?.description).toMatch(/^Right!/);
  return ana;
}

describe("Discord replies whose picture is still drawing", () => {
  it("given a busy picture pool, /leaderboard answers with its text at once and the picture is edited into the reply once drawn", async () => {
    const { fake, pictures } = await startHeld();
    const ana = await boardWithPoints(fake);

    const board = fake.slash({ user: ana, permissions: memberPermissions, name: "leaderboard" });
    const text = await board.final();
    // The reply is out while its picture is still drawing.
    expect(pictures.drawing).toBe(1);
    expect(text.body.embeds?.[0]?.title).toBe("spring · Week 1");
    expect(text.files).toEqual([]);

    pictures.drawAll();
    const complete = await board.finalWhere((reply) => reply.files.length > 0, "its picture");
    expect(complete.id).toBe(text.id);
    expect(complete.files.map((file) => file.name)).toEqual(["leaderboard-week-1.png"]);
    expect(complete.body.embeds?.at(-1)?.image?.url).toBe("attachment://leaderboard-week-1.png");
    expect(complete.body.embeds?.[0]?.description).toContain("**ana**");
    expect(await board.followUps(0)).toEqual([]);
  });

  it("given a picture that ends refused after the text went, the reply is edited to say it was left out, still privately for /streak", async () => {
    const { fake, pictures } = await startHeld();
    const ana = await boardWithPoints(fake);

    const streak = fake.slash({ user: ana, permissions: memberPermissions, name: "streak" });
    const text = await streak.final();
    expect(pictures.drawing).toBe(1);
    expect(text.ephemeral).toBe(true);

    pictures.settleAll({ ok: false, reason: "busy", detail: "queue full" });
    const explained = await streak.finalWhere(
      (reply) => (reply.body.embeds?.[0]?.description ?? "").includes("The picture is left out"),
      "the line saying the picture was left out",
    );
    expect(explained.ephemeral).toBe(true);
    expect(explained.files).toEqual([]);
    expect(explained.body.embeds?.[0]?.description).toContain(PICTURE_SKIPPED.replaceAll("*", ""));
  });
});
