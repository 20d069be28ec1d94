import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appRoot } from "../../src/paths.js";
import { tempDir } from "../helpers.js";

function cli(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(appRoot, "src/curriculum/challenge-cli.ts"), ...args],
    {
      cwd: appRoot,
      encoding: "utf8",
      env: { ...process.env, CURRICULUM_DIR: join(appRoot, "curriculum") },
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run challenge", () => {
  it("given list --json, prints every item with its id, week, kind and engine", () => {
    const run = cli("list", "--json");
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      id: string;
      week: number;
      kind: string;
      engine: string | null;
    }[];
    expect(rows.length).toBeGreaterThan(40);
    expect(Object.keys(rows[0] ?? {})).toEqual(["id", "week", "kind", "engine"]);
    const engines = new Set(rows.filter((r) => r.kind === "challenge").map((r) => r.engine));
    expect([...engines].sort()).toEqual(["mongodb", "postgres", "redis", "sqlite"]);
    expect(rows.filter((r) => r.kind !== "challenge").every((r) => r.engine === null)).toBe(true);
  });

  it("given the challenge example of curriculum/README.md saved as a file, test passes it", () => {
    const readme = readFileSync(join(appRoot, "curriculum", "README.md"), "utf8");
    const example = /## A challenge\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const file = join(tempDir(), "my-challenge.yaml");
    writeFileSync(file, example ?? "");
    const run = cli("test", file);
    expect(run.stdout, run.stderr).toContain("✓ sql-customer-order-counts (sqlite)");
    expect(run.stdout).toContain("1 passed, 0 failed");
    expect(run.code).toBe(0);
  });

  it("given grade with a wrong answer, prints a machine-readable verdict with feedback and exits 1", () => {
    const answer = join(tempDir(), "answer.sql");
    writeFileSync(answer, "SELECT id, name FROM customers WHERE id NOT IN (SELECT customer_id FROM orders);");
    const run = cli("grade", "store-customers-without-orders", "--answer", answer, "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: "store-customers-without-orders",
      verdict: "fail",
      feedback: expect.any(String),
    });
  });

  it("given no command, prints the usage and exits 2", () => {
    const run = cli();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("npm run challenge -- list [--json]");
  });
});
