/** The requests the SQLite sandbox sends its engine children (child.ts), and their answers. */
import type { Outcome } from "../kit/outcome.js";

export interface RunJob {
  query: string;
  check?: string;
  allowWrites: boolean;
  /** Trusted: EXPLAIN QUERY PLAN of this runs after the learner's statements and the check. */
  planQuery: string | null;
  maxRows: number;
  maxResultBytes: number;
}

export type EngineRequest =
  | { type: "build"; datasetId: string; setup: string }
  | {
      type: "run";
      datasetId: string;
      /** The serialized dataset, sent only when this child does not hold it yet. */
      bytes?: Uint8Array;
      /** Datasets to drop first (the parent keeps the child's cache within its budget). */
      evict?: string[];
      job: RunJob;
    };

export type EngineReply =
  | { type: "built"; ok: true; bytes: Uint8Array }
  | { type: "built"; ok: false; message: string }
  | { type: "ran"; outcome: Outcome };
