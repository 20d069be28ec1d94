import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { tableCounts, tempDir } from "../../test/helpers.js";
import { appRoot } from "../paths.js";
import { backupDatabase, backupFileName, checkBackup, pruneBackups, restoreDatabase } from "./backup.js";
import { openDatabase } from "./client.js";
import { shippedMigrations } from "./schema-version.js";

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("close", resolve));
    }
  }
});

/** Another process with the database open, as the bot would be; it prints "ready" once it has written. */
function otherProcess(path: string, script: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const Database = require("better-sqlite3");
       const db = new Database(${JSON.stringify(path)});
       db.pragma("journal_mode = WAL");
       db.pragma("busy_timeout = 5000");
       ${script}`,
    ],
    { cwd: appRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the other process exited early (${code})`)));
  });
}

/** Inserts spaces in small transactions until killed, like a bot recording answers. */
const keepWriting = `
  const insert = db.prepare("INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', ?, ?, ?)");
  const batch = db.transaction((n) => { for (let i = 0; i < 20; i++) insert.run("s-" + n + "-" + i, "x".repeat(300), Date.now()); });
  let n = 0;
  batch(n++);
  console.log("ready");
  setInterval(() => batch(n++), 1);
`;

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function count(path: string, sql: string): number {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare(sql).get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/** A migrated Quorum database, closed, holding `spaces` rows named after `label`. */
function quorumDatabase(path: string, label: string, rows = 3): string {
  const database = openDatabase(path);
  const insert = database.sqlite.prepare(
    "INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', ?, ?, 0)",
  );
  for (let i = 0; i < rows; i++) insert.run(`${label}-${i}`, label);
  database.close();
  return path;
}

describe("backupDatabase", () => {
  it("given a database another process keeps writing, gives a whole file holding every row committed before the backup began", async () => {
    const dir = tempDir();
    const live = join(dir, "live.db");
    const database = openDatabase(live);
    try {
      await otherProcess(live, keepWriting);
      const rows = () =>
        (database.sqlite.prepare("SELECT count(*) AS n FROM spaces").get() as { n: number }).n;
      while (rows() < 2000) await new Promise((resolve) => setTimeout(resolve, 20));

      // Ids are 1, 2, 3…: every id up to the largest seen now was committed before the backups began.
      const committed = (database.sqlite.prepare("SELECT max(id) AS n FROM spaces").get() as { n: number }).n;
      const throughOwnConnection = await backupDatabase(live, join(dir, "backups", "by-path.db"));
      const throughBotConnection = await backupDatabase(
        database.sqlite,
        join(dir, "backups", "by-handle.db"),
      );

      for (const report of [throughOwnConnection, throughBotConnection]) {
        expect(report.bytes).toBe(statSync(report.path).size);
        expect(report.pages).toBeGreaterThan(0);
        expect(checkBackup(report.path)).toMatchObject({ ok: true, pending: [] });
        expect(count(report.path, `SELECT count(*) AS n FROM spaces WHERE id <= ${committed}`)).toBe(
          committed,
        );
        // A backup stands alone: no log beside it to lose when it is copied.
        expect(existsSync(`${report.path}-wal`)).toBe(false);
      }
      expect(readdirSync(join(dir, "backups")).sort()).toEqual(["by-handle.db", "by-path.db"]);
    } finally {
      database.close();
    }
  });

  it("given no database at the source path, throws and writes nothing", async () => {
    const dir = tempDir();
    await expect(backupDatabase(join(dir, "missing.db"), join(dir, "out", "b.db"))).rejects.toThrow(
      /no database at/,
    );
    expect(existsSync(join(dir, "out", "b.db"))).toBe(false);
    expect(existsSync(join(dir, "out", "b.db.partial"))).toBe(false);
  });

  it("given the database itself as the destination, throws and leaves it alone", async () => {
    const source = quorumDatabase(join(tempDir(), "quorum.db"), "kept");
    const before = sha256(source);
    await expect(backupDatabase(source, source)).rejects.toThrow(/is the database itself/);
    expect(sha256(source)).toBe(before);
  });

  it("given a partial file left by an earlier crash, replaces it with a whole backup", async () => {
    const dir = tempDir();
    const source = quorumDatabase(join(dir, "quorum.db"), "kept");
    const target = join(dir, "b.db");
    writeFileSync(`${target}.partial`, "half a backup");
    const report = await backupDatabase(source, target);
    expect(checkBackup(report.path).ok).toBe(true);
    expect(existsSync(`${target}.partial`)).toBe(false);
  });
});

describe("checkBackup", () => {
  it("given a good backup, accepts it as current", async () => {
    const dir = tempDir();
    const backup = await backupDatabase(quorumDatabase(join(dir, "q.db"), "a"), join(dir, "b.db"));
    const result = checkBackup(backup.path);
    expect(result).toMatchObject({ ok: true, applied: shippedMigrations().length, pending: [] });
    expect(result.ok && result.summary).toMatch(/^intact; schema current/);
  });

  it("given a backup from before the newest migration, accepts it and says the migration applies at start", async () => {
    const dir = tempDir();
    const path = quorumDatabase(join(dir, "q.db"), "a");
    const newest = shippedMigrations().at(-1);
    const sqlite = new Database(path);
    sqlite.prepare("DELETE FROM __drizzle_migrations WHERE created_at = ?").run(newest?.when);
    sqlite.close();
    const result = checkBackup(path);
    expect(result).toMatchObject({ ok: true, pending: [newest?.tag] });
    expect(result.ok && result.summary).toMatch(/1 migration\(s\) behind .* apply when the bot starts/);
  });

  it("given a backup made by a newer version (a migration this code lacks), refuses it", async () => {
    const dir = tempDir();
    const path = quorumDatabase(join(dir, "q.db"), "a");
    const sqlite = new Database(path);
    sqlite
      .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('f00d', ?)")
      .run((shippedMigrations().at(-1)?.when ?? 0) + 1000);
    sqlite.close();
    expect(checkBackup(path)).toMatchObject({ ok: false, reason: expect.stringMatching(/newer version/) });
  });

  it("given a migration whose SQL differs from this code's, refuses it", () => {
    const dir = tempDir();
    const path = quorumDatabase(join(dir, "q.db"), "a");
    const sqlite = new Database(path);
    sqlite
      .prepare("UPDATE __drizzle_migrations SET hash = 'changed' WHERE created_at = ?")
      .run(shippedMigrations()[0]?.when);
    sqlite.close();
    expect(checkBackup(path)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/different migration 0000_init/),
    });
  });

  it("given a file with damaged pages, refuses it", async () => {
    const dir = tempDir();
    const backup = await backupDatabase(quorumDatabase(join(dir, "q.db"), "a", 2000), join(dir, "b.db"));
    // Overwrite pages in the middle of the file, as a failing disk or a torn copy would.
    const fd = openSync(backup.path, "r+");
    writeSync(fd, Buffer.alloc(4 * 4096, 0x5a), 0, 4 * 4096, 8 * 4096);
    closeSync(fd);
    expect(checkBackup(backup.path)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^is damaged/),
    });
  });

  it("given a file that is not SQLite, an empty file or no file, refuses each with its reason", () => {
    const dir = tempDir();
    const text = join(dir, "notes.db");
    writeFileSync(text, "these are notes, not a database\n".repeat(20));
    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    expect(checkBackup(text)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a SQLite/) });
    expect(checkBackup(empty)).toMatchObject({ ok: false, reason: expect.stringMatching(/empty/) });
    expect(checkBackup(join(dir, "gone.db"))).toMatchObject({ ok: false, reason: "does not exist" });
  });

  it("given a SQLite file that is not a Quorum database, refuses it", () => {
    const path = join(tempDir(), "other.db");
    const sqlite = new Database(path);
    sqlite.exec("CREATE TABLE notes (body TEXT)");
    sqlite.close();
    expect(checkBackup(path)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a Quorum/) });
  });

  it("given a copied live file with its changes still in a -wal beside it, refuses the file alone", async () => {
    const dir = tempDir();
    const path = quorumDatabase(join(dir, "q.db"), "a");
    const holder = await otherProcess(
      path,
      `db.prepare("INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', 'w', 'w', 0)").run();
       console.log("ready"); setInterval(() => {}, 1000);`,
    );
    expect(checkBackup(path)).toMatchObject({ ok: false, reason: expect.stringMatching(/q\.db-wal/) });
    holder.kill("SIGKILL");
  });
});

describe("restoreDatabase", () => {
  const now = new Date("2026-03-04T10:05:09Z");

  it("given a good backup, keeps the old database aside and puts the backup in its place", async () => {
    const dir = tempDir();
    const backup = await backupDatabase(
      quorumDatabase(join(dir, "old.db"), "from-backup"),
      join(dir, "b.db"),
    );
    const live = join(dir, "data", "quorum.db");
    quorumDatabase(live, "current", 5);
    // A bot that died without closing leaves committed rows only in its -wal.
    const bot = await otherProcess(
      live,
      `db.prepare("INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', 'only-in-wal', 'w', 0)").run();
       console.log("ready"); setInterval(() => {}, 1000);`,
    );
    bot.kill("SIGKILL");
    await new Promise((resolve) => bot.once("close", resolve));
    expect(statSync(`${live}-wal`).size).toBeGreaterThan(0);

    const result = restoreDatabase(backup.path, live, now);

    const kept = `${live}.before-restore-20260304-100509`;
    expect(result).toMatchObject({ ok: true, databasePath: live, previousKeptAs: kept, notes: [] });
    expect(count(live, "SELECT count(*) AS n FROM spaces WHERE name = 'from-backup'")).toBe(3);
    expect(count(live, "SELECT count(*) AS n FROM spaces WHERE name <> 'from-backup'")).toBe(0);
    expect(existsSync(`${live}-wal`)).toBe(false);
    expect(existsSync(`${live}-shm`)).toBe(false);
    expect(count(kept, "SELECT count(*) AS n FROM spaces")).toBe(6);
    expect(checkBackup(kept).ok).toBe(true);
    // The bot starts on the restored file as on any other.
    const reopened = openDatabase(live);
    expect(reopened.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    reopened.close();
  });

  it("given a bad backup, refuses it and leaves the database byte for byte as it was", () => {
    const dir = tempDir();
    const live = quorumDatabase(join(dir, "quorum.db"), "current");
    const before = sha256(live);
    const bad = join(dir, "bad.db");
    writeFileSync(bad, "not a database at all, just text\n".repeat(10));

    const result = restoreDatabase(bad, live, now);

    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/bad\.db is not a SQLite/) });
    expect(sha256(live)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["bad.db", "quorum.db"]);
  });

  it("given the database open in a running bot, refuses and touches nothing", async () => {
    const dir = tempDir();
    const backup = await backupDatabase(
      quorumDatabase(join(dir, "old.db"), "from-backup"),
      join(dir, "b.db"),
    );
    const live = quorumDatabase(join(dir, "quorum.db"), "current");
    await otherProcess(
      live,
      `db.prepare("SELECT 1").get(); console.log("ready"); setInterval(() => {}, 1000);`,
    );
    const counts = (() => {
      const database = openDatabase(live, { migrate: false });
      try {
        return tableCounts(database);
      } finally {
        database.close();
      }
    })();

    const result = restoreDatabase(backup.path, live, now);

    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/in use .* Stop the bot first/),
    });
    expect(count(live, "SELECT count(*) AS n FROM spaces WHERE name = 'current'")).toBe(counts.spaces);
    expect(readdirSync(dir).filter((name) => name.includes("before-restore"))).toEqual([]);
  });

  it("given no database yet, puts the backup in place and keeps nothing", async () => {
    const dir = tempDir();
    const backup = await backupDatabase(
      quorumDatabase(join(dir, "old.db"), "from-backup"),
      join(dir, "b.db"),
    );
    const live = join(dir, "new", "quorum.db");
    expect(restoreDatabase(backup.path, live, now)).toMatchObject({ ok: true, previousKeptAs: undefined });
    expect(count(live, "SELECT count(*) AS n FROM spaces")).toBe(3);
  });

  it("given a database that is not SQLite at all, replaces it and keeps the old bytes", async () => {
    const dir = tempDir();
    const backup = await backupDatabase(
      quorumDatabase(join(dir, "old.db"), "from-backup"),
      join(dir, "b.db"),
    );
    const live = join(dir, "quorum.db");
    writeFileSync(live, "garbage ".repeat(600));
    const result = restoreDatabase(backup.path, live, now);
    expect(result).toMatchObject({ ok: true, notes: [expect.stringMatching(/could not be opened/)] });
    expect(readFileSync(`${live}.before-restore-20260304-100509`, "utf8")).toBe("garbage ".repeat(600));
    expect(count(live, "SELECT count(*) AS n FROM spaces")).toBe(3);
  });
});

describe("pruneBackups", () => {
  it("given more daily backups than to keep, deletes the oldest and leaves other files alone", () => {
    const dir = tempDir();
    const days = Array.from({ length: 6 }, (_, i) => new Date(Date.UTC(2026, 2, 28 + i, 3, 0, 0)));
    // Written out of order: the name, not the write order, says which is newest.
    for (const day of [...days].reverse()) writeFileSync(join(dir, backupFileName(day)), "");
    const others = ["notes.txt", "manual.db", `${backupFileName(days[0] ?? new Date())}.partial`];
    for (const name of others) writeFileSync(join(dir, name), "");

    const deleted = pruneBackups(dir, 4);

    expect(deleted).toEqual(days.slice(0, 2).map((day) => join(dir, backupFileName(day))));
    expect(readdirSync(dir).sort()).toEqual(
      [...others, ...days.slice(2).map((day) => backupFileName(day))].sort(),
    );
    expect(pruneBackups(dir, 4)).toEqual([]);
  });

  it("given no backup folder yet, deletes nothing", () => {
    expect(pruneBackups(join(tempDir(), "none"), 3)).toEqual([]);
  });

  it("names a backup by its UTC time, to the second", () => {
    expect(backupFileName(new Date("2026-04-02T03:00:07.950Z"))).toBe("quorum-20260402-030007.db");
  });
});
