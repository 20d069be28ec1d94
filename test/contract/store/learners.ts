import type { Attempt } from "../../../src/core/ports/answers.js";
import type { Cohort } from "../../../src/core/ports/cohorts.js";
import type { Member } from "../../../src/core/ports/identity.js";
import type { Board } from "../../../src/core/ports/progress.js";
import type { Store } from "../../../src/core/ports/store.js";
import { defaultModuleSchedule } from "../../../src/core/schedules/timeline.js";
import { decideAttempt } from "../../../src/core/services/record-answer.js";
import { actor } from "../../helpers.js";

// Cohorts, learners and answers set up through the store's own ports, for the progress contract tests.

export const all: Board = { kind: "all" };
export const week = (n: number): Board => ({ kind: "week", week: n });
export const track = (trackId: string): Board => ({ kind: "track", trackId });

const base = Date.parse("2026-03-04T10:00:00Z");
export const MINUTES_PER_DAY = 1440;
/** `n` minutes after the base instant, Wednesday 4 March 2026 10:00 UTC. */
export const at = (n: number) => new Date(base + n * 60_000);
/** A March 2026 calendar date. */
export const march = (n: number) => `2026-03-${String(n).padStart(2, "0")}`;

export async function cohortOf(store: Store, name: string, space = "local"): Promise<Cohort> {
  const { space: where, member } = await store.identities.ensure(
    actor(`${name}-mod`, { spaceExternalId: space }),
    at(0),
  );
  const created = await store.cohorts.create({
    spaceId: where.id,
    name,
    startDate: "2026-03-02",
    timezone: "UTC",
    channelExternalId: null,
    createdBy: member.id,
    at: at(0),
    moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC"),
  });
  if (!created.ok) throw new Error(`cohort ${name} not created`);
  return created.value;
}

export async function learnerIn(
  store: Store,
  user: string,
  cohort: Cohort,
  space = "local",
): Promise<Member> {
  const { member } = await store.identities.ensure(actor(user, { spaceExternalId: space }), at(0));
  await store.cohorts.join(member.id, cohort.id);
  return { ...member, cohortId: cohort.id };
}

export interface Answer {
  minute: number;
  question?: string;
  points?: number;
  correct?: boolean;
  week?: number;
  /** The learner's local day; the answer's UTC day unless told. */
  day?: string;
  eventKey?: string;
}

/** Records one answer with the core's decision, for the week and day given (the store takes them as told). */
export function answer(store: Store, learner: Member, a: Answer) {
  const correct = a.correct ?? (a.points ?? 10) > 0;
  const attempt: Attempt = {
    spaceId: learner.spaceId,
    memberId: learner.id,
    questionId: a.question ?? `q-${a.minute}`,
    response: correct ? "right" : "wrong",
    correct,
    eventKey: a.eventKey ?? null,
    at: at(a.minute),
  };
  const clock = { week: a.week ?? 1, day: a.day ?? at(a.minute).toISOString().slice(0, 10) };
  const offer = { points: correct ? (a.points ?? 10) : 0, reason: "contract" };
  return store.answers.record(attempt, (before) =>
    decideAttempt(before, before.cohortId, clock, correct, offer),
  );
}

/** The board as `[name, points]` pairs, best first. */
export async function standings(store: Store, cohort: Cohort, board: Board): Promise<[string, number][]> {
  return (await store.progress.top(cohort.id, board, 1000)).map((s) => [s.member.displayName, s.points]);
}
