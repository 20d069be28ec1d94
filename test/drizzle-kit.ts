/** drizzle-kit run on a copy of the committed migrations, to show the schema has nothing left to generate. */
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { expect } from "vitest";
import { appRoot } from "../src/paths.js";
import { tempDir } from "./helpers.js";

/**
 * Runs `drizzle-kit generate` for `schema` (a path from the app's root) against a copy of
 * `migrationsDir`, and expects it to succeed, add no file and say there is nothing to migrate.
 */
export function expectNothingLeftToGenerate(
  dialect: "sqlite" | "postgresql",
  schema: string,
  migrationsDir: string,
): void {
  const work = tempDir();
  const folder = basename(migrationsDir);
  const out = join(work, folder);
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
      dialect,
      "--schema",
      relative(work, join(appRoot, schema)),
      "--out",
      folder,
    ],
    { cwd: work, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const printed = `${run.stdout}${run.stderr}`;
  expect(run.status, printed).toBe(0);
  expect(readdirSync(out).sort(), printed).toEqual(before);
  expect(printed).toMatch(/nothing to migrate/i);
}
