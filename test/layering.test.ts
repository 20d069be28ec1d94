import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRoot } from "../src/paths.js";

// Probe files must sit under src/ for the project's Biome overrides to apply; they are removed afterwards.
const probeName = `__layering_probe_${process.pid}`;
const coreProbe = join(appRoot, "src", "core", probeName);
const adapterProbe = join(appRoot, "src", "adapters", probeName);

const forbidden: Record<string, string> = {
  discord: 'import { Client } from "discord.js";',
  slack: 'import { App } from "@slack/bolt";',
  drizzle: 'import { eq } from "drizzle-orm";',
  sqlite: 'import Database from "better-sqlite3";',
  cron: 'import cron from "node-cron";',
  db: 'import { spaces } from "../../db/schema.js";',
  adapter: 'import { runTerminalChat } from "../../adapters/terminal/chat.js";',
  fs: 'import { readFileSync } from "node:fs";',
};

let report = "";

beforeAll(() => {
  mkdirSync(coreProbe, { recursive: true });
  mkdirSync(adapterProbe, { recursive: true });
  for (const [name, line] of Object.entries(forbidden)) {
    writeFileSync(
      join(coreProbe, `${name}.ts`),
      `${line}\nexport const used = [${line.split(" ")[1]?.replace(/[{}]/g, "")}];\n`,
    );
  }
  writeFileSync(
    join(adapterProbe, "allowed.ts"),
    'import { Client } from "discord.js";\nimport { commands } from "../../core/commands/index.js";\n\nexport const used = [Client, commands];\n',
  );
  const run = spawnSync(
    join(appRoot, "node_modules", ".bin", "biome"),
    ["lint", "--max-diagnostics=200", join("src", "core", probeName), join("src", "adapters", probeName)],
    { cwd: appRoot, encoding: "utf8" },
  );
  report = `${run.stdout}${run.stderr}`;
});

afterAll(() => {
  rmSync(coreProbe, { recursive: true, force: true });
  rmSync(adapterProbe, { recursive: true, force: true });
});

const flagged = (file: string) =>
  new RegExp(`${probeName}[/\\\\]${file}\\.ts:\\d+:\\d+ lint/style/noRestrictedImports`).test(report);

describe("the dependency rule: adapters → core ← db/sandbox", () => {
  it.each(Object.keys(forbidden))("given src/core importing %s, lint reports it", (name) => {
    expect(flagged(name), report).toBe(true);
  });

  it("given an adapter importing discord.js and the core, lint allows it", () => {
    expect(flagged("allowed"), report).toBe(false);
  });
});
