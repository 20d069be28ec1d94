/** The requests the MongoDB sandbox sends its engine children (child.ts), and their answers. */
import type { Outcome } from "../kit/outcome.js";
import type { TextIndexes } from "./text-index.js";

export type Doc = Record<string, unknown>;

/** Collection name → documents (Dates already revived). */
export type Collections = Record<string, Doc[]>;

/** A dataset as the worker receives it: its collections and the text indexes it declares. */
export interface MongoDataset {
  collections: Collections;
  textIndexes: TextIndexes;
}

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
  | { type: "load"; datasetId: string; dataset: MongoDataset; evict: string[] }
  | RunMessage;

export type EngineReply = { type: "loaded" } | { type: "done"; outcome: Outcome };
