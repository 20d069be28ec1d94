/**
 * The memory each engine process may use: the attempt's own memory (`Limits.memoryMb`) plus what
 * the engine itself needs (Node, the engine's code, cached datasets). One table, so the limits the
 * lanes enforce and the ones SECURITY.md and the README state are the same numbers.
 */
import type { Engine } from "../../core/sandbox.js";
import type { ProcessLimits } from "./engine-process.js";

/** Resident memory an engine process needs beyond the attempt's memory, in MiB. */
export const engineOverheadMb: Record<Engine, number> = {
  sqlite: 320,
  mongodb: 192,
  redis: 320,
  postgres: 576,
};

/** The first PostgreSQL process runs initdb to make the template (and serves no attempt): this much more. */
export const postgresTemplateExtraMb = 512;

/**
 * The documented limit: an engine process never passes this resident memory, in MiB. The watchdog
 * kills it earlier, `watchdogHeadroomMb` below, so growth between two samples stays under it.
 */
export function processLimitMb(engine: Engine, memoryMb: number): number {
  return memoryMb + engineOverheadMb[engine];
}

export const watchdogHeadroomMb = 64;

/** Every limit of one engine process started for attempts of `memoryMb`. */
export function processLimits(
  engine: Engine,
  memoryMb: number,
  options: { firstPostgres?: boolean } = {},
): ProcessLimits {
  const rssMb = processLimitMb(engine, memoryMb) - watchdogHeadroomMb;
  const common = { cpuSeconds: 3_600, rssMb };
  switch (engine) {
    case "sqlite":
      // SQLite allocates outside V8: RLIMIT_DATA makes its allocations fail cleanly ("out of memory").
      return {
        ...common,
        heapMb: Math.max(64, memoryMb),
        dataMb: memoryMb + 256,
        stackMb: 8,
        recycleRssMb: memoryMb + 160,
      };
    case "mongodb":
      return { ...common, heapMb: memoryMb, dataMb: rssMb + 512, stackMb: 8, recycleRssMb: memoryMb + 64 };
    case "redis":
      return {
        ...common,
        heapMb: memoryMb + 128,
        dataMb: rssMb + 512,
        stackMb: 8,
        recycleRssMb: memoryMb + 192,
      };
    case "postgres": {
      const extra = options.firstPostgres ? postgresTemplateExtraMb : 0;
      return {
        ...common,
        rssMb: rssMb + extra,
        heapMb: 256,
        dataMb: rssMb + extra + 1024,
        // PGlite's deep recursion runs through its JavaScript glue on the main thread's stack.
        stackMb: 64,
        // An engine rests at about 135–185 MB (with datasets loaded); WebAssembly memory an attempt
        // grew is never handed back (one that used its whole allowance left 390–450 MB): such an
        // engine is replaced rather than kept.
        recycleRssMb: 256 + memoryMb / 4,
      };
    }
  }
}
