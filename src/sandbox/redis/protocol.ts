/** The requests the Redis sandbox sends its engine children (child.ts), and their answers. */
import type { Failure, Outcome } from "../kit/outcome.js";
import type { Attempt, ScriptLimits } from "./interpreter.js";
import type { Snapshot } from "./store.js";

export type EngineRequest =
  /** Run a dataset's setup once; the child keeps the result and sends a copy back. */
  | { kind: "build"; datasetId: string; setup: string; memoryBytes: number }
  /** Adopt a dataset another child built. */
  | { kind: "load"; datasetId: string; snapshot: Snapshot }
  | { kind: "run"; datasetId: string; attempt: Attempt; limits: ScriptLimits; memoryBytes: number };

export type EngineReply =
  | { kind: "built"; outcome: { ok: true; snapshot: Snapshot } | Failure }
  | { kind: "loaded" }
  | { kind: "done"; outcome: Outcome };
