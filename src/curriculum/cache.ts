/**
 * The curriculum as last loaded and checked, kept as JSON beside the database: parsing the YAML and
 * validating it takes most of a start-up, and the files rarely change between starts. The cache is
 * keyed by the hash of every file of the curriculum and of the loader and schemas themselves, so any
 * change to either is loaded and checked afresh.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Curriculum } from "../core/curriculum/schema.js";
import { type LoadResult, loadCurriculum } from "./load.js";

/** The modules that decide what a curriculum file loads to, beside this one. */
const LOADER_MODULES = [
  "./load.js",
  "../core/curriculum/schema.js",
  "../core/curriculum/bank.js",
  "../core/curriculum/query.js",
  "../core/sandbox.js",
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The hash of the curriculum's files and of the loader, or undefined when one cannot be read. */
function curriculumKey(dir: string): string | undefined {
  try {
    const hash = createHash("sha256");
    for (const file of filesUnder(dir)) {
      hash.update(relative(dir, file)).update("\0").update(readFileSync(file)).update("\0");
    }
    // Under tsx the modules are .ts files; built, .js.
    const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    for (const module of LOADER_MODULES) {
      hash.update(readFileSync(fileURLToPath(new URL(module.replace(/\.js$/, extension), import.meta.url))));
    }
    return hash.digest("hex").slice(0, 32);
  } catch {
    return undefined;
  }
}

/** `loadCurriculum`, from the cache in `cacheDir` when it holds this very curriculum; a failed load is never kept. */
export function loadCurriculumCached(dir: string, cacheDir: string | undefined): LoadResult {
  const key = cacheDir === undefined ? undefined : curriculumKey(dir);
  if (cacheDir === undefined || key === undefined) return loadCurriculum(dir);
  const file = join(cacheDir, `curriculum-${key}.json`);
  try {
    return { ok: true, curriculum: JSON.parse(readFileSync(file, "utf8")) as Curriculum };
  } catch {
    // Not there yet, or unreadable: load and check the files.
  }
  const loaded = loadCurriculum(dir);
  if (!loaded.ok) return loaded;
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const old of readdirSync(cacheDir)) {
      if (/^curriculum-[0-9a-f]+\.json$/.test(old)) rmSync(join(cacheDir, old), { force: true });
    }
    // Written whole, then renamed: a reader never sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(loaded.curriculum));
    renameSync(partial, file);
  } catch {
    // A cache that cannot be written only costs the next start the time of this one.
  }
  return loaded;
}
