/**
 * The SQLite sandbox: learner SQL runs in a pool of child processes (pool.ts, child.ts) on a fresh
 * in-memory copy of the dataset, deserialized from bytes built once per dataset id. Text that asks
 * for what the sandbox never allows (ATTACH, VACUUM, load_extension, PRAGMA …) is refused before
 * anything runs (sql-text.ts); read-only tasks run with `query_only` on a read-only copy.
 *
 * Limits as enforced: time by SIGKILL of the child at `timeMs` (a self-kill watchdog in the child
 * backs it up); memory by RLIMIT_DATA = memoryMb + overheadMb per child, so an attempt gets about
 * memoryMb plus what Node leaves of the headroom (~100 MB more under tsx, ~150 MB from dist).
 * SQLite's `hard_heap_limit` is NOT usable: better-sqlite3 builds with SQLITE_DEFAULT_MEMSTATUS=0,
 * which switches heap limits off.
 */

import {
  type Dataset,
  defaultLimits,
  type FailureReason,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { ChildPool, type JobResult } from "./pool.js";
import type { AttemptOutcome } from "./protocol.js";
import { blockedReason } from "./sql-text.js";

export interface SqliteSandboxOptions {
  /** Warm child processes (default 2: one per core on the bot's machine). */
  poolSize?: number;
  /** Memory limit the first children start with, in MiB (default: defaultLimits.memoryMb). */
  memoryMb?: number;
  /** Data-size headroom per child on top of the attempt's memory, for Node itself and cached datasets (MiB). */
  overheadMb?: number;
  /** Largest result (sum of cell sizes) sent back, in bytes (default 8 MiB). */
  maxResultBytes?: number;
  /** Time a dataset's setup script may take (default 30 s). */
  buildTimeMs?: number;
  /** Dataset bytes one child keeps cached before it starts over (default 64 MiB). */
  childCacheBytes?: number;
  /** Time a child may take to start (default 15 s). */
  startTimeoutMs?: number;
  /** Called each time a dataset is built from its setup script (a hook for tests and logs). */
  onDatasetBuild?: (datasetId: string) => void;
  /** Operational messages (child start failures and the like); default: none. */
  log?: (message: string) => void;
}

type Failure = { ok: false; reason: FailureReason; message: string };
type DatasetBytes = { ok: true; bytes: Buffer } | Failure;

export interface SqliteSandbox extends Sandbox {
  /** Pids of the child processes now running (for tests and diagnostics). */
  pids(): number[];
  /** Resolves when every child is warm and idle (at most `timeoutMs`, default 15 s); for start-up and tests. */
  settled(timeoutMs?: number): Promise<void>;
}

export function createSqliteSandbox(options: SqliteSandboxOptions = {}): SqliteSandbox {
  const maxResultBytes = options.maxResultBytes ?? 8 * 1024 * 1024;
  const buildTimeMs = options.buildTimeMs ?? 30_000;
  const childCacheBytes = options.childCacheBytes ?? 64 * 1024 * 1024;
  const pool = new ChildPool({
    size: Math.max(1, options.poolSize ?? 2),
    memoryMb: options.memoryMb ?? defaultLimits.memoryMb,
    overheadMb: options.overheadMb ?? 256,
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    log: options.log ?? (() => {}),
  });
  /** Dataset id → its bytes (built once; a failed build is forgotten so a later attempt retries). */
  const datasets = new Map<string, Promise<DatasetBytes>>();
  let closed = false;

  function datasetBytes(dataset: Dataset, limits: Limits): Promise<DatasetBytes> {
    const cached = datasets.get(dataset.id);
    if (cached) return cached;
    options.onDatasetBuild?.(dataset.id);
    const built = pool
      .exec({
        memoryMb: limits.memoryMb,
        timeMs: buildTimeMs,
        message: (_child, jobId) => ({
          type: "build",
          jobId,
          datasetId: dataset.id,
          setup: dataset.setup,
          timeMs: buildTimeMs,
        }),
        onReply: (child, reply) => {
          if (reply.type === "built" && reply.ok) child.datasets.set(dataset.id, reply.bytes.byteLength);
        },
      })
      .then((result): DatasetBytes => {
        if (result.kind === "reply" && result.reply.type === "built") {
          if (result.reply.ok) {
            const { bytes } = result.reply;
            return { ok: true, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
          }
          return unavailable(`The dataset "${dataset.id}" could not be built: ${result.reply.message}`);
        }
        const why = result.kind === "timeout" ? "its setup took too long" : "the sandbox failed";
        return unavailable(`The dataset "${dataset.id}" could not be built: ${why}.`);
      });
    datasets.set(dataset.id, built);
    void built.then((entry) => {
      if (!entry.ok && datasets.get(dataset.id) === built) datasets.delete(dataset.id);
    });
    return built;
  }

  async function attempt(request: RunRequest, limits: Limits): Promise<AttemptOutcome> {
    if (closed) return unavailable("The sandbox is closed.");
    if (request.dataset.engine !== "sqlite") {
      return unavailable(`The dataset "${request.dataset.id}" is for ${request.dataset.engine}, not sqlite.`);
    }
    for (const [what, text] of [
      ["query", request.query],
      ["check", request.check],
    ] as const) {
      if (text === undefined) continue;
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > limits.maxQueryBytes) {
        return fail(
          "too-large",
          `The ${what} is ${bytes} bytes; at most ${limits.maxQueryBytes} are allowed.`,
        );
      }
      const blocked = blockedReason(text);
      if (blocked) return fail("blocked", blocked);
    }
    const dataset = await datasetBytes(request.dataset, limits);
    if (!dataset.ok) return dataset;
    const job = {
      query: request.query,
      allowWrites: request.allowWrites,
      explain: request.explain === true,
      maxRows: limits.maxRows,
      maxResultBytes,
      memoryMb: limits.memoryMb,
      ...(request.check === undefined ? {} : { check: request.check }),
    };
    const result = await pool.exec({
      memoryMb: limits.memoryMb,
      timeMs: limits.timeMs,
      message: (child, jobId) => {
        const datasetId = request.dataset.id;
        if (child.datasets.has(datasetId))
          return { type: "run", jobId, datasetId, timeMs: limits.timeMs, job };
        let held = 0;
        for (const size of child.datasets.values()) held += size;
        const resetCache = held + dataset.bytes.byteLength > childCacheBytes;
        if (resetCache) child.datasets.clear();
        child.datasets.set(datasetId, dataset.bytes.byteLength);
        return {
          type: "run",
          jobId,
          datasetId,
          bytes: dataset.bytes,
          resetCache,
          timeMs: limits.timeMs,
          job,
        };
      },
    });
    return fromJobResult(result, limits);
  }

  return {
    engine: "sqlite",
    async run(request: RunRequest, given: Limits): Promise<RunOutcome> {
      const started = performance.now();
      let outcome: AttemptOutcome;
      try {
        outcome = await attempt(request, saneLimits(given));
      } catch (error) {
        outcome = unavailable(
          `The sandbox failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return { ...outcome, elapsedMs: Math.round(performance.now() - started) };
    },
    async close(): Promise<void> {
      closed = true;
      await pool.close();
    },
    pids: () => pool.pids(),
    settled: (timeoutMs = 15_000) => pool.settled(timeoutMs),
  };
}

/** Limits as whole, positive numbers (a fractional memory size would break `ulimit -d`). */
function saneLimits(limits: Limits): Limits {
  const whole = (value: number, fallback: number, min: number): number =>
    Number.isFinite(value) ? Math.max(min, Math.ceil(value)) : fallback;
  return {
    timeMs: whole(limits.timeMs, defaultLimits.timeMs, 1),
    maxRows: whole(limits.maxRows, defaultLimits.maxRows, 0),
    maxQueryBytes: whole(limits.maxQueryBytes, defaultLimits.maxQueryBytes, 0),
    memoryMb: whole(limits.memoryMb, defaultLimits.memoryMb, 1),
  };
}

const fail = (reason: FailureReason, message: string): Failure => ({ ok: false, reason, message });
const unavailable = (message: string): Failure => fail("unavailable", message);

function fromJobResult(result: JobResult, limits: Limits): AttemptOutcome {
  switch (result.kind) {
    case "reply":
      return result.reply.type === "ran" ? result.reply.outcome : unavailable("The sandbox answered oddly.");
    case "timeout":
      return fail("timeout", `The query ran longer than ${limits.timeMs} ms and was stopped.`);
    case "crashed": {
      const oom =
        /out of memory|allocation failed|heap limit/i.test(result.stderr) ||
        ["SIGABRT", "SIGTRAP", "SIGSEGV", "SIGBUS", "SIGKILL"].includes(result.signal ?? "");
      return oom
        ? fail("memory", `The query used more than the ${limits.memoryMb} MiB it may use and was stopped.`)
        : fail("runtime", "The query crashed the sandbox process.");
    }
    case "unavailable":
      return unavailable(result.message);
  }
}
