/**
 * The SQLite sandbox: learner SQL runs in engine children of the sandbox pool (child.ts) on a fresh
 * in-memory copy of the dataset, deserialized from bytes built once per dataset id. Text that asks
 * for what the sandbox never allows (ATTACH, VACUUM, load_extension, PRAGMA …) is refused before
 * anything runs (sql-text.ts); read-only tasks run with `query_only` on a read-only copy.
 *
 * Limits as enforced: time by SIGKILL of the child at `timeMs`; memory by RLIMIT_DATA = memoryMb +
 * 256 MiB per child (SQLite's allocations fail cleanly, "out of memory") and the pool's watchdog on
 * resident memory. SQLite's `hard_heap_limit` is NOT usable: better-sqlite3 builds with
 * SQLITE_DEFAULT_MEMSTATUS=0, which switches heap limits off.
 */
import {
  type Dataset,
  defaultLimits,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import {
  deathOutcome,
  type Failure,
  fail,
  type Outcome,
  onLane,
  preflight,
  saneLimits,
  timed,
} from "../kit.js";
import { processLimits } from "../pool/limits.js";
import { type ChildHandle, type Lane, SandboxPool } from "../pool/pool.js";
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
  /** Dataset bytes one child keeps cached before it starts over (default 64 MiB). */
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

type DatasetBytes = { ok: true; bytes: Buffer } | Failure;

export function createSqliteSandbox(options: SqliteSandboxOptions = {}): SqliteSandbox {
  const maxResultBytes = options.maxResultBytes ?? 8 * 1024 * 1024;
  const buildTimeMs = options.buildTimeMs ?? 30_000;
  const childCacheBytes = options.childCacheBytes ?? 64 * 1024 * 1024;
  const firstMemoryMb = options.memoryMb ?? defaultLimits.memoryMb;
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? new SandboxPool();
  const lane: Lane = pool.lane({
    engine: "sqlite",
    size: Math.max(1, options.poolSize ?? 2),
    queueCapacity: options.queueCapacity ?? 64,
    startTimeoutMs: 15_000,
    limits: (memoryMb) => processLimits("sqlite", memoryMb),
  });
  /** Dataset id → its bytes (built once; a failed build is forgotten so a later attempt retries). */
  const datasets = new Map<string, Promise<DatasetBytes>>();
  let closed = false;

  function datasetBytes(child: ChildHandle<EngineReply>, dataset: Dataset): Promise<DatasetBytes> {
    const cached = datasets.get(dataset.id);
    if (cached) return cached;
    options.onDatasetBuild?.(dataset.id);
    const built = child
      .request({ type: "build", datasetId: dataset.id, setup: dataset.setup }, buildTimeMs)
      .then((answer): DatasetBytes => {
        if (!answer.ok) {
          const why = answer.death.kind === "timeout" ? "its setup took too long" : "the sandbox failed";
          return fail("unavailable", `The dataset "${dataset.id}" could not be built: ${why}.`);
        }
        const reply = answer.body;
        if (reply.type !== "built") return fail("unavailable", "The sandbox answered oddly.");
        if (!reply.ok)
          return fail("unavailable", `The dataset "${dataset.id}" could not be built: ${reply.message}`);
        child.held.set(dataset.id, reply.bytes.byteLength);
        const { bytes } = reply;
        return { ok: true, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
      });
    datasets.set(dataset.id, built);
    void built.then((entry) => {
      if (!entry.ok && datasets.get(dataset.id) === built) datasets.delete(dataset.id);
    });
    return built;
  }

  async function onChild(
    child: ChildHandle<EngineReply>,
    request: RunRequest,
    limits: Limits,
  ): Promise<Outcome> {
    const dataset = await datasetBytes(child, request.dataset);
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
    if (!child.held.has(datasetId)) {
      let held = 0;
      for (const size of child.held.values()) held += size as number;
      const resetCache = held + dataset.bytes.byteLength > childCacheBytes;
      if (resetCache) child.held.clear();
      child.held.set(datasetId, dataset.bytes.byteLength);
      message = { type: "run", datasetId, job, bytes: dataset.bytes, resetCache };
    }
    const answer = await child.request(message, limits.timeMs);
    if (!answer.ok) return deathOutcome(answer.death, limits);
    return answer.body.type === "ran"
      ? answer.body.outcome
      : fail("unavailable", "The sandbox answered oddly.");
  }

  async function attempt(request: RunRequest, limits: Limits): Promise<Outcome> {
    if (closed) return fail("unavailable", "The sandbox is closed.");
    const refused = preflight("sqlite", request, limits);
    if (refused) return refused;
    for (const text of [request.query, request.check]) {
      const blocked = text === undefined ? null : blockedReason(text);
      if (blocked) return fail("blocked", blocked);
    }
    return onLane<EngineReply>(lane, request, limits, (child) => onChild(child, request, limits));
  }

  return {
    engine: "sqlite",
    run(request: RunRequest, given: Limits): Promise<RunOutcome> {
      return timed(() => attempt(request, saneLimits(given, defaultLimits)));
    },
    async close(): Promise<void> {
      closed = true;
      await lane.close();
      if (ownPool) await pool.close();
    },
    pids: () => lane.pids(),
    settled: async (timeoutMs = 15_000) => {
      await Promise.race([
        lane.warm(firstMemoryMb),
        new Promise((resolve) => setTimeout(resolve, timeoutMs)),
      ]);
    },
  };
}
