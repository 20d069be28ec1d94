import type { Cohort } from "../../../src/core/ports/cohorts.js";
import type { Member } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import { type AggregateSnapshot, aggregateTables } from "../../aggregate-snapshot.js";
import { actor } from "../../helpers.js";
import { answer, at, cohortOf, learnerIn } from "./learners.js";

// A few weeks of a study group recorded through a store's own ports, acts to record more while a
// rebuild runs, drift to put right, and the aggregate tables read back for comparison.

export interface World {
  cohorts: Cohort[];
  /** Learners in a cohort, and one in none (the last). */
  learners: Member[];
  /** The next free minute after the base instant (answers go forward in time). */
  minute: number;
}

const tracks = ["dba", "sql-developer"];
const users = ["ana", "bo", "cy", "di", "ed", "fay", "gus", "hal"];

/** Three cohorts (the last left empty), learners on two tracks (some on none), one learner in no cohort. */
export async function seedWorld(store: Store, random: () => number, answers = 90): Promise<World> {
  const cohorts = [
    await cohortOf(store, "north"),
    await cohortOf(store, "south"),
    await cohortOf(store, "east"),
  ];
  const learners: Member[] = [];
  for (const [i, user] of users.entries()) {
    const learner = await learnerIn(store, user, cohorts[i % 2] as Cohort);
    if (i % 3 !== 2) await store.tracks.join(learner.id, tracks[i % 2] as string, at(0));
    learners.push(learner);
  }
  const { member: loner } = await store.identities.ensure(actor("ivy"), at(0));
  learners.push(loner);
  const world = { cohorts, learners, minute: 1 };
  for (let i = 0; i < answers; i++) await act(store, world, random, i % 9 === 8 ? "move" : "answer");
  return world;
}

/**
 * One learner answers (right or wrong, one of eight questions, in the cohort's week of that
 * moment) or moves (another cohort, another track, or off their track); time moves on by up to a day.
 */
export async function act(store: Store, world: World, random: () => number, kind: "answer" | "move") {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const learner = pick(world.learners);
  const minute = world.minute;
  world.minute += 1 + Math.floor(random() * 1_800);
  if (kind === "answer") {
    const correct = random() < 0.6;
    const recorded = await answer(store, learner, {
      minute,
      question: pick(["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]),
      correct,
      points: correct ? pick([10, 20, 35]) : 0,
      week: 1 + Math.floor(minute / (7 * 1440)),
    });
    if (!recorded.stored) throw new Error(`answer not stored: ${recorded.why}`);
    return;
  }
  const move = random();
  if (move < 0.4) await store.cohorts.join(learner.id, pick(world.cohorts).id);
  else if (move < 0.8) await store.tracks.join(learner.id, pick(tracks), at(minute));
  else await store.tracks.leave(learner.id, at(minute));
}

type Query = (statement: string) => Promise<unknown[]>;
type Write = (statement: string) => Promise<unknown>;

/** Every row of every aggregate table in a fixed order, through SQL both engines read the same. */
export async function aggregateRows(query: Query): Promise<AggregateSnapshot> {
  const rows = (table: keyof typeof aggregateTables) =>
    query(`SELECT * FROM ${table} ORDER BY ${aggregateTables[table]}`);
  return {
    board_entries: await rows("board_entries"),
    board_counts: await rows("board_counts"),
    board_day_counts: await rows("board_day_counts"),
    streaks: await rows("streaks"),
    activity_days: await rows("activity_days"),
    question_stats: await rows("question_stats"),
  };
}

/**
 * Aggregates as a bug might leave them (SQL both engines run): counts and entries off, rows missing,
 * rows the ledger never made, entries on a cohort the learner is not in, tallies dropped.
 */
export async function scramble(query: Query, write: Write, world: World): Promise<void> {
  const [north, south, east] = world.cohorts.map((c) => c.id);
  const ana = world.learners[0]?.id;
  const loner = world.learners.at(-1)?.id;
  const { id: mod } = (await query("SELECT id FROM members WHERE external_id = 'north-mod'"))[0] as {
    id: number;
  };
  for (const statement of [
    `UPDATE board_counts SET members = members + 3 WHERE (cohort_id, board, points) IN (
       SELECT cohort_id, board, points FROM board_counts ORDER BY 1, 2, 3 LIMIT 2)`,
    `DELETE FROM board_day_counts WHERE (cohort_id, board, points, day) IN (
       SELECT cohort_id, board, points, day FROM board_day_counts ORDER BY 1, 2, 3, 4 LIMIT 3)`,
    "UPDATE board_entries SET points = points + 7 WHERE member_id % 2 = 0",
    "DELETE FROM board_entries WHERE member_id % 2 = 1 AND board LIKE 'track:%'",
    "UPDATE streaks SET current = current + 1 WHERE member_id % 2 = 1",
    `UPDATE streaks SET current = 99, last_unit = NULL WHERE (member_id, unit) IN (
       SELECT member_id, unit FROM streaks ORDER BY 1, 2 LIMIT 2)`,
    "UPDATE activity_days SET activities = activities + 1 WHERE member_id % 3 = 0",
    `DELETE FROM activity_days WHERE (member_id, day) IN (SELECT member_id, day FROM activity_days ORDER BY 1, 2 LIMIT 2)`,
    `UPDATE question_stats SET attempts = attempts + 1 WHERE (cohort_id, question_id) IN (
       SELECT cohort_id, question_id FROM question_stats ORDER BY 1, 2 LIMIT 2)`,
    `DELETE FROM question_stats WHERE (cohort_id, question_id) IN (
       SELECT cohort_id, question_id FROM question_stats ORDER BY 1, 2 DESC LIMIT 2)`,
    `INSERT INTO board_counts VALUES (${north}, 'week:99', 5, 2)`,
    `INSERT INTO board_day_counts VALUES (${north}, 'week:99', 5, 1, 2)`,
    `INSERT INTO board_entries VALUES (${south}, 'week:98', ${ana}, 40, 0) ON CONFLICT DO NOTHING`,
    `INSERT INTO board_entries VALUES (${east}, 'all', ${ana}, 40, 0) ON CONFLICT DO NOTHING`,
    `INSERT INTO streaks VALUES (${ana}, 'week', 1, 1, '2020-01-06', 0)
     ON CONFLICT (member_id, unit) DO UPDATE SET last_unit = excluded.last_unit`,
    `INSERT INTO streaks VALUES (${mod}, 'day', 1, 1, '2020-01-01', 0)`,
    `INSERT INTO activity_days VALUES (${loner}, '2020-01-01', 4), (${mod}, '2020-01-01', 4)`,
    `INSERT INTO question_stats VALUES (${south}, 'no-such-question', 3, 1)`,
  ]) {
    await write(statement);
  }
}
