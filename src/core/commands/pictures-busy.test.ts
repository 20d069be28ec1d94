import { describe, expect, it } from "vitest";
import { HeldPictures } from "../../../test/fakes/pictures.js";
import { actor, realCurriculum, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import { type Message, withPicturesDrawn } from "../messages.js";
import { PICTURE_FAILED, PICTURE_SKIPPED } from "../pictures/draw.js";
import { WorkGate } from "../work-gate.js";

async function say(core: Parameters<typeof handleText>[0], user: string, line: string): Promise<Message> {
  const reply = await handleText(core, actor(user), line);
  if (!reply) throw new Error(`no reply to ${line}`);
  return reply;
}

/** A cohort with one learner who has answered a question right, so the board has someone to draw. */
async function boardWithPoints(t: TestCore): Promise<void> {
  const item = realCurriculum().bank.items.find((i) => i.kind === "single");
  if (item?.kind !== "single") throw new Error("no single-choice item");
  await say(t.core, "mod", "/cohort create spring 2026-03-02 UTC");
  await say(t.core, "ana", "/cohort join spring");
  expect((await say(t.core, "ana", `/answer ${item.id} ${item.answer}`)).text).toMatch(/Right/);
}

/** A core whose pictures stay drawing until the test says. */
function heldCore(): { t: TestCore; pictures: HeldPictures } {
  const t = testCore("2026-03-04T10:00:00Z");
  const pictures = new HeldPictures();
  t.core = { ...t.core, pictures };
  return { t, pictures };
}

describe("a reply whose picture finds every drawer busy", () => {
  it("given a full picture queue, /leaderboard and /streak answer with their text at once and say the picture is left out", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    let asked = 0;
    t.core = {
      ...t.core,
      pictures: {
        png: async () => {
          asked += 1;
          return { ok: false, reason: "busy", detail: "18 pictures in hand" };
        },
      },
    };
    await boardWithPoints(t);

    const board = await say(t.core, "ana", "/leaderboard");
    expect(board.images ?? []).toEqual([]);
    expect(board.picturesLater).toBeUndefined();
    expect(board.text).toContain(PICTURE_SKIPPED);
    expect(board.title).toBeTruthy();

    const streak = await say(t.core, "ana", "/streak");
    expect(streak.images ?? []).toEqual([]);
    expect(streak.picturesLater).toBeUndefined();
    expect(streak.text).toContain(PICTURE_SKIPPED);
    expect(streak.sections?.[0]?.text).toContain("Mo");
    expect(asked).toBe(2);
  });

  it("given pictures still drawing, /leaderboard and /streak answer with their text and the pictures follow once drawn", async () => {
    const { t, pictures } = heldCore();
    await boardWithPoints(t);

    const board = await say(t.core, "ana", "/leaderboard");
    const streak = await say(t.core, "ana", "/streak");
    // Both replies are here while both pictures are still drawing.
    expect(pictures.drawing).toBe(2);
    for (const reply of [board, streak]) {
      expect(reply.images ?? []).toEqual([]);
      expect(reply.text).not.toContain(PICTURE_SKIPPED);
      expect(reply.picturesLater).toBeInstanceOf(Promise);
    }
    expect(board.text).toContain("**ana**");

    pictures.drawAll();
    const [boardPicture, streakPicture] = await Promise.all([board.picturesLater, streak.picturesLater]);
    expect(boardPicture?.images.map((i) => i.name)).toEqual(["leaderboard-week-1.png"]);
    expect(boardPicture?.note).toBeUndefined();
    expect(streakPicture?.images.map((i) => i.name)).toEqual([expect.stringMatching(/^streak-\d+\.png$/)]);
  });

  it("given a picture that ends busy or failed after the reply went, what follows is the line saying it was left out", async () => {
    const { t, pictures } = heldCore();
    await boardWithPoints(t);

    const busy = await say(t.core, "ana", "/leaderboard");
    pictures.settleAll({ ok: false, reason: "busy", detail: "queue full" });
    expect(await busy.picturesLater).toEqual({ images: [], note: PICTURE_SKIPPED });

    const failed = await say(t.core, "ana", "/leaderboard all");
    pictures.settleAll({ ok: false, reason: "failed", detail: "worker crashed" });
    const whole = await withPicturesDrawn(failed);
    expect(whole.picturesLater).toBeUndefined();
    expect(whole.images ?? []).toEqual([]);
    expect(whole.text).toContain(PICTURE_FAILED);
  });

  it("given a work gate, a picture still drawing is counted until it is drawn, so a shutdown waits for it", async () => {
    const { t, pictures } = heldCore();
    const gate = new WorkGate();
    t.core = { ...t.core, gate };
    await boardWithPoints(t);

    const board = await say(t.core, "ana", "/leaderboard");
    expect(gate.inFlight).toBe(1);
    const closed = gate.close(60_000);
    pictures.drawAll();
    expect(await closed).toBe(true);
    expect((await board.picturesLater)?.images).toHaveLength(1);
  });

  it("given a drawer with room, the same replies come with their picture and no such line", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await boardWithPoints(t);
    const board = await withPicturesDrawn(await say(t.core, "ana", "/leaderboard"));
    expect(board.images).toHaveLength(1);
    expect(board.text).not.toContain(PICTURE_SKIPPED);
  });

  it("given a board drawn before and unchanged, the reply carries its picture at once", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await boardWithPoints(t);
    await withPicturesDrawn(await say(t.core, "ana", "/leaderboard"));
    const again = await say(t.core, "ana", "/leaderboard");
    expect(again.picturesLater).toBeUndefined();
    expect(again.images?.map((i) => i.name)).toEqual(["leaderboard-week-1.png"]);
  });
});
