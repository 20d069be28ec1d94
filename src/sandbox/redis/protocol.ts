/** Messages between the sandbox (parent) and its worker threads. */
import type { Attempt, AttemptOutcome, Failure, ScriptLimits } from "./interpreter.js";
import type { Snapshot } from "./store.js";

export type ToWorker =
  /** Run a dataset's setup once; the worker keeps the result and sends a copy back. */
  | { kind: "build"; datasetId: string; setup: string; memoryBytes: number }
  /** Adopt a dataset another worker built. */
  | { kind: "load"; datasetId: string; snapshot: Snapshot }
  | { kind: "run"; datasetId: string; attempt: Attempt; limits: ScriptLimits; memoryBytes: number };

export type FromWorker =
  | { kind: "ready" }
  | { kind: "built"; outcome: { ok: true; snapshot: Snapshot } | Failure }
  | { kind: "loaded" }
  | { kind: "done"; outcome: AttemptOutcome };
