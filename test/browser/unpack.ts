/**
 * Unpacks @sparticuz/chromium's brotli-packed headless Chromium once per machine and version, safely when
 * several test files (vitest workers) ask at the same moment.
 *
 * @sparticuz's own `executablePath()` writes straight into /tmp/chromium and takes "the file exists" for
 * "the unpack finished": a second process can exec a half-written binary, and a crashed unpack stays broken
 * (and an upgraded package keeps the old binary). So each caller unpacks into a staging folder of its own and
 * renames it into place; the rename is atomic, the first one wins, and a loser drops its copy.
 */
import { execFile } from "node:child_process";
import { access, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The installed @sparticuz/chromium: its entry module and its version. */
async function sparticuzPackage(): Promise<{ entry: string; version: string }> {
  const entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
  // The entry sits in build/ or build/<format>/ depending on the version: walk up to the package's own manifest.
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (!(await exists(path))) continue;
    const manifest = JSON.parse(await readFile(path, "utf8")) as { name?: string; version: string };
    if (manifest.name === "@sparticuz/chromium") return { entry, version: manifest.version };
  }
  throw new Error(`no package.json of @sparticuz/chromium above ${entry}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Staging folders are named `<final>.unpacking-<pid>-<random>`; those whose process died are removed. */
async function removeAbandonedStaging(root: string, finalName: string): Promise<void> {
  const prefix = `${finalName}.unpacking-`;
  for (const entry of await readdir(root)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await rm(join(root, entry), { recursive: true, force: true });
  }
}

/** @sparticuz's unpack, run in a child whose TMPDIR is the staging folder (its output goes to os.tmpdir()). */
async function unpackInto(staging: string, entry: string): Promise<void> {
  const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)});
process.stdout.write(await chromium.executablePath());`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, TMPDIR: staging },
  });
  if (stdout !== join(staging, "chromium")) {
    throw new Error(`@sparticuz/chromium unpacked to ${stdout}, expected ${join(staging, "chromium")}`);
  }
}

const folderName = (version: string): string => `quorum-chromium-${version}`;

/** The unpacked folder's name; it carries the package's version, so an upgrade unpacks afresh. */
export async function chromiumFolderName(): Promise<string> {
  return folderName((await sparticuzPackage()).version);
}

/**
 * The path of an unpacked Chromium binary, under `root` (the OS temp folder unless a test gives another).
 * Callers in one process or many may race: each stages its own copy, and the first rename wins.
 */
export async function unpackChromium(root: string = tmpdir()): Promise<string> {
  const { entry, version } = await sparticuzPackage();
  const finalName = folderName(version);
  const finalDir = join(root, finalName);
  const executable = join(finalDir, "chromium");
  // The folder only ever appears whole (by rename), so its binary existing means the unpack finished.
  if (await exists(executable)) return executable;

  await removeAbandonedStaging(root, finalName);
  const staging = await mkdtemp(join(root, `${finalName}.unpacking-${process.pid}-`));
  try {
    await unpackInto(staging, entry);
    await rename(staging, finalDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    // Another caller renamed its copy into place first: use that one.
    if ((code === "ENOTEMPTY" || code === "EEXIST") && (await exists(executable))) return executable;
    throw error;
  }
  return executable;
}
