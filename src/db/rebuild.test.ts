import { describe, expect, it } from "vitest";
import { aggregateSnapshot } from "../../test/aggregate-snapshot.js";
import { actor, realCurriculum, type TestCore, testCore } from "../../test/helpers.js";
import { expectEveryPhaseFromZeroToAll } from "../../test/rebuild-progress.js";
import { seededRandom } from "../../test/seeded-random.js";
import type { CommandContext } from "../core/commands/command.js";
import { handleText } from "../core/dispatch.js";
import { recordAnswer } from "../core/services/record-answer.js";
import { openDatabase } from "./client.js";
import { type RebuildProgress, rebuildAggregates, rebuildAggregatesAtOnce } from "./rebuild.js";

const hour = 3_600_000;
const questionIds = realCurriculum()
  .bank.items.slice(0, 8)
  .map((item) => item.id);
const learners = ["ana", "bo", "cy", "di", "ed", "fay", "gus", "hal", "ivy"];
const cohorts = ["north", "south"];
const tracks = ["dba", "sql-developer"];

async function say(t: TestCore, user: string, line: string): Promise<void> {
  const reply = await handleText(t.core, actor(user), line);
  expect(reply?.text ?? "", line).not.toMatch(/went wrong/);
}

async function answer(t: TestCore, user: string, random: () => number): Promise<void> {
  const as = actor(user);
  const ctx: CommandContext = { ...t.core, actor: as, eventKey: null };
  const at = t.clock.now();
  const identity = (await t.core.store.identities.find(as)) ?? (await t.core.store.identities.ensure(as, at));
  const correct = random() < 0.6;
  await recordAnswer(
    ctx,
    identity,
    {
      questionId: questionIds[Math.floor(random() * questionIds.length)] ?? "missing",
      response: correct ? "right" : "wrong",
      correct,
      eventKey: null,
      at,
    },
    { points: correct ? ([10, 20, 35][Math.floor(random() * 3)] ?? 10) : 0, reason: "rebuild test" },
  );
}

/** Two cohorts of learners on two tracks (one learner in none), one empty, with a few weeks of answers. */
async function world(seed: number): Promise<{ t: TestCore; random: () => number }> {
  const t = testCore("2026-03-01T18:00:00Z", { grader: { grade: async () => ({ verdict: "pass" }) } });
  const random = seededRandom(seed);
  await say(t, "mod", "/cohort create east 2026-03-02 UTC");
  await say(t, "mod", "/cohort create north 2026-03-02 UTC");
  await say(t, "mod", "/cohort create south 2026-03-02 Asia/Tokyo");
  for (const [i, user] of learners.entries()) {
    if (i === learners.length - 1) continue;
    await say(t, user, `/cohort join ${cohorts[i % 2]}`);
    if (i % 3 !== 2) await say(t, user, `/track join ${tracks[i % 2]}`);
  }
  for (let i = 0; i < 120; i++) {
    await answer(t, learners[Math.floor(random() * learners.length)] ?? "ana", random);
    t.clock.set(new Date(t.clock.now().getTime() + Math.floor(random() * 20 * hour)));
  }
  return { t, random };
}

/** The aggregates now, then as one transaction derives them from the ledger: the two must be equal. */
function derivedAgain(t: TestCore) {
  const now = aggregateSnapshot(t.database.sqlite);
  rebuildAggregatesAtOnce(t.database.db);
  return { now, derived: aggregateSnapshot(t.database.sqlite) };
}

/** Aggregates as a bug might leave them: most learners' rows off, counts off, rows the ledger never made. */
function drift(t: TestCore): void {
  const sqlite = t.database.sqlite;
  const north = sqlite.prepare("SELECT id FROM cohorts WHERE name = 'north'").pluck().get();
  const south = sqlite.prepare("SELECT id FROM cohorts WHERE name = 'south'").pluck().get();
  const east = sqlite.prepare("SELECT id FROM cohorts WHERE name = 'east'").pluck().get();
  const ana = sqlite.prepare("SELECT id FROM members WHERE external_id = 'ana'").pluck().get();
  // The moderator never answers: no ledger entry, so no aggregate row either.
  const mod = sqlite.prepare("SELECT id FROM members WHERE external_id = 'mod'").pluck().get();
  sqlite.exec(`
    UPDATE board_counts SET members = members + 3 WHERE rowid IN (SELECT rowid FROM board_counts LIMIT 2);
    DELETE FROM board_day_counts WHERE rowid IN (SELECT rowid FROM board_day_counts LIMIT 2);
    UPDATE board_entries SET points = points + 7 WHERE member_id % 2 = 0;
    DELETE FROM board_entries WHERE member_id % 2 = 1 AND board LIKE 'track:%';
    UPDATE streaks SET current = current + 1 WHERE member_id % 2 = 1;
    UPDATE streaks SET current = 99, last_unit = NULL WHERE rowid IN (SELECT rowid FROM streaks LIMIT 2);
    UPDATE activity_days SET activities = activities + 1 WHERE rowid % 3 = 0;
    DELETE FROM activity_days WHERE rowid IN (SELECT rowid FROM activity_days LIMIT 2);
    UPDATE question_stats SET attempts = attempts + 1 WHERE rowid IN (SELECT rowid FROM question_stats LIMIT 2);`);
  // Rows nothing in the ledger makes: a board with no entries, entries in cohorts the learner is not in.
  sqlite.prepare("INSERT INTO board_counts VALUES (?, 'week:99', 5, 2)").run(north);
  sqlite.prepare("INSERT INTO board_day_counts VALUES (?, 'week:99', 5, 1, 2)").run(north);
  sqlite.prepare("INSERT INTO board_entries VALUES (?, 'week:98', ?, 40, 0)").run(south, ana);
  sqlite.prepare("INSERT INTO board_entries VALUES (?, 'all', ?, 40, 0)").run(east, ana);
  sqlite.prepare("INSERT OR REPLACE INTO streaks VALUES (?, 'week', 1, 1, '2020-01-06', 0)").run(ana);
  sqlite.prepare("INSERT INTO streaks VALUES (?, 'day', 1, 1, '2020-01-01', 0)").run(mod);
  sqlite.prepare("INSERT INTO activity_days VALUES (?, '2020-01-01', 4)").run(ana);
  sqlite.prepare("INSERT INTO activity_days VALUES (?, '2020-01-01', 4)").run(mod);
  sqlite.prepare("INSERT INTO question_stats VALUES (?, 'no-such-question', 3, 1)").run(south);
}

describe("rebuildAggregates in chunks", () => {
  it("given drifted aggregates and answers, cohort and track moves recorded by the bot between its transactions, ends equal to a derivation from the ledger", async () => {
    const { t, random } = await world(7);
    drift(t);
    // The rebuild runs on its own connection, as `npm run db:rebuild` beside the bot does.
    const rebuilder = openDatabase(t.database.path);
    const hooked = new Set<RebuildProgress["phase"]>();
    const inRange = t.database.sqlite
      .prepare("SELECT external_id FROM members WHERE id > ? AND id <= ? AND external_id <> 'mod'")
      .pluck();
    let between = 0;
    let acts = 0;
    try {
      const report = await rebuildAggregates(rebuilder.db, {
        chunkSize: 3,
        restRatio: 0,
        async betweenTransactions({ phase, derived }) {
          hooked.add(phase);
          between += 1;
          // Between a chunk's derivation and its write, one of its own learners acts; else anyone answers.
          const own = derived ? (inRange.all(derived.after, derived.upTo) as string[]) : [];
          const act = own.length > 0 ? acts++ % 5 : 4;
          const user = own[acts % Math.max(own.length, 1)] ?? learners[between % learners.length] ?? "ana";
          if (act === 0) await say(t, user, `/cohort join ${cohorts[acts % 2]}`);
          else if (act === 1) await say(t, user, `/track join ${tracks[acts % 2]}`);
          else if (act === 2) await say(t, user, "/track leave");
          else await answer(t, user, random);
          t.clock.set(new Date(t.clock.now().getTime() + Math.floor(random() * 30 * hour)));
        },
      });
      // Some learners answered or moved between their chunk's derivation and its write.
      expect(report.redone).toBeGreaterThan(0);
    } finally {
      rebuilder.close();
    }
    expect([...hooked].sort()).toEqual(["boards", "learners", "questions"]);
    const { now, derived } = derivedAgain(t);
    expect(now).toEqual(derived);
  });

  it("given aggregates that drifted from the ledger, rewrites every table to the derivation", async () => {
    const { t } = await world(11);
    drift(t);
    await rebuildAggregates(t.database.db, { chunkSize: 4, restRatio: 0 });
    const { now, derived } = derivedAgain(t);
    expect(now).toEqual(derived);
  });

  it("reports each phase from 0 to all of it, in order, and lets other work run between chunks", async () => {
    const { t } = await world(3);
    const events: RebuildProgress[] = [];
    let turns = 0;
    let running = true;
    const spin = () => {
      turns += 1;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const report = await rebuildAggregates(t.database.db, {
      chunkSize: 5,
      onProgress: (progress) => events.push(progress),
    });
    running = false;

    expectEveryPhaseFromZeroToAll(events);
    const learnersDone = events.filter((e) => e.phase === "learners").at(-1)?.done;
    expect(learnersDone).toBe(report.ledgerEntries);
    expect(report.writes).toBeGreaterThan(3);
    expect(turns).toBeGreaterThanOrEqual(report.writes);
  });

  it("refuses a second rebuild on a connection that is running one", async () => {
    const { t } = await world(5);
    const first = rebuildAggregates(t.database.db, { chunkSize: 5, restRatio: 0 });
    await expect(rebuildAggregates(t.database.db)).rejects.toThrow(/already running/);
    await first;
    const { now, derived } = derivedAgain(t);
    expect(now).toEqual(derived);
  });
});
