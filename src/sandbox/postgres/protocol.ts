/** The requests the PostgreSQL sandbox sends its engine children (child.ts), and their answers. */
import type { Outcome } from "../kit/outcome.js";

/** The first message of every child. */
export interface EngineInit {
  /** A data-directory dump with the sandbox's grants in place; null: make one (initdb) and send it back. */
  template: Uint8Array | null;
  /** PostgreSQL's max_stack_depth for the session, in kB. */
  maxStackDepthKb: number;
}

/** What a child sends with "ready". */
export interface EngineReadyInfo {
  /** The dump it made, when it started without one. */
  template?: Uint8Array;
}

export type EngineRequest =
  /** Create the dataset's role and schema and run its (trusted) setup as that role. */
  | { type: "load"; schema: string; role: string; setup: string }
  | {
      type: "run";
      schema: string;
      role: string;
      /** The learner's statements, as the policy split and checked them (one protocol message each). */
      statements: string[];
      /** Trusted: run after the learner's statements; the last one's result is graded. */
      check: string[];
      /** Trusted: EXPLAINed last, on the state the learner's statements left. */
      planQuery: string | null;
      allowWrites: boolean;
      maxRows: number;
      memoryMb: number;
      maxResultBytes: number;
    };

export type EngineReply =
  | { type: "loaded"; ok: true }
  | { type: "loaded"; ok: false; message: string; fatal: boolean }
  /** `fatal` is set when the engine may be damaged or its state changed: the child is replaced. */
  | { type: "result"; outcome: Outcome; fatal: string | null };
