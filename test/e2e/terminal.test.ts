import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCurriculumDir } from "../../src/paths.js";
import { tempDir } from "../helpers.js";
import { runBot, startBot } from "./bot.js";

const script = [
  "/roadmap",
  "/week 7",
  "/track list",
  "/track join dba",
  "/track show",
  "/cohort create spring",
  "/cohort info",
]
  .join("\n")
  .concat("\n");

describe("terminal chat, end to end", () => {
  it("given the walking-skeleton script piped into npm start, prints every reply and remembers the join on a second run", async () => {
    const dataDir = tempDir();
    const env = { DATABASE_PATH: join(dataDir, "quorum.db") };
    const first = await runBot(script, env, true);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);

    const out = first.stdout;
    expect(out).toContain("Roadmap — Database & Systems Architect (20 weeks)");
    for (let week = 1; week <= 20; week++)
      expect(out).toMatch(new RegExp(`^[·▶✓] ${String(week).padStart(2)} {2}`, "m"));
    expect(out).toMatch(/━━ Week 7 · .+ ━━/);
    expect(out).toContain("▸ PostgreSQL lane · Window functions");
    for (const track of [
      "Database Administrator (DBA)",
      "SQL Developer",
      "NoSQL Database Specialist",
      "System Architect",
      "Distributed Systems Engineer",
      "Performance Engineer",
      "Data Architect",
      "Scalability Engineer",
    ]) {
      expect(out).toContain(track);
    }
    expect(out).toContain("✓ You joined the Database Administrator (DBA) track.");
    expect(out).toContain("━━ Database Administrator (DBA) · your track ━━");
    expect(out).toContain("✓ Cohort spring created");
    expect(out).toContain("━━ Cohort spring ━━");
    expect(existsSync(env.DATABASE_PATH)).toBe(true);

    const second = await runBot("/track show\n/cohort info\n", env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("━━ Database Administrator (DBA) · your track ━━");
    expect(second.stdout).toMatch(/Members: 1/);
  });

  it("given @name lines and comments, speaks as other local users who are not moderators", async () => {
    const env = { DATABASE_PATH: join(tempDir(), "quorum.db") };
    const run = await runBot(
      [
        "# set-up",
        "/cohort create spring",
        "@ana /cohort join spring",
        "@ana /cohort create mine",
        "@ana /track join sql",
        "@bo",
        "@ana /cohort info",
      ].join("\n"),
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("set-up");
    expect(run.stdout).toContain("ana › /cohort join spring\n✓ Welcome to spring!");
    expect(run.stdout).toContain("✗ /cohort create is for moderators.");
    expect(run.stdout).toContain("✗ Say something after @bo");
    expect(run.stdout).toMatch(/Members: 2/);
    expect(run.stdout).toContain("SQL Developer: 1");
  });

  it("given bad commands, replies to each and keeps going to the end of the script", async () => {
    const env = { DATABASE_PATH: join(tempDir(), "quorum.db") };
    const run = await runBot("/frobnicate\n/week 0\n/week 21\n/track join nobody\n/week 2\n", env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✗ Unknown command /frobnicate.");
    expect(run.stdout).toContain(
      "✗ /week: week must be from 1 to 20.\nUsage: /week [week] [part] · e.g. /week 1",
    );
    expect(run.stdout).toContain('✗ There is no track called "nobody".');
    expect(run.stdout).toMatch(/━━ Week 2 · /);
  });

  it("given a reader that stops reading early (| head), exits 0 without a stack trace", async () => {
    const env = { DATABASE_PATH: join(tempDir(), "quorum.db") };
    const { child, exited } = startBot(env);
    child.stdout.once("data", () => child.stdout.destroy());
    child.stdin.end("/roadmap\n".repeat(200));
    const run = await exited;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it.each([
    [
      "LOG_LEVEL",
      { LOG_LEVEL: "loud" },
      "Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.",
    ],
    [
      "DATABASE_PATH as a folder",
      { DATABASE_PATH: "/tmp/" },
      "Configuration error: DATABASE_PATH must name a file, not a folder (e.g. ./data/quorum.db).",
    ],
    [
      "DATABASE_PATH under a file",
      { DATABASE_PATH: "/etc/hostname/quorum.db" },
      /^Configuration error: DATABASE_PATH \/etc\/hostname\/quorum\.db cannot be opened: .+\.$/,
    ],
  ])("given an invalid %s, stops with exit code 2 and one line naming it", async (_name, env, expected) => {
    const run = await runBot("/roadmap\n", env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  it("given a curriculum file with a broken field, names file and path, exits 2 and creates no database", async () => {
    const dir = join(tempDir(), "curriculum");
    cpSync(defaultCurriculumDir, dir, { recursive: true });
    const file = join(dir, "weeks", "05.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^phase: databases$/m, "phase: basement"));
    const databasePath = join(tempDir(), "quorum.db");
    const run = await runBot("/roadmap\n", { CURRICULUM_DIR: dir, DATABASE_PATH: databasePath });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Curriculum error: weeks[/\\]05\.yaml:\d+ phase: /m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(databasePath)).toBe(false);
  });
});
