import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileGuard } from "./files.js";

interface Fs {
  writeFile(path: string, data: string | Uint8Array): void;
  readFile(path: string, options: { encoding: "utf8" }): string;
  mkdir(path: string): void;
  analyzePath(path: string): { exists: boolean };
}

let pg: PGlite;
let fs: Fs;
let guard: FileGuard;

beforeAll(async () => {
  pg = await PGlite.create();
  fs = pg.Module.FS as unknown as Fs;
  guard = new FileGuard(pg);
}, 60_000);

afterAll(async () => {
  await pg.close();
});

describe("the file guard of a PostgreSQL engine", () => {
  it("given files an attempt left outside the data directory, removes them so the next attempt finds none", () => {
    fs.mkdir("/tmp/left");
    fs.writeFile("/tmp/left/behind.so", new Uint8Array(30 * 1024 * 1024));
    fs.writeFile("/home/note.txt", "state");
    expect(guard.restore()).toBe(true);
    expect(fs.analyzePath("/tmp/left/behind.so").exists).toBe(false);
    expect(fs.analyzePath("/tmp/left").exists).toBe(false);
    expect(fs.analyzePath("/home/note.txt").exists).toBe(false);
  });

  it("given ten attempts writing 4 × 30 MB files each, the files never pile up", () => {
    const before = guard.outsideBytes();
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let i = 0; i < 4; i++) fs.writeFile(`/tmp/big-${attempt}-${i}`, new Uint8Array(30 * 1024 * 1024));
      expect(guard.restore()).toBe(true);
      expect(guard.outsideBytes()).toBe(before);
    }
  });

  it("given a change to a file that was there at start, says the engine must be replaced", () => {
    const target = "/pglite/share/postgresql/timezone/UTC";
    const original = fs.readFile(target, { encoding: "utf8" });
    fs.writeFile(target, `${original}tampered`);
    expect(guard.restore()).toBe(false);
  });

  it("given writes inside the data directory only, leaves everything as it is", async () => {
    await pg.exec("CREATE TABLE kept (a int); INSERT INTO kept VALUES (1)");
    expect(guard.restore()).toBe(true);
    expect((await pg.query("SELECT a FROM kept")).rows).toEqual([{ a: 1 }]);
  });
});
