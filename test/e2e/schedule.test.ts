import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";
import { runBot, startBot } from "./bot.js";

function postsIn(databasePath: string): { week: number; kind: string; status: string }[] {
  const sqlite = new Database(databasePath, { readonly: true });
  try {
    return sqlite.prepare("SELECT week, kind, status FROM posts ORDER BY id").all() as {
      week: number;
      kind: string;
      status: string;
    }[];
  } finally {
    sqlite.close();
  }
}

const weekOnePosts = (out: string) => out.match(/━━ Week 1 of 20 · /g)?.length ?? 0;

describe("scheduled posts through the real process", () => {
  it("given the process killed between claiming a post and sending it, a restart sends it once — not zero times, not twice", async () => {
    const databasePath = join(tempDir(), "quorum.db");
    // The clock starts two seconds before the cohort's first post is due, and runs at real speed.
    const doomed = startBot({
      DATABASE_PATH: databasePath,
      QUORUM_CLOCK_START: "2026-03-02T08:59:58Z",
      QUORUM_FAILPOINT: "after-claim",
    });
    doomed.child.stdin.write("/cohort create spring 2026-03-02 UTC\n");
    const killed = await doomed.exited;
    expect(killed.signal).toBe("SIGKILL");
    expect(weekOnePosts(killed.stdout)).toBe(0);
    expect(postsIn(databasePath)).toEqual([{ week: 1, kind: "module", status: "claimed" }]);

    const restarted = await runBot("/cohort info\n", {
      DATABASE_PATH: databasePath,
      QUORUM_CLOCK_START: "2026-03-02T09:03:00Z",
    });
    expect(restarted.code).toBe(0);
    expect(weekOnePosts(restarted.stdout)).toBe(1);
    expect(restarted.stdout).toContain("📣 #local");
    expect(postsIn(databasePath)).toEqual([{ week: 1, kind: "module", status: "sent" }]);

    const again = await runBot("/cohort info\n", {
      DATABASE_PATH: databasePath,
      QUORUM_CLOCK_START: "2026-03-02T09:10:00Z",
    });
    expect(weekOnePosts(again.stdout)).toBe(0);
    expect(postsIn(databasePath)).toHaveLength(1);
  });

  it("given /schedule set mon 09:00 Europe/Berlin in the terminal chat, /schedule show prints the next five Mondays at 09:00 Berlin time", async () => {
    const run = await runBot(
      ["/cohort create spring", "/schedule set mon 09:00 Europe/Berlin", "/schedule show"].join("\n"),
      { DATABASE_PATH: join(tempDir(), "quorum.db"), QUORUM_CLOCK_START: "2026-03-20T12:00:00Z" },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✓ Module posts for spring: Mondays at 09:00 (Europe/Berlin).");
    const shown = run.stdout.slice(run.stdout.indexOf("you › /schedule show"));
    expect(shown.match(/^\d\. .*$/gm)).toEqual([
      "1. Mon 2026-03-23 09:00 CET · Mon 2026-03-23 08:00 UTC — week 2",
      "2. Mon 2026-03-30 09:00 CEST · Mon 2026-03-30 07:00 UTC — week 3",
      "3. Mon 2026-04-06 09:00 CEST · Mon 2026-04-06 07:00 UTC — week 4",
      "4. Mon 2026-04-13 09:00 CEST · Mon 2026-04-13 07:00 UTC — week 5",
      "5. Mon 2026-04-20 09:00 CEST · Mon 2026-04-20 07:00 UTC — week 6",
    ]);
  });
});
