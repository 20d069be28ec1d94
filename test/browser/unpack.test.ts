import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chromiumArgs } from "./launch.js";
import { chromiumFolderName, unpackChromium } from "./unpack.js";

/** Two real unpacks of ~200 MB each on two shared cores. */
const unpackTimeoutMs = 120_000;

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "quorum-unpack-test-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A pid no process can have: above the kernel's highest. */
async function impossiblePid(): Promise<number> {
  return Number((await readFile("/proc/sys/kernel/pid_max", "utf8")).trim()) + 1;
}

describe("unpackChromium", () => {
  it(
    "given two unpacks at once, both get the one whole binary; a dead process's staging goes, a live one's stays",
    async () => {
      const name = await chromiumFolderName();
      const abandoned = `${name}.unpacking-${await impossiblePid()}-abandoned`;
      const inProgress = `${name}.unpacking-${process.pid}-in-progress`;
      await mkdir(join(root, abandoned));
      await mkdir(join(root, inProgress));

      const [first, second] = await Promise.all([unpackChromium(root), unpackChromium(root)]);

      expect(first).toBe(join(root, name, "chromium"));
      expect(second).toBe(first);
      // The loser of the rename removed its own copy.
      expect((await readdir(root)).sort()).toEqual([name, inProgress].sort());
      const browser = await chromium.launch({ executablePath: first, args: chromiumArgs(), headless: true });
      try {
        expect(browser.version()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      } finally {
        await browser.close();
      }
    },
    unpackTimeoutMs,
  );

  it("given a folder already unpacked, it returns its binary without staging another", async () => {
    const name = await chromiumFolderName();
    await mkdir(join(root, name));
    await writeFile(join(root, name, "chromium"), "");

    expect(await unpackChromium(root)).toBe(join(root, name, "chromium"));
    expect(await readdir(root)).toEqual([name]);
  });
});
