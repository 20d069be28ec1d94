/** What a lane and the pool are made with, and what a job gets. */
import type { Engine } from "../../core/sandbox.js";
import type { Answer, ProcessLimits } from "./engine-process.js";

/** What a job gets: one child, to which it may send requests. */
export interface ChildHandle<Reply = unknown> {
  readonly pid: number | undefined;
  readonly held: Map<string, unknown>;
  readonly readyInfo: unknown;
  request(body: unknown, timeoutMs: number): Promise<Answer<Reply>>;
  /** This child may be damaged or hold state: it is replaced once the job ends. */
  retire(): void;
}

export type Refusal =
  /** This learner already has an attempt queued or running on this engine. */
  | { refused: "pending" }
  /** The queue is full. */
  | { refused: "busy" }
  | { refused: "unavailable"; message: string };

export interface LaneOptions {
  engine: Engine;
  /**
   * Attempts that run at once, each in a child of its own. Children start as attempts need them:
   * one at first, another each time attempts have waited `growAfterMs` with every child busy, up
   * to `size`; they stop when the lane rests.
   */
  size: number;
  /** Started children kept beyond `size`, so a killed one is replaced without waiting. */
  spares?: number | (() => number);
  /** Attempts that may wait. */
  queueCapacity: number;
  /** The process limits for children started for an attempt memory of `memoryMb`. */
  limits: (memoryMb: number) => ProcessLimits;
  startTimeoutMs: number;
  /** The first message of every new child (default: nothing). */
  init?: () => unknown;
  /** Called with each new child once it is ready, before it takes a job (e.g. to keep what it sent). */
  prepare?: (child: ChildHandle) => Promise<void>;
}

export interface PoolOptions {
  /** How often the watchdog samples resident memory (default 10 ms). */
  watchdogIntervalMs?: number;
  /** Told how long each attempt waited for a child. */
  onQueueWait?: (engine: Engine, seconds: number) => void;
  /** A lane with nothing to do for this long stops its children; the next attempt starts them again. */
  idleMs?: number;
  /**
   * Attempts waiting this long while every child of a lane is busy start another child (default
   * 50 ms): a learner's attempt and its reference, a few milliseconds each, share one child.
   */
  growAfterMs?: number;
}
