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
import {
  defaultLimits,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { deathOutcome, fail, type Outcome, onLane, preflight, saneLimits, timed } from "../kit.js";
import { processLimits } from "../pool/limits.js";
import { type ChildHandle, type Lane, SandboxPool } from "../pool/pool.js";
import { buildCollections } from "./dataset.js";
import type { Collections, EngineReply } from "./protocol.js";

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

/** Datasets kept per sandbox and per child. */
const datasetCacheSize = 32;
const childDatasetCacheSize = 8;

export function createMongodbSandbox(options: MongodbSandboxOptions = {}): Sandbox {
  const maxResultBytes = options.maxResultBytes ?? 4 * 1024 * 1024;
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? new SandboxPool();
  const lane: Lane = pool.lane({
    engine: "mongodb",
    size: Math.max(1, options.poolSize ?? 2),
    queueCapacity: options.queueCapacity ?? 64,
    startTimeoutMs: 20_000,
    limits: (memoryMb) => processLimits("mongodb", memoryMb),
  });
  const datasets = new Map<string, Collections>();
  let closed = false;
  if (options.warm !== false) void lane.warm(defaultLimits.memoryMb);

  function dataset(request: RunRequest): Collections {
    const { id, setup } = request.dataset;
    const cached = datasets.get(id);
    if (cached !== undefined) {
      datasets.delete(id);
      datasets.set(id, cached);
      return cached;
    }
    const built = buildCollections(setup);
    options.onDatasetBuild?.(id);
    if (datasets.size >= datasetCacheSize) {
      const oldest = datasets.keys().next();
      if (!oldest.done) datasets.delete(oldest.value);
    }
    datasets.set(id, built);
    return built;
  }

  /** Hands the child the dataset if it lacks it, evicting its least recently used one. */
  async function load(child: ChildHandle<EngineReply>, id: string, collections: Collections, limits: Limits) {
    const order = (child.held.get("order") as string[] | undefined) ?? [];
    child.held.set("order", order);
    const at = order.indexOf(id);
    if (at >= 0) {
      order.splice(at, 1);
      order.push(id);
      return null;
    }
    const evict = order.length >= childDatasetCacheSize ? order.splice(0, 1) : [];
    const answer = await child.request({ type: "load", datasetId: id, collections, evict }, 30_000);
    if (!answer.ok) return deathOutcome(answer.death, limits);
    order.push(id);
    return null;
  }

  async function onChild(
    child: ChildHandle<EngineReply>,
    request: RunRequest,
    collections: Collections,
    limits: Limits,
  ): Promise<Outcome> {
    const loadFailed = await load(child, request.dataset.id, collections, limits);
    if (loadFailed) return loadFailed;
    const answer = await child.request(
      {
        type: "run",
        datasetId: request.dataset.id,
        query: request.query,
        check: request.check ?? null,
        allowWrites: request.allowWrites === true,
        planQuery: request.planQuery ?? null,
        maxRows: Math.max(0, Math.floor(limits.maxRows)),
        maxResultBytes,
      },
      limits.timeMs,
    );
    if (!answer.ok) return deathOutcome(answer.death, limits);
    return answer.body.type === "done"
      ? answer.body.outcome
      : fail("unavailable", "The sandbox answered oddly");
  }

  async function attempt(request: RunRequest, limits: Limits): Promise<Outcome> {
    if (closed) return fail("unavailable", "The MongoDB sandbox is closed");
    if (typeof request.query !== "string") return fail("unavailable", "The query must be text");
    const refused = preflight("mongodb", request, limits);
    if (refused) return refused;
    let collections: Collections;
    try {
      collections = dataset(request);
    } catch (error) {
      const line = ((error as Error).message.split("\n")[0] ?? "").slice(0, 200);
      return fail("unavailable", `Dataset ${request.dataset.id} is not valid: ${line}`);
    }
    return onLane<EngineReply>(lane, request, limits, (child) =>
      onChild(child, request, collections, limits),
    );
  }

  return {
    engine: "mongodb",
    run(request: RunRequest, given: Limits): Promise<RunOutcome> {
      return timed(() => attempt(request, saneLimits(given, defaultLimits)));
    },
    async close(): Promise<void> {
      closed = true;
      await lane.close();
      if (ownPool) await pool.close();
    },
  };
}
