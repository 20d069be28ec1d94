import type { Logger } from "../core/ports/logger.js";
import type { WorkGate } from "../core/work-gate.js";

/** The whole shutdown fits in this; orchestrators usually wait 10 s after SIGTERM before SIGKILL. */
export const SHUTDOWN_DEADLINE_MS = 10_000;
/** Kept back from the deadline for closing adapters, sandboxes and the database. */
const CLOSING_RESERVE_MS = 1_500;

export interface ShutdownSteps {
  /** Stops taking new work at the source: timers, input, listeners. */
  stopIntake(): Promise<void>;
  /** Counts commands and events in flight; closing turns new ones away. */
  gate: WorkGate;
  /** Sends in flight finish; queued ones are dropped (their posts stay claimed and go out after restart). */
  closeQueue(): Promise<number>;
  /** Closes adapters, sandboxes, the HTTP listener and, last, the database. */
  release(): Promise<void>;
  logger: Logger;
  deadlineMs?: number;
}

export interface ShutdownReport {
  /** Everything in flight finished before the deadline. */
  finished: boolean;
  /** Queued posts not started (sent after restart). */
  dropped: number;
}

function within<T>(work: Promise<T>, ms: number, late: T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(late), Math.max(0, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Stop taking work, let what was taken finish (so every acknowledged answer is stored and its
 * reply sent), then close everything, all within the deadline.
 */
export async function shutDown(steps: ShutdownSteps, started = Date.now()): Promise<ShutdownReport> {
  const deadline = started + (steps.deadlineMs ?? SHUTDOWN_DEADLINE_MS) - CLOSING_RESERVE_MS;
  const left = () => deadline - Date.now();
  const { logger, gate } = steps;
  logger.info({ inFlight: gate.inFlight }, "shutting down: taking no new work, finishing what is in flight");
  // Closed first: a request still arriving while listeners close is turned away, not run.
  const settled = gate.close(left());
  await within(steps.stopIntake(), left(), undefined);
  const finished = await settled;
  if (!finished) logger.warn({ inFlight: gate.inFlight }, "shutdown deadline reached with work in flight");
  const dropped = await within(steps.closeQueue(), left(), 0);
  await steps.release();
  logger.info({ finished, dropped }, "stopped");
  return { finished, dropped };
}
