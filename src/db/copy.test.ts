import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runProcess } from "../../test/e2e/bot.js";
import { actor, tempDir, testCore } from "../../test/helpers.js";
import { postgresDatabase, type TestDatabase } from "../../test/postgres/database.js";
import { handleText } from "../core/dispatch.js";
import { appRoot } from "../paths.js";
import { openDatabase } from "./client.js";
import { copySqliteToPostgres } from "./copy.js";
import { openPostgres } from "./postgres/client.js";
import { createPostgresStore } from "./postgres/store.js";
import { createStore } from "./store.js";

const dropped: TestDatabase[] = [];
afterEach(async () => {
  for (const database of dropped.splice(0)) await database.drop();
});

async function emptyPostgres(): Promise<TestDatabase> {
  const database = await postgresDatabase();
  dropped.push(database);
  return database;
}

/** A stopped deployment: a cohort, learners on tracks, answers right and wrong, a daily question schedule. */
async function deployment(): Promise<string> {
  const path = join(tempDir(), "quorum.db");
  const database = openDatabase(path);
  const t = testCore("2026-03-04T10:00:00Z", { database: { ...database, path } });
  const say = (user: string, line: string) => handleText(t.core, actor(user), line);
  await say("mod", "/cohort create spring 2026-03-02 UTC");
  await say("mod", "/schedule daily 08:00");
  await say("mod", "/schedule post-now");
  const items = t.core.curriculum.bank.items.filter((i) => i.week === 1 && i.kind === "single").slice(0, 4);
  for (const [n, user] of ["ana", "bo", "cy"].entries()) {
    await say(user, "/cohort join spring");
    await say(user, `/track join ${n === 0 ? "dba" : "sql-developer"}`);
    for (const [i, item] of items.entries()) {
      if (item.kind !== "single") continue;
      const wrong = item.choices.find((c) => c.id !== item.answer)?.id ?? "a";
      await say(user, `/answer ${item.id} ${(i + n) % 3 === 0 ? wrong : item.answer}`);
    }
    t.clock.set(new Date(t.clock.now().getTime() + 26 * 3_600_000));
  }
  await t.settle();
  database.close();
  return path;
}

describe("copying a SQLite deployment into PostgreSQL", () => {
  it("given a stopped deployment and an empty database, copies every row and the bot reads the same boards", async () => {
    const path = await deployment();
    const target = await emptyPostgres();
    const result = await copySqliteToPostgres(path, target.url);
    if (!result.ok) throw new Error(result.reason);
    expect(result.rows).toMatchObject({ answers: 12, track_memberships: 3, schedules: 2 });
    expect(result.rows.posts).toBeGreaterThan(0);
    expect(result.rows.questions_delivered).toBeGreaterThan(0);

    const sqlite = openDatabase(path);
    const postgres = await openPostgres(target.url);
    try {
      const before = createStore(sqlite.db);
      const after = createPostgresStore(postgres);
      const mod = await before.identities.find(actor("mod"));
      const cohort = mod && (await before.cohorts.findByName(mod.space.id, "spring"));
      if (!cohort) throw new Error("no cohort");
      expect(await after.cohorts.get(cohort.id)).toEqual(cohort);
      for (const user of ["ana", "bo", "cy"]) {
        const learner = await before.identities.find(actor(user));
        expect(await after.identities.find(actor(user))).toEqual(learner);
        const id = learner?.member.id ?? 0;
        expect(await after.answers.totalPoints(id)).toBe(await before.answers.totalPoints(id));
        expect(await after.answers.history(id)).toEqual(await before.answers.history(id));
      }
      for (const board of [
        { kind: "all" },
        { kind: "week", week: 1 },
        { kind: "track", trackId: "dba" },
      ] as const) {
        expect(await after.progress.top(cohort.id, board, 10)).toEqual(
          await before.progress.top(cohort.id, board, 10),
        );
      }
      expect(await after.schedules.forCohort(cohort.id)).toEqual(await before.schedules.forCohort(cohort.id));
      // New rows get ids past the copied ones.
      const newcomer = await after.identities.ensure(actor("dee"), new Date("2026-03-09T10:00:00Z"));
      const { last } = sqlite.sqlite.prepare("SELECT max(id) AS last FROM members").get() as { last: number };
      expect(newcomer.member.id).toBe(last + 1);
    } finally {
      await postgres.close();
      sqlite.close();
    }
  });

  it("given a target that already holds Quorum data, refuses and changes nothing", async () => {
    const path = await deployment();
    const target = await emptyPostgres();
    expect((await copySqliteToPostgres(path, target.url)).ok).toBe(true);
    const again = await copySqliteToPostgres(path, target.url);
    expect(again).toEqual({
      ok: false,
      reason:
        "the target database already holds Quorum data (table spaces has rows); copy into an empty database",
    });
  });

  it("given a deployment whose bot still runs, refuses to copy", async () => {
    const path = await deployment();
    const running = openDatabase(path);
    try {
      running.sqlite.prepare("SELECT count(*) FROM spaces").get();
      running.sqlite.exec("BEGIN IMMEDIATE");
      const target = await emptyPostgres();
      const result = await copySqliteToPostgres(path, target.url);
      expect(result).toEqual({
        ok: false,
        reason: `${path} is in use by another process, most likely the bot; stop it first`,
      });
      running.sqlite.exec("ROLLBACK");
    } finally {
      running.close();
    }
  });

  it("given the command without --to, exits 2 with the usage; with both, copies and says so", async () => {
    const script = join(appRoot, "src", "db", "copy-cli.ts");
    const run = (args: string[]) => runProcess(process.execPath, ["--import", "tsx", script, ...args], {});
    const usage = await run(["--from", "x.db"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run db:copy -- --from");
    const path = await deployment();
    const target = await emptyPostgres();
    const copied = await run(["--from", path, "--to", target.url]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/counts and totals match the source/);
    expect(copied.stdout).not.toContain(new URL(target.url).password || "\u0000");
  });
});
