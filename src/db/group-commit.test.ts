import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { openDatabase } from "./client.js";
import { GroupCommit, groupCommitFor } from "./group-commit.js";

const opened: Database.Database[] = [];

/** A writer connection and a second one that sees only what was committed. */
function connections() {
  const path = join(tempDir(), "group.db");
  const writer = new Database(path);
  writer.pragma("journal_mode = WAL");
  writer.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
  const observer = new Database(path);
  opened.push(writer, observer);
  const insert = writer.prepare("INSERT INTO rows (v) VALUES (?)");
  const seen = () => observer.prepare("SELECT v FROM rows ORDER BY id").pluck().all() as string[];
  // Changes whenever another connection has committed since the last time it was read.
  const version = () => Number(observer.pragma("data_version", { simple: true }));
  return { path, writer, observer, insert, seen, version };
}

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

describe("group commit", () => {
  it("given writes queued in one turn, commits them in one transaction and resolves each only once it is visible to another connection", async () => {
    const { writer, insert, seen, version } = connections();
    const group = new GroupCommit(writer);
    const before = version();
    const values = ["a", "b", "c", "d", "e"];
    const atResolve: { visible: string[]; version: number }[] = [];
    await Promise.all(
      values.map((v) =>
        group
          .run(() => insert.run(v))
          .then(() => {
            atResolve.push({ visible: seen(), version: version() });
          }),
      ),
    );
    expect(atResolve).toHaveLength(values.length);
    for (const at of atResolve) {
      expect(at.visible).toEqual(values);
      expect(at.version).not.toBe(before);
    }
    // One commit for all five: nothing changed between the first resolve and the last.
    expect(new Set(atResolve.map((at) => at.version)).size).toBe(1);
  });

  it("given a piece that throws, undoes only its own writes: the others commit and its promise rejects", async () => {
    const { writer, insert, seen } = connections();
    const group = new GroupCommit(writer);
    const results = await Promise.allSettled([
      group.run(() => insert.run("first")),
      group.run(() => {
        insert.run("half-done");
        insert.run("first"); // violates UNIQUE: the piece fails after one write
      }),
      group.run(() => insert.run("last")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(seen()).toEqual(["first", "last"]);
  });

  it("given more writes than a batch holds, commits the rest in the following turns", async () => {
    const { writer, insert, seen, version } = connections();
    const group = new GroupCommit(writer, 2);
    const visibleAtResolve: string[][] = [];
    const versions = new Set<number>();
    await Promise.all(
      ["a", "b", "c", "d", "e"].map((v) =>
        group
          .run(() => insert.run(v))
          .then(() => {
            visibleAtResolve.push(seen());
            versions.add(version());
          }),
      ),
    );
    expect(visibleAtResolve).toEqual([
      ["a", "b"],
      ["a", "b"],
      ["a", "b", "c", "d"],
      ["a", "b", "c", "d"],
      ["a", "b", "c", "d", "e"],
    ]);
    expect(versions.size).toBe(3);
  });

  it("given the transaction cannot begin, rejects every write of the batch and stores none", async () => {
    const { writer, observer, insert, seen } = connections();
    writer.pragma("busy_timeout = 0");
    const group = new GroupCommit(writer);
    observer.exec("BEGIN IMMEDIATE");
    const results = await Promise.allSettled(["a", "b"].map((v) => group.run(() => insert.run(v))));
    observer.exec("ROLLBACK");
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(seen()).toEqual([]);
    // The next batch goes through.
    await group.run(() => insert.run("c"));
    expect(seen()).toEqual(["c"]);
  });

  it("given writes still queued when the database closes, commits them before closing", async () => {
    const path = join(tempDir(), "close.db");
    const database = openDatabase(path);
    database.sqlite.exec("CREATE TABLE rows (v TEXT)");
    const insert = database.sqlite.prepare("INSERT INTO rows (v) VALUES (?)");
    const queued = groupCommitFor(database.sqlite).run(() => insert.run("kept"));
    database.close();
    await expect(queued).resolves.toBeDefined();
    const reopened = new Database(path);
    opened.push(reopened);
    expect(reopened.prepare("SELECT v FROM rows").pluck().all()).toEqual(["kept"]);
  });
});
