import type { Platform } from "./identity.js";

/** How a command ended: handled, refused for its input or rights, failed on our side, or turned away. */
export type CommandOutcome = "ok" | "invalid" | "refused" | "error" | "draining";

export type PostOutcome = "sent" | "failed" | "skipped";

/** What the core reports as it works; main wires Prometheus counters, tests and benches pass nothing. */
export interface Metrics {
  commandHandled(command: string, outcome: CommandOutcome, seconds: number): void;
  challengeGraded(engine: string, verdict: string, seconds: number): void;
  postFinished(platform: Platform, outcome: PostOutcome): void;
  /** Whether this process now sends the platform's scheduled posts (one process at a time does). */
  sendingChanged(platform: Platform, sending: boolean): void;
}
