/**
 * The port through which the core runs a learner's query. Implementations live in
 * src/sandbox/<engine>: each runs untrusted input in a restricted child process that can be
 * killed, never against the bot's database, with time, memory, row and size limits, one attempt
 * per learner per engine at a time, and never lets a write outlive the attempt.
 */

export const engines = ["sqlite", "postgres", "mongodb", "redis"] as const;
export type Engine = (typeof engines)[number];

/** A value as it comes back from an engine; nested values arrive as canonical JSON strings. */
export type Cell = string | number | boolean | null;

export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

/**
 * The data a challenge runs on, built once per sandbox and cloned (not rebuilt) per attempt.
 * `setup` by engine: sqlite and postgres, an SQL script; mongodb, a JSON object of
 * collection name → array of documents ({"$date": "…"} for dates); redis, one command per line.
 */
export interface Dataset {
  id: string;
  engine: Engine;
  setup: string;
}

export interface RunRequest {
  dataset: Dataset;
  /**
   * What the learner wrote. sqlite/postgres: SQL. mongodb: mongosh-style
   * `db.<collection>.find(<filter>[, <projection>])[.sort(…)][.limit(n)][.skip(n)]`,
   * `db.<collection>.aggregate([…])` or `db.<collection>.countDocuments(<filter>)`, with JSON5
   * arguments (never evaluated as JavaScript). redis: one command per line.
   */
  query: string;
  /** Only tasks that ask for writes allow them; either way nothing survives the attempt. */
  allowWrites: boolean;
  /** Run after the query on the same (changed) state; for write tasks this is what gets graded. */
  check?: string;
  /**
   * Trusted: a query whose plan is returned, explained on the state the learner's statements
   * (and the check) left: EXPLAIN (postgres), EXPLAIN QUERY PLAN (sqlite). Never the learner's text.
   */
  planQuery?: string;
  /**
   * Who submitted it (an opaque key): a learner has at most one attempt per engine queued or
   * running, and learners are served in turn. Absent for the bot's own runs (references, the CLI).
   */
  learner?: string;
}

export interface Limits {
  /** Wall time for the whole attempt; a runaway query is killed, not awaited. */
  timeMs: number;
  /** Rows returned at most; more are cut and `truncated` is set. */
  maxRows: number;
  /** Query text (and check text) in bytes at most; longer is refused before running. */
  maxQueryBytes: number;
  /** Memory the attempt may use, in MiB, as far as the engine lets it be bounded. */
  memoryMb: number;
}

export const defaultLimits: Limits = { timeMs: 2_000, maxRows: 1_000, maxQueryBytes: 16_384, memoryMb: 256 };

export type FailureReason =
  /** The engine rejected the text: the message is the engine's own. */
  | "syntax"
  /** The engine failed while running it (division by zero, missing table, wrong type). */
  | "runtime"
  /** It asked for something the sandbox never allows (ATTACH, COPY … PROGRAM, $where, EVAL, …). */
  | "blocked"
  /** A write in a task that does not ask for one. */
  | "read-only"
  | "timeout"
  | "too-large"
  | "memory"
  /** Not run: the learner's previous attempt is still being graded, or the queue is full. Not counted. */
  | "busy"
  /** The sandbox itself could not run (failed to start): not the learner's fault. */
  | "unavailable";

export type RunOutcome =
  | {
      ok: true;
      result: ResultSet;
      /** The plan lines of `planQuery` when one was given, else null. */
      plan: string[] | null;
      truncated: boolean;
      elapsedMs: number;
    }
  | { ok: false; reason: FailureReason; message: string; elapsedMs: number };

export interface Sandbox {
  readonly engine: Engine;
  /** May be called concurrently; implementations queue or pool. Never throws for bad input. */
  run(request: RunRequest, limits: Limits): Promise<RunOutcome>;
  /** Stops every process or worker it started. */
  close(): Promise<void>;
}
