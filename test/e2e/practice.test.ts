import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LOCAL_MODERATOR } from "../../src/adapters/terminal/events/line.js";
import { basePoints } from "../../src/core/rules/scoring.js";
import { actor, realCurriculum, tempDir } from "../helpers.js";
import { shownLetter } from "../shown-letter.js";
import { runBot } from "./bot.js";

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

describe("practice through the terminal chat", () => {
  it("given a quiz answer and a wrong then right submission on each engine, shows feedback and scores each once", async () => {
    const { bank } = realCurriculum();
    const item = bank.items.find((i) => i.kind === "single");
    if (item?.kind !== "single") throw new Error("the bank has no single-choice item");
    // The letter the terminal's own user sees for the key, in the order shown to them.
    const right = shownLetter(bank, item.id, item.answer, { learner: actor(LOCAL_MODERATOR) });
    const picks = [
      "store-customers-without-orders",
      "pg-wireless-products-jsonb",
      "mongo-gift-products-in-stock",
      "redis-leaderboard-top3",
    ].map((id) => {
      const challenge = bank.challenges.find((c) => c.id === id);
      if (!challenge) throw new Error(`no challenge ${id}`);
      return challenge;
    });
    const script = [
      `/quiz ${item.week}`,
      `/answer ${item.id} ${right}`,
      `/answer ${item.id} ${right}`,
      ...picks.flatMap((c) => [
        `/submit ${c.id} ${oneLine(c.wrong[0]?.query ?? "")}`,
        `/submit ${c.id} ${oneLine(c.solution)}`,
      ]),
      `/submit ${picks[0]?.id} ${oneLine(picks[0]?.solution ?? "")}`,
      "/challenge list",
    ].join("\n");

    const databasePath = join(tempDir(), "quorum.db");
    const run = await runBot(script, {
      DATABASE_PATH: databasePath,
      QUORUM_CLOCK_START: "2026-03-04T10:00:00Z",
    });
    expect(run.code).toBe(0);
    const out = run.stdout;

    expect(out).toContain(`✓ Right! +${basePoints[item.difficulty]} points`);
    expect(out).toContain(`You already answered ${item.id} (right); quiz questions count once.`);
    expect(out.match(/^! Not yet\. /gm)).toHaveLength(4);
    let total = basePoints[item.difficulty];
    for (const challenge of picks) {
      // The second submission solves it: no first-try bonus.
      total += basePoints[challenge.difficulty];
      expect(out).toContain(`✓ Solved! +${basePoints[challenge.difficulty]} points, ${total} in all.`);
    }
    expect(out).toContain("✓ Correct again. You had already solved this one, so no new points.");
    expect(out.match(/✓ solved/g)).toHaveLength(4);

    const sqlite = new Database(databasePath, { readonly: true });
    try {
      const ledger = sqlite
        .prepare(
          "SELECT count(*) AS entries, sum(points > 0) AS scoring, sum(points) AS points FROM points_ledger",
        )
        .get();
      // 1 quiz answer (the repeat stores nothing) + 4 × (wrong, right) + 1 repeat of a solved challenge,
      // each an activity in the ledger; five of them score.
      expect(ledger).toEqual({ entries: 10, scoring: 5, points: total });
      expect(sqlite.prepare("SELECT count(*) AS n FROM answers").get()).toEqual({ n: 10 });
    } finally {
      sqlite.close();
    }
  });
});
