/**
 * The one outcome type every engine's attempt comes to (in its child and in the bot's process), and
 * how the pool's refusals and a child's death become an outcome the learner reads: one wording for
 * each, whatever the engine.
 */
import type { FailureReason, Limits, ResultSet, RunOutcome } from "../../core/sandbox.js";
import type { Answer, Death, Refusal } from "../pool/pool.js";

export type Failure = { ok: false; reason: FailureReason; message: string };
/** An attempt's outcome before its elapsed time is added. */
export type Outcome = { ok: true; result: ResultSet; plan: string[] | null; truncated: boolean } | Failure;
/** A value an attempt needs (a parsed dataset, checked statements), or why there is none. */
export type Result<T> = { ok: true; value: T } | Failure;

export const fail = (reason: FailureReason, message: string): Failure => ({ ok: false, reason, message });

/** What an attempt on a closed sandbox gets. */
export const closedFailure = (): Failure => fail("unavailable", "the sandbox is closed");

/** The pool did not run the attempt: why, as the learner hears it. Never counted as an attempt. */
export function refusalOutcome(refusal: Refusal): Failure {
  switch (refusal.refused) {
    case "pending":
      return fail("busy", "Still grading your last query; wait for its result, then submit again.");
    case "busy":
      return fail("busy", "The grader is busy right now; try again in a moment.");
    case "unavailable":
      return fail("unavailable", refusal.message);
  }
}

/** The child gave no answer: it ran out of time or memory, or the engine stopped. */
export function deathOutcome(death: Death, limits: Limits): Failure {
  switch (death.kind) {
    case "unsent":
      return fail("unavailable", "the engine restarted before it got the query; nothing ran");
    case "timeout":
      return fail("timeout", `the query ran longer than ${limits.timeMs} ms and was stopped`);
    case "memory":
      return fail("memory", `the query used more memory than the sandbox allows and was stopped`);
    case "crash":
      return fail("runtime", "the query stopped the database engine; it was restarted");
    case "closed":
      return closedFailure();
  }
}

/**
 * A child's answer to a run request as an outcome: its death, or the outcome its reply carries
 * (`outcomeOf` gives undefined for a reply of another kind, which never happens in turn).
 */
export function answerOutcome<Reply>(
  answer: Answer<Reply>,
  limits: Limits,
  outcomeOf: (reply: Reply) => Outcome | undefined,
): Outcome {
  if (!answer.ok) return deathOutcome(answer.death, limits);
  return outcomeOf(answer.body) ?? outOfTurn();
}

/** A child answered a request with a reply meant for another. */
export const outOfTurn = (): Failure => fail("unavailable", "the engine answered out of turn");

/** Runs an attempt and stamps its elapsed time; a thrown error becomes "unavailable". */
export async function timed(attempt: () => Promise<Outcome>): Promise<RunOutcome> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await attempt();
  } catch (error) {
    outcome = fail(
      "unavailable",
      `the sandbox failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { ...outcome, elapsedMs: Math.round(performance.now() - started) };
}
