/**
 * The Redis sandbox.
 *
 * Quorum runs Redis challenges on its own small interpreter (interpreter.ts and the
 * cmd-*.ts modules), not on an emulator package and not on a redis-server, because:
 * - grading must be deterministic: expiry runs on a virtual clock that stands at one
 *   fixed instant for every attempt and never moves (see store.ts), which no emulator offers;
 * - refusing must be exact: every command is known to be a read or a write, and what is
 *   not allowed (EVAL/Lua, pub/sub, FLUSHALL, CONFIG, blocking pops, …) is refused by name
 *   before anything runs; there is no network listener, no Lua, no persistence to escape to;
 * - it is small: the commands challenges use, with Redis 7's replies and error messages,
 *   in a few hundred lines per module and no dependency to install or keep patched.
 *
 * Process model: engine children of the sandbox pool (child.ts), one attempt at a time each.
 * Each child keeps a base store per dataset and runs every attempt on a copy of it, copied on
 * access, so nothing an attempt writes reaches the base or the next attempt. A dataset's setup
 * runs once per sandbox, in whichever child first needs it; its snapshot comes back to the parent
 * and is handed to the other children as structured-clone data, never re-run from the text.
 *
 * Memory: the store counts the bytes it holds, temporary copies included, caps any single value
 * (store.ts), and refuses growth past `limits.memoryMb` before allocating (reason "memory"); the
 * child's V8 heap, RLIMIT_DATA and the pool's watchdog on resident memory back it up.
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
import { scriptLimits } from "./interpreter.js";
import type { EngineReply } from "./protocol.js";
import type { Snapshot } from "./store.js";

export interface RedisSandboxOptions {
  /** The pool the engine children belong to (default: a pool of its own, closed with the sandbox). */
  pool?: SandboxPool;
  /** Attempts that run at once (default 2). */
  workers?: number;
  /** V8 heap cap per child in MiB (default: the attempt's memory + 128). */
  workerHeapMb?: number;
  /** Time a dataset's setup may take (default 30 s); it does not count against the attempt. */
  setupTimeMs?: number;
  /** Time a child may take to start (default 20 s). */
  startTimeoutMs?: number;
  /** Attempts that may wait (default 64). */
  queueCapacity?: number;
  /** Called each time a dataset's setup is about to run (tests count builds with it). */
  onDatasetBuild?: (datasetId: string) => void;
}

const MiB = 1024 * 1024;

type Built = { ok: true; snapshot: Snapshot } | Failure;

export function createRedisSandbox(options: RedisSandboxOptions = {}): Sandbox {
  const setupTimeMs = options.setupTimeMs ?? 30_000;
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? new SandboxPool();
  const lane: Lane = pool.lane({
    engine: "redis",
    size: Math.max(1, options.workers ?? 2),
    queueCapacity: options.queueCapacity ?? 64,
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    limits: (memoryMb) => {
      const limits = processLimits("redis", memoryMb);
      return options.workerHeapMb === undefined ? limits : { ...limits, heapMb: options.workerHeapMb };
    },
  });
  /** Dataset id → its built snapshot (or why it failed), shared by every child. */
  const datasets = new Map<string, Promise<Built>>();
  let closed = false;

  function build(child: ChildHandle<EngineReply>, dataset: Dataset, limits: Limits): Promise<Built> {
    options.onDatasetBuild?.(dataset.id);
    const message = {
      kind: "build",
      datasetId: dataset.id,
      setup: dataset.setup,
      memoryBytes: limits.memoryMb * MiB,
    };
    return child.request(message, setupTimeMs).then((answer): Built => {
      if (!answer.ok)
        return fail("unavailable", `the setup failed: ${deathOutcome(answer.death, limits).message}`);
      if (answer.body.kind !== "built") return fail("unavailable", "the Redis sandbox answered out of turn");
      if (answer.body.outcome.ok) child.held.set(dataset.id, true);
      return answer.body.outcome;
    });
  }

  /** Makes sure the child holds the dataset: builds it (once per sandbox) or hands it the snapshot. */
  async function ensureDataset(
    child: ChildHandle<EngineReply>,
    dataset: Dataset,
    limits: Limits,
  ): Promise<Failure | null> {
    if (child.held.has(dataset.id)) return null;
    let pending = datasets.get(dataset.id);
    if (!pending) {
      pending = build(child, dataset, limits);
      datasets.set(dataset.id, pending);
    }
    const built = await pending;
    if (!built.ok) {
      if (datasets.get(dataset.id) === pending) datasets.delete(dataset.id);
      return fail("unavailable", `dataset "${dataset.id}" could not be built: ${built.message}`);
    }
    if (child.held.has(dataset.id)) return null;
    const answer = await child.request(
      { kind: "load", datasetId: dataset.id, snapshot: built.snapshot },
      setupTimeMs,
    );
    if (!answer.ok || answer.body.kind !== "loaded")
      return fail("unavailable", `dataset "${dataset.id}" could not be loaded into an engine`);
    child.held.set(dataset.id, true);
    return null;
  }

  async function onChild(
    child: ChildHandle<EngineReply>,
    request: RunRequest,
    limits: Limits,
  ): Promise<Outcome> {
    const notReady = await ensureDataset(child, request.dataset, limits);
    if (notReady) return notReady;
    const answer = await child.request(
      {
        kind: "run",
        datasetId: request.dataset.id,
        attempt: {
          query: request.query,
          check: request.check,
          allowWrites: request.allowWrites,
          planQuery: request.planQuery,
        },
        limits: { ...scriptLimits, maxRows: limits.maxRows },
        memoryBytes: limits.memoryMb * MiB,
      },
      limits.timeMs,
    );
    if (!answer.ok) return deathOutcome(answer.death, limits);
    return answer.body.kind === "done"
      ? answer.body.outcome
      : fail("unavailable", "the Redis sandbox answered out of turn");
  }

  async function attempt(request: RunRequest, limits: Limits): Promise<Outcome> {
    if (closed) return fail("unavailable", "the Redis sandbox is closed");
    const refused = preflight("redis", request, limits);
    if (refused) return refused;
    return onLane<EngineReply>(lane, request, limits, (child) => onChild(child, request, limits));
  }

  return {
    engine: "redis",
    run(request: RunRequest, given: Limits): Promise<RunOutcome> {
      return timed(() => attempt(request, saneLimits(given, defaultLimits)));
    },
    async close() {
      closed = true;
      await lane.close();
      if (ownPool) await pool.close();
      datasets.clear();
    },
  };
}
