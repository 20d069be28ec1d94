import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateSnapshot } from "../../test/aggregate-snapshot.js";
import { actor, realCurriculum, type TestCore, testCore } from "../../test/helpers.js";
import type { CommandContext } from "../core/commands/command.js";
import { handleText } from "../core/dispatch.js";
import type { Actor } from "../core/ports/identity.js";
import type { Board } from "../core/ports/progress.js";
import { type AnswerInput, recordAnswer } from "../core/services/record-answer.js";
import { rebuildAggregates, rebuildAggregatesAtOnce } from "./rebuild.js";

// The aggregates are kept incrementally in each answer's transaction and moved on cohort and track
// changes; a rebuild derives them from the ledger alone, in chunks or in one transaction. All must agree.

/**
 * Rebuilds in chunks of `chunkSize`, then in one transaction (the full derivation), and requires
 * both to equal the tables kept incrementally.
 */
async function expectRebuildChangesNothing(t: TestCore, context: string, chunkSize: number): Promise<void> {
  const kept = aggregateSnapshot(t.database.sqlite);
  await rebuildAggregates(t.database.db, { chunkSize, restRatio: 0 });
  expect(aggregateSnapshot(t.database.sqlite), `chunked ${context}`).toEqual(kept);
  rebuildAggregatesAtOnce(t.database.db);
  expect(aggregateSnapshot(t.database.sqlite), `one transaction ${context}`).toEqual(kept);
}

/** Who answers, with the cohort and track each starts in (the moderator is in the last cohort made). */
const learners = [
  { user: "ana", space: "local", cohort: "north", track: "dba" },
  { user: "bo", space: "local", cohort: "north", track: "sql-developer" },
  { user: "cy", space: "local", cohort: "west", track: null },
  { user: "di", space: "local", cohort: null, track: null },
  { user: "mod", space: "local", cohort: null, track: null },
  { user: "zed", space: "other", cohort: "north", track: "dba" },
  { user: "yu", space: "other", cohort: "south", track: null },
] as const;

/** Cohorts of each space; the moderator creates them and so starts in the last one. */
const cohortsBySpace: Record<string, readonly string[]> = {
  local: ["north 2026-03-02 UTC", "east 2026-03-02 Asia/Tokyo", "west 2026-02-23 America/New_York"],
  other: ["north 2026-03-02 Europe/Berlin", "south 2026-03-09 Pacific/Kiritimati"],
};

// From +14 to -11 hours: a move west across them often lands on a local date already counted.
const zones = [
  "Pacific/Kiritimati",
  "Asia/Tokyo",
  "Europe/Berlin",
  "America/New_York",
  "Pacific/Pago_Pago",
  "cohort",
];
// Two tracks, so a learner often comes back to one they earned points on.
const tracks = ["dba", "sql-developer"];
const questionIds = realCurriculum()
  .bank.items.slice(0, 6)
  .map((item) => item.id);

type Step =
  | { kind: "answer"; learner: number; question: number; correct: boolean; points: number; keyed: boolean }
  | { kind: "daily"; learner: number; days: number; first: number }
  | { kind: "retry"; pick: number }
  | { kind: "wait"; ms: number }
  | { kind: "timezone"; learner: number; zone: string }
  | { kind: "track-join"; learner: number; track: string }
  | { kind: "track-leave"; learner: number }
  | { kind: "cohort-join"; learner: number; cohort: number }
  | { kind: "rebuild"; chunkSize: number };

// Most steps go to two learners of one cohort, so one learner's moves often come back to where
// they earned points before, and their points often tie.
const learner = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1) },
  { weight: 2, arbitrary: fc.nat({ max: learners.length - 1 }) },
);
const hour = 3_600_000;

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("answer" as const),
      learner,
      question: fc.nat({ max: questionIds.length - 1 }),
      correct: fc.boolean(),
      points: fc.constantFrom(0, 10, 20, 35),
      keyed: fc.boolean(),
    }),
  },
  {
    // A run of days with one right answer each: long enough for freezes and milestones.
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("daily" as const),
      learner,
      days: fc.integer({ min: 2, max: 9 }),
      first: fc.nat({ max: questionIds.length - 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("retry" as const), pick: fc.nat() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      // Mostly within a day (same or next local day), sometimes a missed day or a missed week.
      ms: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 * hour }) },
        { weight: 3, arbitrary: fc.integer({ min: 18 * hour, max: 30 * hour }) },
        { weight: 1, arbitrary: fc.integer({ min: 2 * 24 * hour, max: 9 * 24 * hour }) },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("timezone" as const),
      learner,
      zone: fc.constantFrom(...zones),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("track-join" as const),
      learner,
      track: fc.constantFrom(...tracks),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("track-leave" as const), learner }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("cohort-join" as const), learner, cohort: fc.nat({ max: 2 }) }),
  },
  {
    // Chunks from one ledger entry (or board entry, or question) up to more than the whole session.
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("rebuild" as const),
      chunkSize: fc.integer({ min: 1, max: 60 }),
    }),
  },
);

function actorOf(index: number): Actor {
  const who = learners[index] ?? learners[0];
  return actor(who.user, { spaceExternalId: who.space });
}

/** Runs a command as a learner would type it; a command that crashes would hide a step. */
async function say(t: TestCore, as: Actor, line: string): Promise<void> {
  const reply = await handleText(t.core, as, line);
  expect(reply?.text ?? "", line).not.toMatch(/went wrong/);
}

type Recorded = AnswerInput & { points: number; reason: string };

/** Runs one random session through the real core, checking a rebuild wherever one is asked for. */
async function run(steps: readonly Step[]): Promise<TestCore> {
  const t = testCore("2026-03-01T18:00:00Z", { grader: { grade: async () => ({ verdict: "pass" }) } });
  for (const [space, cohorts] of Object.entries(cohortsBySpace)) {
    for (const cohort of cohorts)
      await say(t, actor("mod", { spaceExternalId: space }), `/cohort create ${cohort}`);
  }
  for (const [index, { cohort, track }] of learners.entries()) {
    if (cohort) await say(t, actorOf(index), `/cohort join ${cohort}`);
    if (track) await say(t, actorOf(index), `/track join ${track}`);
  }
  const keyed: { learner: number; attempt: Recorded }[] = [];
  let events = 0;
  for (const [index, next] of steps.entries()) {
    const as = "learner" in next ? actorOf(next.learner) : undefined;
    switch (next.kind) {
      case "answer": {
        const eventKey = next.keyed ? `event-${++events}` : null;
        const attempt: Recorded = {
          questionId: questionIds[next.question] ?? "missing",
          response: next.correct ? "right" : "wrong",
          correct: next.correct,
          eventKey,
          at: t.clock.now(),
          points: next.correct ? next.points : 0,
          reason: "property test",
        };
        await answerAs(t, next.learner, attempt);
        if (eventKey) keyed.push({ learner: next.learner, attempt });
        break;
      }
      case "daily":
        for (let day = 0; day < next.days; day++) {
          await answerAs(t, next.learner, {
            questionId: questionIds[(next.first + day) % questionIds.length] ?? "missing",
            response: "right",
            correct: true,
            eventKey: null,
            at: t.clock.now(),
            points: 10,
            reason: "property test",
          });
          t.clock.set(new Date(t.clock.now().getTime() + 24 * hour));
        }
        break;
      case "retry": {
        // A platform redelivers an event later, with the id it had the first time.
        const original = keyed[next.pick % Math.max(keyed.length, 1)];
        if (!original) break;
        const again = await answerAs(t, original.learner, { ...original.attempt, at: t.clock.now() });
        expect(again.stored, "a replayed event is not stored").toBe(false);
        break;
      }
      case "wait":
        t.clock.set(new Date(t.clock.now().getTime() + next.ms));
        break;
      case "timezone":
        if (as) await say(t, as, `/timezone ${next.zone}`);
        break;
      case "track-join":
        if (as) await say(t, as, `/track join ${next.track}`);
        break;
      case "track-leave":
        if (as) await say(t, as, "/track leave");
        break;
      case "cohort-join": {
        const space = learners[next.learner]?.space ?? "local";
        const names = cohortsBySpace[space] ?? [];
        const name = names[next.cohort % names.length]?.split(" ")[0];
        if (as && name) await say(t, as, `/cohort join ${name}`);
        break;
      }
      case "rebuild":
        await expectRebuildChangesNothing(t, `rebuild after step ${index}`, next.chunkSize);
        break;
    }
  }
  return t;
}

async function answerAs(t: TestCore, learnerIndex: number, attempt: Recorded) {
  const as = actorOf(learnerIndex);
  const ctx: CommandContext = { ...t.core, actor: as, eventKey: null };
  const identity =
    (await t.core.store.identities.find(as)) ?? (await t.core.store.identities.ensure(as, attempt.at));
  const { points, reason, ...given } = attempt;
  return recordAnswer(ctx, identity, given, { points, reason });
}

function boardOf(key: string): Board {
  if (key === "all") return { kind: "all" };
  if (key.startsWith("week:")) return { kind: "week", week: Number(key.slice("week:".length)) };
  return { kind: "track", trackId: key.slice("track:".length) };
}

/** Every board's own-rank lookups agree with its top list, and its size with its length. */
async function expectStandingsMatchTop(t: TestCore): Promise<void> {
  const boards = t.database.sqlite
    .prepare("SELECT DISTINCT cohort_id AS cohortId, board FROM board_entries")
    .all() as { cohortId: number; board: string }[];
  const { progress } = t.core.store;
  for (const { cohortId, board } of boards) {
    const top = await progress.top(cohortId, boardOf(board), 1000);
    expect(await progress.size(cohortId, boardOf(board))).toBe(top.length);
    for (const entry of top) {
      const own = await progress.standing(cohortId, boardOf(board), entry.member.id);
      expect(own?.rank, `${board} of cohort ${cohortId}, member ${entry.member.id}`).toBe(entry.rank);
    }
  }
}

describe("aggregates against a rebuild from the ledger", () => {
  it("given random answers, replayed events, zone changes, track and cohort moves and rebuilds, the kept aggregates equal the rebuilt ones, chunked or not", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 10, maxLength: 40, size: "max" }),
        fc.integer({ min: 1, max: 60 }),
        async (steps, chunkSize) => {
          const t = await run(steps);
          await expectStandingsMatchTop(t);
          await expectRebuildChangesNothing(t, "rebuild at the end", chunkSize);
          await expectStandingsMatchTop(t);
        },
      ),
      { numRuns: 50 },
    );
  });
});
