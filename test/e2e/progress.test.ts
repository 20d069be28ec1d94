import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { QuizItem } from "../../src/core/curriculum/bank.js";
import { realCurriculum, tempDir } from "../helpers.js";
import { runBot } from "./bot.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Single-choice items of weeks 1–2 of one difficulty, with a right and a wrong letter each. */
function items(difficulty: QuizItem["difficulty"], count: number) {
  const found = realCurriculum()
    .bank.items.filter((i) => i.week <= 2 && i.kind === "single" && i.difficulty === difficulty)
    .slice(0, count)
    .map((item) => {
      if (item.kind !== "single") throw new Error("not single");
      // Answered as buttons send them: by the bank's choice ids.
      const wrong = item.choices.find((choice) => choice.id !== item.answer)?.id ?? "a";
      return { id: item.id, right: `key:${item.answer}`, wrong: `key:${wrong}` };
    });
  if (found.length < count)
    throw new Error(`weeks 1–2 have fewer than ${count} ${difficulty} single-choice items`);
  return found;
}

function savedPaths(stdout: string): string[] {
  return [...stdout.matchAll(/^🖼 {2}(\S+\.png)$/gm)].map((m) => m[1] ?? "");
}

describe("progress through the terminal chat", () => {
  it("given ana, bo and cy answering over three days, the boards rank them with ties to the earlier achiever, streaks count local days, and both pictures are written", async () => {
    const [e1, e2, e3] = items("easy", 3);
    const [m1] = items("medium", 1);
    if (!e1 || !e2 || !e3 || !m1) throw new Error("not enough items");
    const dir = tempDir();
    const env = (day: string) => ({
      DATABASE_PATH: join(dir, "quorum.db"),
      FILES_DIR: join(dir, "files"),
      QUORUM_CLOCK_START: `${day}T10:00:00Z`,
    });

    // Day 1: ana 20 (medium), bo 10, cy 0 then 10 (after bo: the tie goes to bo).
    const day1 = await runBot(
      [
        "/cohort create spring 2026-03-02 UTC",
        "@ana /cohort join spring",
        "@bo /cohort join spring",
        "@cy /cohort join spring",
        "@ana /track join dba",
        `@ana /answer ${m1.id} ${m1.right}`,
        `@bo /answer ${e1.id} ${e1.right}`,
        `@cy /answer ${e2.id} ${e2.wrong}`,
        `@cy /answer ${e1.id} ${e1.right}`,
        "@cy /leaderboard all",
      ].join("\n"),
      env("2026-03-04"),
    );
    expect(day1.code, day1.stderr).toBe(0);
    expect(day1.stdout).toContain("🥇 ana · 20 pts\n🥈 bo · 10 pts\n🥉 cy · 10 pts ← you");

    // Day 2: ana and bo come back; cy doesn't.
    const day2 = await runBot(
      [`@ana /answer ${e1.id} ${e1.right}`, `@bo /answer ${e2.id} ${e2.right}`].join("\n"),
      env("2026-03-05"),
    );
    expect(day2.code, day2.stderr).toBe(0);

    // Day 3: ana a third day in a row; bo overtakes nobody; cy's one-day streak has ended.
    const day3 = await runBot(
      [
        `@ana /answer ${e3.id} ${e3.right}`,
        "@bo /leaderboard all",
        "@ana /leaderboard track",
        "@ana /streak",
        "@bo /streak @cy",
      ].join("\n"),
      env("2026-03-06"),
    );
    expect(day3.code, day3.stderr).toBe(0);
    const out = day3.stdout;
    expect(out).toContain("━━ spring · All time ━━\n\n🥇 ana · 40 pts\n🥈 bo · 20 pts ← you\n🥉 cy · 10 pts");
    expect(out).toContain("━━ spring · Database Administrator (DBA) ━━\n\n🥇 ana · 40 pts ← you");
    expect(out).toContain("━━ Your streak · 3 days ━━\n\nActive today: the streak is safe.");
    expect(out).toContain("Current: 3 days   Longest: 3 days   Freezes: 0 of 2");
    expect(out).toContain("━━ cy's streak · 0 days ━━\n\nThe streak ended on 2026-03-06.");
    expect(out).toContain("Longest: 1 day");

    // Every picture named in the replies is a real PNG on disk: two boards and two heat-maps.
    const pictures = savedPaths(out);
    expect(pictures.map((p) => p.replace(/^.*\//, ""))).toEqual([
      "leaderboard-all.png",
      "leaderboard-dba.png",
      expect.stringMatching(/^streak-\d+\.png$/),
      expect.stringMatching(/^streak-\d+\.png$/),
    ]);
    for (const path of pictures) {
      expect(path.startsWith(join(dir, "files"))).toBe(true);
      expect([...readFileSync(path).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }
  });
});
