import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aggregateSnapshot } from "../../test/aggregate-snapshot.js";
import { type Run, runProcess } from "../../test/e2e/bot.js";
import { actor, realCurriculum, tempDir, testCore } from "../../test/helpers.js";
import { handleText } from "../core/dispatch.js";
import { appRoot } from "../paths.js";
import { rebuildAggregatesAtOnce } from "./rebuild.js";

function rebuildCli(env: Record<string, string>): Promise<Run> {
  return runProcess(process.execPath, ["--import", "tsx", join(appRoot, "src", "db", "rebuild-cli.ts")], env);
}

describe("npm run db:rebuild", () => {
  it("reports each phase as it goes and how it ended, and leaves the aggregates derived from the ledger", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    await handleText(t.core, actor("mod"), "/cohort create spring 2026-03-02 UTC");
    const items = realCurriculum()
      .bank.items.filter((item) => item.kind === "single")
      .slice(0, 3);
    for (const user of ["ana", "bo", "cy"]) {
      await handleText(t.core, actor(user), "/cohort join spring");
      for (const item of items) {
        if (item.kind !== "single") continue;
        const reply = await handleText(t.core, actor(user), `/answer ${item.id} key:${item.answer}`);
        expect(reply?.text).toMatch(/^Right!/);
      }
    }
    // A count the bot would never leave behind: the rebuild puts it right.
    t.database.sqlite.exec("UPDATE board_counts SET members = members + 5");

    const run = await rebuildCli({ DATABASE_PATH: t.database.path });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    for (const phase of ["learners' boards, streaks and active days", "board counts", "question tallies"]) {
      const of = lines.filter((line) => line.startsWith(`${phase}: `));
      expect(of[0], phase).toMatch(/: 0% \(0 of [\d,]+ /);
      expect(of.at(-1), phase).toMatch(/: 100% \(([\d,]+) of \1 /);
    }
    expect(lines.at(-1)).toMatch(
      /^Rebuilt from \d+ ledger entries in [\d.]+ s: \d+ board entries, \d+ streaks, \d+ active days; \d+ write transactions, the longest \d+ ms\.$/,
    );

    const rebuilt = aggregateSnapshot(t.database.sqlite);
    rebuildAggregatesAtOnce(t.database.db);
    expect(rebuilt).toEqual(aggregateSnapshot(t.database.sqlite));
  });

  it("given no database at DATABASE_PATH, says so and exits 2", async () => {
    const run = await rebuildCli({ DATABASE_PATH: join(tempDir(), "missing.db") });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^No database at .*missing\.db: nothing to rebuild/);
  });
});
