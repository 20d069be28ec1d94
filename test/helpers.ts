import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type Clock, fixedClock } from "../src/core/clock.js";
import { commands } from "../src/core/commands/index.js";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import type { Core } from "../src/core/dispatch.js";
import { silentLogger } from "../src/core/logger.js";
import type { Actor } from "../src/core/ports.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { type OpenDatabase, openDatabase } from "../src/db/client.js";
import { createStore } from "../src/db/store.js";
import { defaultCurriculumDir } from "../src/paths.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh folder removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "quorum-test-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let curriculum: Curriculum | undefined;
export function realCurriculum(): Curriculum {
  if (!curriculum) {
    const result = loadCurriculum(defaultCurriculumDir);
    if (!result.ok) throw new Error(`curriculum does not load: ${JSON.stringify(result.errors.slice(0, 3))}`);
    curriculum = result.curriculum;
  }
  return curriculum;
}

/** A real SQLite file in a temp folder, migrated, closed after the test. */
export function tempDatabase(): OpenDatabase & { path: string } {
  const path = join(tempDir(), "quorum.db");
  const database = openDatabase(path);
  cleanups.push(() => database.close());
  return { ...database, path };
}

export interface TestCore {
  core: Core;
  clock: Clock & { set(at: Date | string): void };
  database: OpenDatabase & { path: string };
}

export function testCore(now = "2026-03-04T10:00:00Z"): TestCore {
  const database = tempDatabase();
  const clock = fixedClock(now);
  const core: Core = {
    curriculum: realCurriculum(),
    store: createStore(database.db),
    clock,
    logger: silentLogger,
    settings: { defaultTimezone: "UTC" },
    commands,
  };
  return { core, clock, database };
}

export function actor(user: string, overrides: Partial<Actor> = {}): Actor {
  return {
    platform: "terminal",
    spaceExternalId: "local",
    spaceName: "Test space",
    userExternalId: user,
    displayName: user,
    isModerator: user === "mod",
    channelExternalId: "general",
    ...overrides,
  };
}

/** Row counts of every table: equal before and after means nothing was written. */
export function tableCounts(database: OpenDatabase): Record<string, number> {
  const tables = database.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (database.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
    ]),
  );
}
