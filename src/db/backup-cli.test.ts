import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Run, runProcess } from "../../test/e2e/bot.js";
import { tempDir } from "../../test/helpers.js";
import { appRoot } from "../paths.js";
import { checkBackup } from "./backup.js";
import { openDatabase } from "./client.js";

/** Runs a CLI as the operator would, with only the variables given (and none inherited from Quorum's). */
function cli(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return runProcess(process.execPath, ["--import", "tsx", join(appRoot, "src", "db", script), ...args], env);
}

function quorumDatabase(path: string, label: string): string {
  const database = openDatabase(path);
  database.sqlite
    .prepare("INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', ?, ?, 0)")
    .run(label, label);
  database.close();
  return path;
}

function spaceNames(path: string): string[] {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("SELECT name FROM spaces ORDER BY id").all() as { name: string }[]).map(
      (r) => r.name,
    );
  } finally {
    sqlite.close();
  }
}

const holders: ChildProcess[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) {
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("close", resolve));
  }
});

describe("npm run db:backup", () => {
  it("given a file name, writes a checked backup there; given none, writes a dated one into BACKUP_DIR", async () => {
    const dir = tempDir();
    const env = {
      DATABASE_PATH: quorumDatabase(join(dir, "quorum.db"), "live"),
      BACKUP_DIR: join(dir, "daily"),
    };

    const named = await cli("backup-cli.ts", [join(dir, "copies", "before-upgrade.db")], env);
    expect(named.stderr).toBe("");
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(
      /^Backed up .*quorum\.db to .*before-upgrade\.db: [\d.]+ KB, \d+ pages in [\d.]+ s; intact; schema current/,
    );
    expect(spaceNames(join(dir, "copies", "before-upgrade.db"))).toEqual(["live"]);

    const dated = await cli("backup-cli.ts", [], env);
    expect(dated.code).toBe(0);
    const [file, ...more] = readdirSync(join(dir, "daily"));
    expect(more).toEqual([]);
    expect(file).toMatch(/^quorum-\d{8}-\d{6}\.db$/);
    expect(checkBackup(join(dir, "daily", file ?? "")).ok).toBe(true);
  });

  it("given no database at DATABASE_PATH, exits 2 and says which file it looked for", async () => {
    const dir = tempDir();
    const run = await cli("backup-cli.ts", [], { DATABASE_PATH: join(dir, "missing.db") });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`No database at ${join(dir, "missing.db")}: nothing to back up`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("with DATABASE_URL set (PostgreSQL)", () => {
  it.each(["backup-cli.ts", "restore-cli.ts"])(
    "given %s, exits 2, points to PostgreSQL's own backups and touches no file",
    async (tool) => {
      const dir = tempDir();
      const run = await cli(tool, tool === "restore-cli.ts" ? [join(dir, "some.db")] : [], {
        DATABASE_PATH: join(dir, "quorum.db"),
        DATABASE_URL: "postgres://quorum:hunter22@db.invalid:5432/quorum",
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("pg_dump");
      expect(run.stderr).not.toContain("hunter22");
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});

describe("npm run db:restore", () => {
  it("given no file, exits 2 with the usage", async () => {
    const run = await cli("restore-cli.ts", [], { DATABASE_PATH: join(tempDir(), "quorum.db") });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: npm run db:restore <backup file>/);
  });

  it("given a file that is not a backup, exits 1 saying why, and the database stays as it was", async () => {
    const dir = tempDir();
    const live = quorumDatabase(join(dir, "quorum.db"), "live");
    const before = readFileSync(live);
    writeFileSync(join(dir, "notes.txt"), "not a backup\n".repeat(20));

    const run = await cli("restore-cli.ts", [join(dir, "notes.txt")], { DATABASE_PATH: live });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Not restored: .*notes\.txt is not a SQLite database/);
    expect(readFileSync(live).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["notes.txt", "quorum.db"]);
  });

  it("given a backup while the bot has the database open, exits 1 asking to stop the bot", async () => {
    const dir = tempDir();
    const backup = quorumDatabase(join(dir, "backup.db"), "backup");
    const live = quorumDatabase(join(dir, "quorum.db"), "live");
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(${JSON.stringify(live)}); db.prepare("SELECT 1").get(); console.log("open"); setInterval(() => {}, 1000);`,
      ],
      { cwd: appRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    holders.push(holder);
    await new Promise((resolve) => holder.stdout?.once("data", resolve));

    const run = await cli("restore-cli.ts", [backup], { DATABASE_PATH: live });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("is in use by another process, most likely the bot. Stop the bot first");
    expect(spaceNames(live)).toEqual(["live"]);
  });

  it("given a good backup, replaces the database, keeps the old one and says how to go back", async () => {
    const dir = tempDir();
    const backup = quorumDatabase(join(dir, "backup.db"), "backup");
    const live = quorumDatabase(join(dir, "data", "quorum.db"), "live");

    const run = await cli("restore-cli.ts", [backup], { DATABASE_PATH: live });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const kept = readdirSync(join(dir, "data")).find((name) => name.startsWith("quorum.db.before-restore-"));
    expect(kept).toMatch(/^quorum\.db\.before-restore-\d{8}-\d{6}$/);
    expect(run.stdout).toContain(`Restored ${backup} into ${live}: intact; schema current`);
    expect(run.stdout).toContain(`to go back, run npm run db:restore ${join(dir, "data", kept ?? "")}`);
    expect(run.stdout).toMatch(/Start the bot again\.\n$/);
    expect(spaceNames(live)).toEqual(["backup"]);
    expect(spaceNames(join(dir, "data", kept ?? ""))).toEqual(["live"]);
  });
});
