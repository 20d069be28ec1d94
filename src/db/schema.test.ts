import { spawnSync } from "node:child_process";
import { cpSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { appRoot, migrationsDir } from "../paths.js";

describe("schema and migrations", () => {
  it("given the committed migrations, drizzle-kit finds nothing left to generate from the schema", () => {
    const work = tempDir();
    const out = join(work, "migrations");
    cpSync(migrationsDir, out, { recursive: true });
    const before = readdirSync(out).sort();
    const bin = join(appRoot, "node_modules", "drizzle-kit", "bin.cjs");
    const run = spawnSync(
      process.execPath,
      // drizzle-kit reads --out relative to its working folder, so run it in the copy's.
      [
        bin,
        "generate",
        "--dialect",
        "sqlite",
        "--schema",
        relative(work, join(appRoot, "src/db/schema.ts")),
        "--out",
        "migrations",
      ],
      { cwd: work, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const printed = `${run.stdout}${run.stderr}`;
    expect(run.status, printed).toBe(0);
    expect(readdirSync(out).sort(), printed).toEqual(before);
    expect(printed).toMatch(/nothing to migrate/i);
  });
});
