/** The IPC messages between the sandbox (parent) and its child processes (child.ts). */

import type { FailureReason, ResultSet } from "../../core/sandbox.js";

/** What one attempt came to inside the child; the parent adds `elapsedMs`. */
export type AttemptOutcome =
  | { ok: true; result: ResultSet; plan: string[] | null; truncated: boolean }
  | { ok: false; reason: FailureReason; message: string };

export interface RunJob {
  query: string;
  check?: string;
  allowWrites: boolean;
  explain: boolean;
  maxRows: number;
  maxResultBytes: number;
  /** For PRAGMA hard_heap_limit (a no-op in today's better-sqlite3 build, see index.ts). */
  memoryMb: number;
}

export type ParentMessage =
  | { type: "build"; jobId: number; datasetId: string; setup: string; timeMs: number }
  | {
      type: "run";
      jobId: number;
      datasetId: string;
      /** The serialized dataset, sent only when this child does not hold it yet. */
      bytes?: Uint8Array;
      /** Drop every cached dataset first (the parent keeps the child's cache bounded). */
      resetCache?: boolean;
      timeMs: number;
      job: RunJob;
    };

export type ChildMessage =
  | { type: "ready"; dataLimitBytes: number | null }
  | { type: "built"; jobId: number; ok: true; bytes: Uint8Array }
  | { type: "built"; jobId: number; ok: false; message: string }
  | { type: "ran"; jobId: number; outcome: AttemptOutcome };
