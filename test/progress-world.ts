import { expect } from "vitest";
import type { CommandContext } from "../src/core/commands/command.js";
import { handleText } from "../src/core/dispatch.js";
import type { Cohort } from "../src/core/ports/cohorts.js";
import type { Actor, Member } from "../src/core/ports/identity.js";
import type { Board } from "../src/core/ports/progress.js";
import type { Store } from "../src/core/ports/store.js";
import { defaultModuleSchedule } from "../src/core/schedules/timeline.js";
import { recordAnswer } from "../src/core/services/record-answer.js";
import type { OpenDatabase } from "../src/db/client.js";
import { rebuildAggregatesAtOnce } from "../src/db/rebuild.js";
import { createStore } from "../src/db/store.js";
import {
  type Answer,
  answer as answerWith,
  at,
  standings as standingsOf,
} from "./contract/store/learners.js";
import { actor, type TestCore, tempDatabase } from "./helpers.js";

// Learners, cohorts and answers on a real SQLite file, for the progress store's tests in src/db.

// Boards, instants and answers are the store contract suite's own (test/contract/store/learners.ts).
export { type Answer, all, at, track, week } from "./contract/store/learners.js";
export const minute = 60_000;

export interface World {
  database: OpenDatabase;
  store: Store;
}

export function world(): World {
  const database = tempDatabase();
  return { database, store: createStore(database.db) };
}

export async function cohortOf(w: World, name: string, space = "local", timezone = "UTC"): Promise<Cohort> {
  const { space: where, member } = await w.store.identities.ensure(
    actor(`${name}-mod`, { spaceExternalId: space }),
    at(0),
  );
  const created = await w.store.cohorts.create({
    spaceId: where.id,
    name,
    startDate: "2026-03-02",
    timezone,
    channelExternalId: null,
    createdBy: member.id,
    at: at(0),
    moduleSchedule: defaultModuleSchedule("2026-03-02", timezone),
  });
  if (!created.ok) throw new Error(`cohort ${name} not created`);
  return created.value;
}

export async function learnerIn(w: World, user: string, cohort: Cohort, space = "local"): Promise<Member> {
  const { member } = await w.store.identities.ensure(actor(user, { spaceExternalId: space }), at(0));
  await w.store.cohorts.join(member.id, cohort.id);
  return member;
}

/** A cohort "spring" (space "local", UTC) whose learners are ana, bo, cy and di. */
export async function springWithFourLearners(w: World) {
  const spring = await cohortOf(w, "spring");
  const ana = await learnerIn(w, "ana", spring);
  const bo = await learnerIn(w, "bo", spring);
  const cy = await learnerIn(w, "cy", spring);
  const di = await learnerIn(w, "di", spring);
  return { spring, ana, bo, cy, di };
}

/** Records one answer with the core's decision, for the week and day given (the store takes them as told). */
export const answer = (w: World, learner: Member, a: Answer) => answerWith(w.store, learner, a);

/** The board as `[name, points]` pairs, best first. */
export const standings = (w: World, cohort: Cohort, board: Board) => standingsOf(w.store, cohort, board);

const aggregateTables = [
  "board_entries",
  "board_counts",
  "board_day_counts",
  "streaks",
  "activity_days",
  "question_stats",
];

/** Every aggregate row, in an order that does not depend on how the rows were written. */
export function aggregates(database: OpenDatabase): Record<string, unknown[]> {
  return Object.fromEntries(
    aggregateTables.map((table) => [
      table,
      database.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all(),
    ]),
  );
}

export function expectRebuildAgrees(database: OpenDatabase): void {
  const kept = aggregates(database);
  rebuildAggregatesAtOnce(database.db);
  expect(aggregates(database)).toEqual(kept);
}

export async function say(t: TestCore, user: string, line: string): Promise<void> {
  const reply = await handleText(t.core, actor(user), line);
  expect(reply?.text ?? "", line).not.toMatch(/went wrong|There is no/);
}

export async function cohortNamed(t: TestCore, name: string): Promise<Cohort> {
  const space = await t.core.store.identities.findSpace(actor("mod"));
  const cohort = space && (await t.core.store.cohorts.findByName(space.id, name));
  if (!cohort) throw new Error(`no cohort ${name}`);
  return cohort;
}

let questions = 0;
/** Answers through the core's own recording, which works out the learner's day and the cohort's week. */
export async function coreAnswer(t: TestCore, who: Actor, points = 10) {
  const ctx: CommandContext = { ...t.core, actor: who, eventKey: null };
  const now = t.clock.now();
  const identity =
    (await t.core.store.identities.find(who)) ?? (await t.core.store.identities.ensure(who, now));
  return recordAnswer(
    ctx,
    identity,
    { questionId: `q${++questions}`, response: "right", correct: points > 0, eventKey: null, at: now },
    { points, reason: "test" },
  );
}

export const sortTallies = <T extends { questionId: string }>(rows: T[]) =>
  [...rows].sort((a, b) => a.questionId.localeCompare(b.questionId));
