import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Metrics } from "../core/ports/metrics.js";

export interface MetricsSources {
  /** Jobs waiting or being sent in the outbound queue. */
  queueDepth(): number;
  /** Bytes on disk of the database with its write-ahead log; undefined for an in-memory one. */
  databaseBytes(): number | undefined;
}

export interface PrometheusMetrics {
  /** What the core reports into. */
  metrics: Metrics;
  /** How long an attempt waited in its engine's queue (reported by the sandbox pool). */
  sandboxQueueWait(engine: string, seconds: number): void;
  /** The text the /metrics endpoint serves. */
  render(): Promise<string>;
  contentType: string;
}

/** Handling times: most commands take milliseconds; a slow render or a sandbox run takes seconds. */
const COMMAND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Grading runs a query in a sandbox, with a time limit of a few seconds. */
const GRADING_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus side of the core's metrics, on a registry of its own (no global state, so tests
 * and a restarted adapter never see another instance's counts).
 */
export function createPrometheusMetrics(sources: MetricsSources): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: "quorum_commands_total",
    help: "Commands handled, by command and outcome (ok, invalid, refused, error, draining).",
    labelNames: ["command", "outcome"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "quorum_command_duration_seconds",
    help: "Time to handle one command, from dispatch to reply message.",
    labelNames: ["command"] as const,
    buckets: COMMAND_BUCKETS,
    registers: [registry],
  });
  const grading = new Histogram({
    name: "quorum_grading_duration_seconds",
    help: "Time to grade one challenge submission, by engine and verdict.",
    labelNames: ["engine", "verdict"] as const,
    buckets: GRADING_BUCKETS,
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: "quorum_sandbox_queue_wait_seconds",
    help: "Time an attempt waited in its engine's queue for a sandbox process, by engine.",
    labelNames: ["engine"] as const,
    buckets: GRADING_BUCKETS,
    registers: [registry],
  });
  const posts = new Counter({
    name: "quorum_posts_total",
    help: "Scheduled posts by platform and outcome (sent, failed, skipped).",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  });
  const sending = new Gauge({
    name: "quorum_sending",
    help: "1 on the process that sends the platform's scheduled posts now, 0 on the others.",
    labelNames: ["platform"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "quorum_outbound_queue_depth",
    help: "Posts and notices waiting in, or being sent by, the outbound queue.",
    registers: [registry],
    collect() {
      this.set(sources.queueDepth());
    },
  });
  new Gauge({
    name: "quorum_database_size_bytes",
    help: "Size on disk of the SQLite database, its write-ahead log included.",
    registers: [registry],
    collect() {
      const bytes = sources.databaseBytes();
      if (bytes !== undefined) this.set(bytes);
    },
  });

  return {
    metrics: {
      commandHandled(command, outcome, seconds) {
        commands.inc({ command, outcome });
        latency.observe({ command }, seconds);
      },
      challengeGraded(engine, verdict, seconds) {
        grading.observe({ engine, verdict }, seconds);
      },
      postFinished(platform, outcome) {
        posts.inc({ platform, outcome });
      },
      sendingChanged(platform, now) {
        sending.set({ platform }, now ? 1 : 0);
      },
    },
    sandboxQueueWait(engine, seconds) {
      queueWait.observe({ engine }, seconds);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
