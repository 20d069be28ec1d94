import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { defaultCurriculumDir } from "../paths.js";
import { formatCurriculumError, loadCurriculum } from "./load.js";

function copyCurriculum(): string {
  const dir = join(tempDir(), "curriculum");
  cpSync(defaultCurriculumDir, dir, { recursive: true });
  return dir;
}

describe("loadCurriculum", () => {
  it("given the shipped curriculum, loads 20 weeks, 8 tracks and 15 projects", () => {
    const result = loadCurriculum(defaultCurriculumDir);
    if (!result.ok) throw new Error(result.errors.map(formatCurriculumError).join("\n"));
    expect(result.curriculum.weeks.map((w) => w.week)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(result.curriculum.tracks).toHaveLength(8);
    expect(result.curriculum.projects).toHaveLength(15);
  });

  it("given weeks 5–12, each has a PostgreSQL and a NoSQL lane; the others one shared lane", () => {
    const result = loadCurriculum(defaultCurriculumDir);
    if (!result.ok) throw new Error("does not load");
    for (const week of result.curriculum.weeks) {
      const lanes = week.lanes.map((l) => l.lane);
      expect(lanes, `week ${week.week}`).toEqual(
        week.week >= 5 && week.week <= 12 ? ["postgres", "nosql"] : ["core"],
      );
    }
  });

  it("given a broken field, reports its file, line and path", () => {
    const dir = copyCurriculum();
    const file = join(dir, "weeks", "07.yaml");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/^title: .*$/m, "title: 42"));
    const result = loadCurriculum(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.errors.map(formatCurriculumError);
    expect(lines).toEqual([expect.stringMatching(/^weeks[/\\]07\.yaml:\d+ title: .*string/i)]);
  });

  it("given a missing required field deep inside, names the full path", () => {
    const dir = copyCurriculum();
    const file = join(dir, "weeks", "03.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^(\s+)deliverable: .*$/m, ""));
    const result = loadCurriculum(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe("lanes[0].exercise.deliverable");
  });

  it("given YAML that does not parse, reports the line", () => {
    const dir = copyCurriculum();
    writeFileSync(join(dir, "tracks.yaml"), "tracks:\n  - id: dba\n   name: [unclosed\n");
    const result = loadCurriculum(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ file: "tracks.yaml", line: expect.any(Number) });
  });

  it("given a track that names an unknown topic, reports the reference", () => {
    const dir = copyCurriculum();
    const file = join(dir, "tracks.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/focusTopics:\n(\s+)- [a-z-]+/, "focusTopics:\n$1- no-such-topic"),
    );
    const result = loadCurriculum(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toBe('no topic has the id "no-such-topic"');
  });

  it("given a week file removed, reports the missing week", () => {
    const dir = copyCurriculum();
    rmSync(join(dir, "weeks", "20.yaml"));
    const result = loadCurriculum(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.message)).toEqual(["week 20 is missing"]);
  });

  it("given a week file holding another week, says where it belongs", () => {
    const dir = copyCurriculum();
    cpSync(join(dir, "weeks", "19.yaml"), join(dir, "weeks", "20.yaml"));
    const result = loadCurriculum(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.message)).toContain("week 19 belongs in weeks/19.yaml");
  });
});
