/**
 * What every engine's sandbox shares: the pre-flight size check, and how the pool's refusals and a
 * child's death become an outcome the learner reads. One wording for each, whatever the engine.
 */
import type { Engine, FailureReason, Limits, ResultSet, RunOutcome, RunRequest } from "../core/sandbox.js";
import type { ChildHandle, Death, Lane, Refusal } from "./pool/pool.js";

export type Failure = { ok: false; reason: FailureReason; message: string };
/** An attempt's outcome before its elapsed time is added. */
export type Outcome = { ok: true; result: ResultSet; plan: string[] | null; truncated: boolean } | Failure;

export const fail = (reason: FailureReason, message: string): Failure => ({ ok: false, reason, message });

/** Refuses a request for the wrong engine or with text over the size limit, before anything runs. */
export function preflight(engine: Engine, request: RunRequest, limits: Limits): Failure | null {
  if (request.dataset.engine !== engine)
    return fail(
      "unavailable",
      `dataset ${request.dataset.id} is for ${request.dataset.engine}, not ${engine}`,
    );
  for (const [what, text] of [
    ["query", request.query],
    ["check", request.check],
  ] as const) {
    if (typeof text !== "string") continue;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > limits.maxQueryBytes)
      return fail(
        "too-large",
        `the ${what} is ${bytes} bytes, longer than the ${limits.maxQueryBytes} bytes a submission may have`,
      );
  }
  if (request.query.trim() === "") return fail("syntax", "the query is empty");
  return null;
}

function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && "refused" in value;
}

/** Runs `job` on one of the lane's children in the learner's turn; the pool's refusals become outcomes. */
export async function onLane<Reply>(
  lane: Lane,
  request: RunRequest,
  limits: Limits,
  job: (child: ChildHandle<Reply>) => Promise<Outcome>,
): Promise<Outcome> {
  const result = await lane.run(request.learner, limits.memoryMb, (child) =>
    job(child as ChildHandle<Reply>),
  );
  return isRefusal(result) ? refusalOutcome(result) : result;
}

/** The pool did not run the attempt: why, as the learner hears it. Never counted as an attempt. */
function refusalOutcome(refusal: Refusal): Failure {
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
      return fail("unavailable", "the sandbox is closed");
  }
}

/** Whole, positive limits (a fractional memory size would break `ulimit`). */
export function saneLimits(limits: Limits, defaults: Limits): Limits {
  const whole = (value: number, fallback: number, min: number): number =>
    Number.isFinite(value) ? Math.max(min, Math.ceil(value)) : fallback;
  return {
    timeMs: whole(limits.timeMs, defaults.timeMs, 1),
    maxRows: whole(limits.maxRows, defaults.maxRows, 0),
    maxQueryBytes: whole(limits.maxQueryBytes, defaults.maxQueryBytes, 0),
    memoryMb: whole(limits.memoryMb, defaults.memoryMb, 16),
  };
}

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
