import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { actor, realCurriculum, tempDir } from "../helpers.js";
import { postgresDatabase, type TestDatabase } from "../postgres/database.js";
import { shownLetter } from "../shown-letter.js";
import { runBot } from "./bot.js";

const dropped: TestDatabase[] = [];
afterEach(async () => {
  for (const database of dropped.splice(0)) await database.drop();
});

/** A cohort, two learners on tracks answering right and wrong, then every read a learner and a moderator make. */
function session(): string {
  const items = realCurriculum()
    .bank.items.filter((i) => i.week === 1 && i.kind === "single")
    .slice(0, 3);
  // Each terminal learner sees the choices in an order of their own.
  const letter = (user: string, itemId: string, choiceId: string) =>
    shownLetter(realCurriculum().bank, itemId, choiceId, { learner: actor(user) });
  const lines = [
    "/cohort create spring 2026-03-02 UTC",
    "@ana /cohort join spring",
    "@bo /cohort join spring",
  ];
  lines.push("@ana /track join dba", "@bo /track join sql-developer");
  for (const [i, item] of items.entries()) {
    if (item.kind !== "single") continue;
    const wrong = item.choices.find((c) => c.id !== item.answer)?.id ?? "a";
    lines.push(
      `@ana /answer ${item.id} ${letter("ana", item.id, item.answer)}`,
      `@bo /answer ${item.id} ${letter("bo", item.id, i === 1 ? wrong : item.answer)}`,
    );
    lines.push(`@bo /answer ${item.id} ${letter("bo", item.id, item.answer)}`);
  }
  lines.push(
    "@ana /leaderboard",
    "@bo /leaderboard week",
    "@ana /streak",
    "/stats",
    "/schedule show",
    "@bo /review",
  );
  return `${lines.join("\n")}\n`;
}

describe("terminal chat on PostgreSQL", () => {
  it("given DATABASE_URL, runs the same session with the same replies as on SQLite and keeps it for the next start", async () => {
    // The same clock and files folder, so the two transcripts can be compared whole.
    const clock = { QUORUM_CLOCK_START: "2026-03-04T10:00:00Z", FILES_DIR: join(tempDir(), "files") };
    const onSqlite = await runBot(session(), { ...clock, DATABASE_PATH: join(tempDir(), "quorum.db") });
    expect(onSqlite.code, onSqlite.stderr).toBe(0);

    const database = await postgresDatabase();
    dropped.push(database);
    const env = { ...clock, DATABASE_PATH: join(tempDir(), "quorum.db"), DATABASE_URL: database.url };
    const onPostgres = await runBot(session(), env);
    expect(onPostgres.code, onPostgres.stderr).toBe(0);
    expect(onPostgres.stderr).toBe("");
    expect(onPostgres.stdout).toContain("Cohort spring created");
    expect(onPostgres.stdout).toBe(onSqlite.stdout);

    const again = await runBot("@ana /streak\n/cohort info\n", env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Members: 3/);
  });
});
