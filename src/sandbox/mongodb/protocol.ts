/** Messages between the sandbox (main thread) and its mingo worker. */
import type { Cell, FailureReason, ResultSet } from "../../core/sandbox.js";

export type { Cell };

export type Doc = Record<string, unknown>;

/** A dataset as the worker receives it: collection name → documents (Dates already revived). */
export type Collections = Record<string, Doc[]>;

export interface RunMessage {
  type: "run";
  jobId: number;
  datasetId: string;
  query: string;
  check: string | null;
  allowWrites: boolean;
  explain: boolean;
  maxRows: number;
  maxResultBytes: number;
}

export type ToWorker =
  | { type: "load"; datasetId: string; collections: Collections; evict: string[] }
  | RunMessage;

export type WorkerOutcome =
  | { ok: true; result: ResultSet; plan: string[] | null; truncated: boolean }
  | { ok: false; reason: FailureReason; message: string };

export type FromWorker = { type: "ready" } | { type: "done"; jobId: number; outcome: WorkerOutcome };
