import { z } from "zod";
import type { Parsed } from "./fields.js";
import { optional } from "./fields.js";

/** What one graded attempt may take, and how many may wait per engine. */
export const sandboxEnv = {
  SANDBOX_TIME_MS: z.coerce
    .number({ error: "must be milliseconds, e.g. 2000" })
    .int("must be a whole number of milliseconds")
    .min(100, "must be at least 100")
    .max(60_000, "must be at most 60000")
    .default(2_000),
  SANDBOX_MEMORY_MB: z.coerce
    .number({ error: "must be MiB, e.g. 256" })
    .int("must be a whole number of MiB")
    .min(32, "must be at least 32")
    .max(4_096, "must be at most 4096")
    .default(256),
  SANDBOX_MAX_ROWS: z.coerce
    .number({ error: "must be a number of rows, e.g. 1000" })
    .int("must be a whole number of rows")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .default(1_000),
  SANDBOX_QUEUE: z.coerce
    .number({ error: "must be a number of attempts, e.g. 64" })
    .int("must be a whole number of attempts")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000")
    .default(64),
  SANDBOX_IDLE_MS: z.coerce
    .number({ error: "must be milliseconds, e.g. 600000 (0: never)" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be 0 (never) or more")
    .max(86_400_000, "must be at most 86400000 (a day)")
    .default(600_000),
  SANDBOX_POSTGRES_SPARE: optional(
    z.enum(["off", "on", "auto"], {
      error: "must be off, on or auto (a spare only while the machine has memory available for it)",
    }),
  ),
  SANDBOX_POSTGRES_OPTIMIZE: optional(z.enum(["off", "on"], { error: "must be off or on" })),
};

/**
 * What one graded attempt may take, and how many may wait per engine.
 * `idleMs`: an engine with no attempt for this long stops its processes (0: never).
 */
export interface SandboxConfig {
  timeMs: number;
  memoryMb: number;
  maxRows: number;
  queueCapacity: number;
  idleMs: number;
  /**
   * Memory traded for PostgreSQL latency (both off by default): a started spare engine (`"auto"`:
   * only while the machine has room), and PGlite's code optimized by V8 (about 100 MB more per engine).
   */
  postgres: { spare: boolean | "auto"; optimize: boolean };
}

export function sandboxConfig(e: Parsed<typeof sandboxEnv>): SandboxConfig {
  return {
    timeMs: e.SANDBOX_TIME_MS,
    memoryMb: e.SANDBOX_MEMORY_MB,
    maxRows: e.SANDBOX_MAX_ROWS,
    queueCapacity: e.SANDBOX_QUEUE,
    idleMs: e.SANDBOX_IDLE_MS,
    postgres: {
      spare: e.SANDBOX_POSTGRES_SPARE === "auto" ? "auto" : e.SANDBOX_POSTGRES_SPARE === "on",
      optimize: e.SANDBOX_POSTGRES_OPTIMIZE === "on",
    },
  };
}
