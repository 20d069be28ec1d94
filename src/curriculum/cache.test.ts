import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { defaultCurriculumDir } from "../paths.js";
import { loadCurriculumCached } from "./cache.js";
import { loadCurriculum } from "./load.js";

/** A copy of the real curriculum and an empty cache folder beside it. */
function copy(): { dir: string; cache: string } {
  const root = tempDir();
  const dir = join(root, "curriculum");
  cpSync(defaultCurriculumDir, dir, { recursive: true });
  return { dir, cache: join(root, ".cache") };
}

const cached = (cache: string) => readdirSync(cache).filter((name) => name.startsWith("curriculum-"));

describe("the curriculum cache", () => {
  it("given a curriculum loaded once, the next load reads the cache and equals loading the files", () => {
    const { dir, cache } = copy();
    const first = loadCurriculumCached(dir, cache);
    expect(first.ok).toBe(true);
    const [file] = cached(cache);
    if (!file) throw new Error("nothing cached");
    // Marked, so a load that reads the cache can be told from one that reads the files.
    const kept = JSON.parse(readFileSync(join(cache, file), "utf8")) as { roadmap: { title: string } };
    const fresh = loadCurriculum(dir);
    expect(kept).toEqual(fresh.ok && JSON.parse(JSON.stringify(fresh.curriculum)));
    kept.roadmap.title = "marked";
    writeFileSync(join(cache, file), JSON.stringify(kept));
    const second = loadCurriculumCached(dir, cache);
    expect(second.ok && second.curriculum.roadmap.title).toBe("marked");
  });

  it("given a file changed since, the files are loaded and checked again and the old entry replaced", () => {
    const { dir, cache } = copy();
    loadCurriculumCached(dir, cache);
    const before = cached(cache);
    const roadmap = join(dir, "roadmap.yaml");
    writeFileSync(roadmap, `${readFileSync(roadmap, "utf8")}\n# a comment changes the key\n`);
    expect(loadCurriculumCached(dir, cache).ok).toBe(true);
    const after = cached(cache);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it("given a broken curriculum, its errors are returned and nothing is cached", () => {
    const { dir, cache } = copy();
    writeFileSync(join(dir, "tracks.yaml"), "tracks: [oops");
    const result = loadCurriculumCached(dir, cache);
    expect(result.ok).toBe(false);
    expect(existsSync(cache) ? cached(cache) : []).toEqual([]);
  });

  it("given a cache folder that cannot be made, the curriculum still loads from its files", () => {
    const { dir } = copy();
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "not a folder");
    expect(loadCurriculumCached(dir, join(blocker, "cache")).ok).toBe(true);
  });
});
