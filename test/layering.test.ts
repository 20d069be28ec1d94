import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRoot } from "../src/paths.js";

// Probe files must sit under src/ for the project's Biome overrides to apply; they are removed afterwards.
const probeName = `__layering_probe_${process.pid}`;
const coreProbe = join(appRoot, "src", "core", probeName);
// A probe at the top of src/core as well: a relative import from there climbs out after one `..`.
const coreTopProbe = join(appRoot, "src", "core", `${probeName}_top.ts`);
const adapterProbe = join(appRoot, "src", "adapters", probeName);
const runtimeProbe = join(appRoot, "src", "runtime", probeName);
const dbProbe = join(appRoot, "src", "db", probeName);

// Each line sits in a file one folder below src/core.
const forbidden: Record<string, string> = {
  discord: 'import { Client } from "discord.js";',
  slack: 'import { App } from "@slack/bolt";',
  drizzle: 'import { eq } from "drizzle-orm";',
  sqlite: 'import Database from "better-sqlite3";',
  cron: 'import cron from "node-cron";',
  db: 'import { spaces } from "../../db/schema.js";',
  adapter: 'import { runTerminalChat } from "../../adapters/terminal/chat.js";',
  fs: 'import { readFileSync } from "node:fs";',
  http: 'import { createServer } from "node:http";',
  path: 'import { join } from "node:path";',
  metrics: 'import { Registry } from "prom-client";',
  runtime: 'import { readiness } from "../../runtime/readiness.js";',
  climb: 'import { readiness } from "./../../runtime/readiness.js";',
};

// The allow-list: zod, croner and the core's own files.
const allowed: Record<string, string> = {
  zod: 'import { z } from "zod";',
  croner: 'import { Cron } from "croner";',
  core: 'import { ok } from "../result.js";',
  sibling: 'import { z } from "./zod.js";',
};

const importedName = (line: string) => /^import (?:\{ )?(\w+)/.exec(line)?.[1] ?? "";
const probe = (line: string) => `${line}\n\nexport const used = [${importedName(line)}];\n`;

let report = "";

beforeAll(() => {
  for (const dir of [coreProbe, adapterProbe, runtimeProbe, dbProbe]) mkdirSync(dir, { recursive: true });
  for (const [name, line] of Object.entries({ ...forbidden, ...allowed })) {
    writeFileSync(join(coreProbe, `${name}.ts`), probe(line));
  }
  writeFileSync(coreTopProbe, probe('import { readiness } from "../runtime/readiness.js";'));
  writeFileSync(
    join(adapterProbe, "allowed.ts"),
    'import { Client } from "discord.js";\nimport { commands } from "../../core/commands/registry.js";\n\nexport const used = [Client, commands];\n',
  );
  const sql =
    'import Database from "better-sqlite3";\nimport { eq } from "drizzle-orm";\nimport pg from "pg";\n\nexport const used = [Database, eq, pg];\n';
  writeFileSync(join(runtimeProbe, "sql.ts"), sql);
  writeFileSync(join(dbProbe, "sql.ts"), sql);
  const run = spawnSync(
    join(appRoot, "node_modules", ".bin", "biome"),
    [
      "lint",
      "--max-diagnostics=500",
      join("src", "core", probeName),
      join("src", "core", `${probeName}_top.ts`),
      join("src", "adapters", probeName),
      join("src", "runtime", probeName),
      join("src", "db", probeName),
    ],
    { cwd: appRoot, encoding: "utf8" },
  );
  report = `${run.stdout}${run.stderr}`;
});

afterAll(() => {
  for (const dir of [coreProbe, adapterProbe, runtimeProbe, dbProbe])
    rmSync(dir, { recursive: true, force: true });
  rmSync(coreTopProbe, { force: true });
});

const flaggedAt = (file: string) =>
  new RegExp(`${file.replace(/[/\\]/g, "[/\\\\]")}\\.ts:\\d+:\\d+ lint/style/noRestrictedImports`).test(
    report,
  );
const flagged = (file: string) => flaggedAt(`${probeName}/${file}`);

describe("the dependency rule: adapters → core ← db/sandbox", () => {
  it.each(Object.keys(forbidden))("given src/core importing %s, lint reports it", (name) => {
    expect(flagged(name), report).toBe(true);
  });

  it("given the top of src/core importing a file under src/runtime, lint reports it", () => {
    expect(flaggedAt(`${probeName}_top`), report).toBe(true);
  });

  it.each(Object.keys(allowed))("given src/core importing %s, lint allows it", (name) => {
    expect(flagged(name), report).toBe(false);
  });

  it("given an adapter importing discord.js and the core, lint allows it", () => {
    expect(flagged("allowed"), report).toBe(false);
  });
});

describe("SQL lives in src/db", () => {
  it("given src/runtime importing better-sqlite3, drizzle-orm and pg, lint reports each", () => {
    for (const line of [1, 2, 3]) {
      expect(report, report).toMatch(
        new RegExp(`runtime[/\\\\]${probeName}[/\\\\]sql\\.ts:${line}:\\d+ lint/style/noRestrictedImports`),
      );
    }
  });

  it("given src/db importing them, lint allows it", () => {
    expect(report).not.toMatch(new RegExp(`db[/\\\\]${probeName}[/\\\\]sql\\.ts:\\d+:\\d+ lint/style`));
  });
});
