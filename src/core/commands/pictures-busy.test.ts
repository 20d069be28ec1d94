import { describe, expect, it } from "vitest";
import { actor, realCurriculum, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { Message } from "../messages.js";
import { PICTURE_SKIPPED } from "../services/leaderboard.js";

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
    expect(board.text).toContain(PICTURE_SKIPPED);
    expect(board.title).toBeTruthy();

    const streak = await say(t.core, "ana", "/streak");
    expect(streak.images ?? []).toEqual([]);
    expect(streak.text).toContain(PICTURE_SKIPPED);
    expect(streak.sections?.[0]?.text).toContain("Mo");
    expect(asked).toBe(2);
  });

  it("given a drawer with room, the same replies carry their picture and no such line", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await boardWithPoints(t);
    const board = await say(t.core, "ana", "/leaderboard");
    expect(board.images).toHaveLength(1);
    expect(board.text).not.toContain(PICTURE_SKIPPED);
  });
});
