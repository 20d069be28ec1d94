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
import type { Dataset, Limits, Sandbox } from "../../core/sandbox.js";
import { ChildDatasets, DatasetCache, datasetFailure, setupDeath } from "../kit/datasets.js";
import { engineSandbox } from "../kit/engine-sandbox.js";
import { answerOutcome, type Failure, outOfTurn, type Result } from "../kit/outcome.js";
import { processLimits } from "../pool/limits.js";
import type { ChildHandle, SandboxPool } from "../pool/pool.js";
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

export function createRedisSandbox(options: RedisSandboxOptions = {}): Sandbox {
  const setupTimeMs = options.setupTimeMs ?? 30_000;
  /** Dataset id → its built snapshot, shared by every child. */
  const datasets = new DatasetCache<Snapshot>();
  const held = new ChildDatasets();

  function build(
    child: ChildHandle<EngineReply>,
    dataset: Dataset,
    limits: Limits,
  ): Promise<Result<Snapshot>> {
    options.onDatasetBuild?.(dataset.id);
    const message = {
      kind: "build",
      datasetId: dataset.id,
      setup: dataset.setup,
      memoryBytes: limits.memoryMb * MiB,
    };
    return child.request(message, setupTimeMs).then((answer): Result<Snapshot> => {
      if (!answer.ok) return setupDeath(dataset.id, answer.death, limits);
      if (answer.body.kind !== "built") return outOfTurn();
      const built = answer.body.outcome;
      if (!built.ok) return datasetFailure(dataset.id, built.message);
      held.hold(child, dataset.id);
      return { ok: true, value: built.snapshot };
    });
  }

  /** Makes sure the child holds the dataset: builds it (once per sandbox) or hands it the snapshot. */
  async function ensureDataset(
    child: ChildHandle<EngineReply>,
    dataset: Dataset,
    limits: Limits,
  ): Promise<Failure | null> {
    if (held.has(child, dataset.id)) return null;
    const built = await datasets.get(dataset.id, () => build(child, dataset, limits));
    if (!built.ok) return built;
    if (held.has(child, dataset.id)) return null;
    const answer = await child.request(
      { kind: "load", datasetId: dataset.id, snapshot: built.value },
      setupTimeMs,
    );
    if (!answer.ok || answer.body.kind !== "loaded")
      return datasetFailure(dataset.id, "it could not be loaded into an engine");
    held.hold(child, dataset.id);
    return null;
  }

  return engineSandbox<EngineReply>({
    engine: "redis",
    pool: options.pool,
    lane: {
      size: options.workers,
      queueCapacity: options.queueCapacity,
      startTimeoutMs: options.startTimeoutMs ?? 20_000,
      limits: (memoryMb) => {
        const limits = processLimits("redis", memoryMb);
        return options.workerHeapMb === undefined ? limits : { ...limits, heapMb: options.workerHeapMb };
      },
    },
    attempt: async (child, request, limits) => {
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
      return answerOutcome(answer, limits, (reply) => (reply.kind === "done" ? reply.outcome : undefined));
    },
    onClose: () => datasets.clear(),
  });
}
