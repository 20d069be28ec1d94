/**
 * The SQLite sandbox: learner SQL runs in engine children of the sandbox pool (child.ts) on a fresh
 * in-memory copy of the dataset, deserialized from bytes built once per dataset id. Text that asks
 * for what the sandbox never allows (ATTACH, VACUUM, load_extension, PRAGMA …) is refused before
 * anything runs (sql-text.ts); read-only tasks run with `query_only` on a read-only copy.
 *
 * Limits as enforced: time by SIGKILL of the child at `timeMs`; memory by RLIMIT_DATA = memoryMb +
 * 256 MiB per child (SQLite's allocations fail cleanly, "out of memory") and the pool's watchdog on
 * resident memory. SQLite's `hard_heap_limit` is NOT usable, so it is not set: better-sqlite3 builds
 * with SQLITE_DEFAULT_MEMSTATUS=0, which switches heap limits off (a 1 MB limit lets a 20 MB
 * DISTINCT through).
 */
import {
  type Dataset,
  defaultLimits,
  type Limits,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { ChildDatasets, DatasetCache, datasetFailure, setupDeath } from "../kit/datasets.js";
import { engineSandbox } from "../kit/engine-sandbox.js";
import { answerOutcome, fail, outOfTurn, type Result } from "../kit/outcome.js";
import type { ChildHandle, SandboxPool } from "../pool/pool.js";
import type { EngineReply, RunJob } from "./protocol.js";
import { blockedReason } from "./sql-text.js";

export interface SqliteSandboxOptions {
  /** The pool the engine children belong to (default: a pool of its own, closed with the sandbox). */
  pool?: SandboxPool;
  /** Attempts that run at once (default 2: one per core on the bot's machine). */
  poolSize?: number;
  /** Memory limit the first children start with, in MiB (default: defaultLimits.memoryMb). */
  memoryMb?: number;
  /** Largest result (sum of cell sizes) sent back, in bytes (default 8 MiB). */
  maxResultBytes?: number;
  /** Time a dataset's setup script may take (default 30 s). */
  buildTimeMs?: number;
  /** Dataset bytes one child keeps cached; the least recently used go first (default 64 MiB). */
  childCacheBytes?: number;
  /** Attempts that may wait (default 64). */
  queueCapacity?: number;
  /** Called each time a dataset is built from its setup script (a hook for tests and logs). */
  onDatasetBuild?: (datasetId: string) => void;
}

export interface SqliteSandbox extends Sandbox {
  /** Pids of the child processes now running (for tests and diagnostics). */
  pids(): number[];
  /** Resolves when every child is started and idle (at most `timeoutMs`, default 15 s). */
  settled(timeoutMs?: number): Promise<void>;
}

export function createSqliteSandbox(options: SqliteSandboxOptions = {}): SqliteSandbox {
  const maxResultBytes = options.maxResultBytes ?? 8 * 1024 * 1024;
  const buildTimeMs = options.buildTimeMs ?? 30_000;
  const firstMemoryMb = options.memoryMb ?? defaultLimits.memoryMb;
  /** Dataset id → its bytes, built by whichever child first needs it. */
  const datasets = new DatasetCache<Buffer>();
  const held = new ChildDatasets({ bytes: options.childCacheBytes ?? 64 * 1024 * 1024 });

  function build(child: ChildHandle<EngineReply>, dataset: Dataset, limits: Limits): Promise<Result<Buffer>> {
    options.onDatasetBuild?.(dataset.id);
    const message = { type: "build", datasetId: dataset.id, setup: dataset.setup };
    return child.request(message, buildTimeMs).then((answer): Result<Buffer> => {
      if (!answer.ok) return setupDeath(dataset.id, answer.death, limits);
      const reply = answer.body;
      if (reply.type !== "built") return outOfTurn();
      if (!reply.ok) return datasetFailure(dataset.id, reply.message);
      held.hold(child, dataset.id, reply.bytes.byteLength);
      const { bytes } = reply;
      return { ok: true, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    });
  }

  const sandbox = engineSandbox<EngineReply>({
    engine: "sqlite",
    pool: options.pool,
    lane: { size: options.poolSize, queueCapacity: options.queueCapacity, startTimeoutMs: 15_000 },
    prepare: (request: RunRequest) => {
      for (const text of [request.query, request.check]) {
        const blocked = text === undefined ? null : blockedReason(text);
        if (blocked) return fail("blocked", blocked);
      }
      return { ok: true, value: undefined };
    },
    attempt: async (child, request, limits) => {
      const dataset = await datasets.get(request.dataset.id, () => build(child, request.dataset, limits));
      if (!dataset.ok) return dataset;
      const job: RunJob = {
        query: request.query,
        allowWrites: request.allowWrites,
        planQuery: request.planQuery ?? null,
        maxRows: limits.maxRows,
        maxResultBytes,
        ...(request.check === undefined ? {} : { check: request.check }),
      };
      const datasetId = request.dataset.id;
      let message: object = { type: "run", datasetId, job };
      if (!held.has(child, datasetId)) {
        const bytes = dataset.value;
        const evict = held.evictFor(child, bytes.byteLength);
        held.hold(child, datasetId, bytes.byteLength);
        message = { type: "run", datasetId, job, bytes, evict };
      }
      const answer = await child.request(message, limits.timeMs);
      return answerOutcome(answer, limits, (reply) => (reply.type === "ran" ? reply.outcome : undefined));
    },
  });

  return {
    ...sandbox,
    pids: () => sandbox.lane.pids(),
    settled: async (timeoutMs = 15_000) => {
      await Promise.race([
        sandbox.lane.warm(firstMemoryMb),
        new Promise((resolve) => setTimeout(resolve, timeoutMs)),
      ]);
    },
  };
}
