/** Messages between the postgres sandbox and its PGlite worker threads. */
import type { Cell, FailureReason } from "../../core/sandbox.js";

export interface WorkerBoot {
  /** PostgreSQL's max_stack_depth for the session, in kB. */
  maxStackDepthKb: number;
}

export type ToWorker =
  | { type: "load"; id: number; datasetId: string; schema: string; setup: string }
  | {
      type: "run";
      id: number;
      schema: string;
      /** The learner's statements, split and checked by the parent. */
      statements: string[];
      /** Index of the statement to EXPLAIN before it runs, or -1. */
      explainIndex: number;
      /** The check's statements (trusted), or null. */
      check: string[] | null;
      allowWrites: boolean;
      maxRows: number;
      memoryMb: number;
      maxResultBytes: number;
    };

export type WorkerOutcome =
  | { ok: true; columns: string[]; rows: Cell[][]; truncated: boolean; plan: string[] | null }
  | { ok: false; reason: FailureReason; message: string };

export type FromWorker =
  | { type: "ready"; wasmBytes: number }
  | { type: "boot-failed"; message: string }
  | { type: "loaded"; id: number; ok: true }
  | { type: "loaded"; id: number; ok: false; message: string; fatal: boolean }
  /** `fatal` is set when the engine may be damaged: the parent must replace this worker. */
  | { type: "result"; id: number; outcome: WorkerOutcome; fatal: string | null; wasmBytes: number };
