/** The requests the MongoDB sandbox sends its engine children (child.ts), and their answers. */
import type { Outcome } from "../kit/outcome.js";

export type Doc = Record<string, unknown>;

/** A dataset as the worker receives it: collection name → documents (Dates already revived). */
export type Collections = Record<string, Doc[]>;

export interface RunMessage {
  type: "run";
  datasetId: string;
  query: string;
  check: string | null;
  allowWrites: boolean;
  /** Trusted: a query whose parsed stages are returned as the plan. */
  planQuery: string | null;
  maxRows: number;
  maxResultBytes: number;
}

export type EngineRequest =
  | { type: "load"; datasetId: string; collections: Collections; evict: string[] }
  | RunMessage;

export type EngineReply = { type: "loaded" } | { type: "done"; outcome: Outcome };
