/**
 * The MongoDB sandbox: mongosh-style queries run by mingo (an in-memory MongoDB query engine) in
 * engine children of the sandbox pool (child.ts).
 *
 * - Each child runs one attempt at a time; more attempts wait in the engine's fair queue. A child
 *   that overruns `limits.timeMs` is killed (SIGKILL, reason "timeout"); one that passes its V8 heap
 *   (`limits.memoryMb`), RLIMIT_DATA or the pool's resident-memory watchdog dies alone (reason
 *   "memory"). Either way the lane starts another.
 * - Datasets: the setup JSON is parsed once per sandbox (cached by dataset id) and sent once to each
 *   child, which clones the collections an attempt touches, so writes never outlive the attempt.
 * - Learner text is checked for size here, then parsed (never evaluated) in the child.
 */
import { defaultLimits, type Sandbox } from "../../core/sandbox.js";
import { ChildDatasets, DatasetCache } from "../kit/datasets.js";
import { engineSandbox } from "../kit/engine-sandbox.js";
import { answerOutcome, deathOutcome, fail, type Result } from "../kit/outcome.js";
import type { SandboxPool } from "../pool/pool.js";
import { buildDataset } from "./dataset.js";
import type { EngineReply, MongoDataset } from "./protocol.js";

export interface MongodbSandboxOptions {
  /** The pool the engine children belong to (default: a pool of its own, closed with the sandbox). */
  pool?: SandboxPool;
  /** Attempts that run at once (default 2). */
  poolSize?: number;
  /** Largest result returned, counted in characters of cell text (default 4 MiB); beyond it "too-large". */
  maxResultBytes?: number;
  /** Attempts that may wait (default 64). */
  queueCapacity?: number;
  /** Called each time a dataset's setup is parsed: once per dataset id per sandbox. A hook for tests. */
  onDatasetBuild?: (datasetId: string) => void;
  /** Start children at once (default true), or on the first attempt. */
  warm?: boolean;
}

export function createMongodbSandbox(options: MongodbSandboxOptions = {}): Sandbox {
  const maxResultBytes = options.maxResultBytes ?? 4 * 1024 * 1024;
  /** Parsed datasets kept by the sandbox, and by each child. */
  const datasets = new DatasetCache<MongoDataset>(32);
  const held = new ChildDatasets({ count: 8 });

  /** Parses a setup (trusted, but checked: a bad one is a failure, not a throw). */
  function parse(id: string, setup: string): Result<MongoDataset> {
    try {
      const value = buildDataset(setup);
      options.onDatasetBuild?.(id);
      return { ok: true, value };
    } catch (error) {
      const line = ((error as Error).message.split("\n")[0] ?? "").slice(0, 200);
      return fail("unavailable", `Dataset ${id} is not valid: ${line}`);
    }
  }

  const sandbox = engineSandbox<EngineReply, MongoDataset>({
    engine: "mongodb",
    pool: options.pool,
    lane: { size: options.poolSize, queueCapacity: options.queueCapacity, startTimeoutMs: 20_000 },
    prepare: (request) => {
      const { id, setup } = request.dataset;
      return datasets.get(id, async () => parse(id, setup));
    },
    attempt: async (child, request, limits, dataset) => {
      const datasetId = request.dataset.id;
      if (!held.has(child, datasetId)) {
        const evict = held.evictFor(child);
        const loaded = await child.request({ type: "load", datasetId, dataset, evict }, 30_000);
        if (!loaded.ok) return deathOutcome(loaded.death, limits);
        held.hold(child, datasetId);
      }
      const answer = await child.request(
        {
          type: "run",
          datasetId,
          query: request.query,
          check: request.check ?? null,
          allowWrites: request.allowWrites === true,
          planQuery: request.planQuery ?? null,
          maxRows: Math.max(0, Math.floor(limits.maxRows)),
          maxResultBytes,
        },
        limits.timeMs,
      );
      return answerOutcome(answer, limits, (reply) => (reply.type === "done" ? reply.outcome : undefined));
    },
  });
  if (options.warm !== false) void sandbox.lane.warm(defaultLimits.memoryMb);
  return sandbox;
}
