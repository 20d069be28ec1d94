import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";
import { type Run, runProcess } from "./bot.js";
import { type Acknowledged, answerKey, auditStore, startTerminalBurst, storedCounts } from "./burst.js";

/** An npm script as the operator runs it, with only the Quorum variables given here. */
function npmRun(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return runProcess("npm", ["run", "--silent", script, "--", ...args], env);
}

/** The answers that were stored, one row each: a reply saying "right" or "not quite". */
const stored = (answers: Acknowledged[]) => answers.filter((a) => a.reply === "right" || a.reply === "wrong");

describe("backup and restore, end to end", () => {
  it("a backup taken under load restores to a database that passes PRAGMA integrity_check and holds every answer acknowledged before the backup began", async () => {
    const dir = tempDir();
    const livePath = join(dir, "live", "quorum.db");
    const backupPath = join(dir, "backups", "under-load.db");
    const restoredPath = join(dir, "restored", "quorum.db");
    // Far more answers than the bot gets through while the backup runs (about ten seconds' worth), so
    // it is still reading and storing answers throughout; the rest are never sent.
    const burst = startTerminalBurst({ databasePath: livePath, learners: 10, answersPerLearner: 100 });
    try {
      await burst.waitForAcknowledged(40, 40_000);
      const before = stored(burst.acknowledged());

      const backup = await npmRun("db:backup", [backupPath], { DATABASE_PATH: livePath });

      expect(backup.stderr).toBe("");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/^Backed up .* intact; schema current/);
      await burst.stop();

      const restore = await npmRun("db:restore", [backupPath], { DATABASE_PATH: restoredPath });
      expect(restore.stderr).toBe("");
      expect(restore.code).toBe(0);
      expect(restore.stdout).toMatch(/^Restored .*under-load\.db into .*: intact; schema current/);
      expect(readdirSync(join(dir, "restored"))).toEqual(["quorum.db"]);

      const audit = auditStore(restoredPath);
      expect(audit.integrity).toBe("ok");
      const counts = storedCounts(audit.answers);
      const missing = before.filter((answer) => counts.get(answerKey(answer)) !== 1).map(answerKey);
      expect(missing).toEqual([]);
      expect(before.length).toBeGreaterThanOrEqual(20);
      // One consistent moment: every answer with its ledger entry, and the aggregates kept beside them.
      expect(audit.answersWithoutOneLedgerEntry).toBe(0);
      expect(audit.ledgerWithoutAnswer).toBe(0);
      expect(audit.kept).toEqual(audit.rebuilt);
    } finally {
      await burst.stop();
    }
  }, 60_000);
});
