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
 * Process model: a pool of worker threads (two by default), one attempt at a time each.
 * Each worker keeps a base store per dataset and runs every attempt on a copy of it,
 * copied on access: a key's value is deep-copied the first time the attempt reaches it,
 * so nothing an attempt writes reaches the base or the next attempt, and an attempt pays
 * only for the keys it touches. A dataset's setup runs once per sandbox, in whichever
 * worker first needs it; its snapshot comes back to the parent and is handed to the other
 * workers (and to replacements, before they take requests) as structured-clone data,
 * never re-run from the text. A run past `limits.timeMs` gets its worker terminated and
 * replaced at once.
 *
 * Memory: the store estimates the bytes it holds and refuses growth past
 * `limits.memoryMb` before allocating (reason "memory"); the worker's V8 heap is capped
 * with `resourceLimits` as a backstop (an out-of-memory worker is also "memory").
 */
import { performance } from "node:perf_hooks";
import type { WorkerOptions } from "node:worker_threads";
import {
  type Dataset,
  defaultLimits,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { workerEntry } from "../worker-entry.js";
import { type AttemptOutcome, type Failure, scriptLimits } from "./interpreter.js";
import { type Death, Slot, WorkerPool } from "./pool.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { Snapshot } from "./store.js";

export interface RedisSandboxOptions {
  /** Worker threads, i.e. attempts that run at once (default 2). */
  workers?: number;
  /** V8 heap cap per worker in MiB (default: defaultLimits.memoryMb + 128). */
  workerHeapMb?: number;
  /** Time a dataset's setup may take (default 30 s); it does not count against the attempt. */
  setupTimeMs?: number;
  /** Time a worker may take to start (default 20 s). */
  startTimeoutMs?: number;
  /** Called each time a dataset's setup is about to run (tests count builds with it). */
  onDatasetBuild?: (datasetId: string) => void;
}

const MiB = 1024 * 1024;

/** Why a worker gave no (or no fitting) answer, as the learner should hear it. */
function deathOutcome(death: FromWorker | Death, limits: Limits, heapMb: number): Failure {
  switch (death.kind) {
    case "timeout":
      return {
        ok: false,
        reason: "timeout",
        message: `the query ran longer than ${limits.timeMs} ms and was stopped`,
      };
    case "crash":
      return death.outOfMemory
        ? {
            ok: false,
            reason: "memory",
            message: `the query ran out of memory (${heapMb} MiB) and was stopped`,
          }
        : { ok: false, reason: "unavailable", message: "the Redis sandbox worker stopped unexpectedly" };
    case "closed":
      return { ok: false, reason: "unavailable", message: "the Redis sandbox is closed" };
    default:
      return {
        ok: false,
        reason: "unavailable",
        message: `the Redis sandbox worker answered ${death.kind} out of turn`,
      };
  }
}

export function createRedisSandbox(options: RedisSandboxOptions = {}): Sandbox {
  const heapMb = options.workerHeapMb ?? defaultLimits.memoryMb + 128;
  const setupTimeMs = options.setupTimeMs ?? 30_000;
  const entry = workerEntry(import.meta.url);
  const workerOptions: WorkerOptions = {
    eval: entry.eval,
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  };
  /** Dataset id → its built snapshot (or why it failed), shared by every worker. */
  const datasets = new Map<string, Promise<{ ok: true; snapshot: Snapshot } | Failure>>();

  /** Hand a new worker every dataset built so far, before it takes requests. */
  async function warmUp(slot: Slot): Promise<void> {
    for (const [id, pending] of [...datasets]) {
      const built = await pending;
      if (!built.ok || slot.loaded.has(id) || !slot.alive) continue;
      const reply = await slot.request(
        { kind: "load", datasetId: id, snapshot: built.snapshot },
        setupTimeMs,
      );
      if (reply.kind === "loaded") slot.loaded.add(id);
    }
  }

  const pool = new WorkerPool(
    () => new Slot(entry.file, workerOptions, options.startTimeoutMs ?? 20_000, warmUp),
    Math.max(1, options.workers ?? 2),
  );
  let closed = false;

  const unavailable = (message: string): Failure => ({ ok: false, reason: "unavailable", message });

  function build(
    slot: Slot,
    dataset: Dataset,
    limits: Limits,
  ): Promise<{ ok: true; snapshot: Snapshot } | Failure> {
    options.onDatasetBuild?.(dataset.id);
    const message: ToWorker = {
      kind: "build",
      datasetId: dataset.id,
      setup: dataset.setup,
      memoryBytes: limits.memoryMb * MiB,
    };
    return slot.request(message, setupTimeMs).then((reply: FromWorker | Death) => {
      if (reply.kind !== "built")
        return unavailable(`the setup failed: ${deathOutcome(reply, limits, heapMb).message}`);
      if (reply.outcome.ok) slot.loaded.add(dataset.id);
      return reply.outcome;
    });
  }

  /** Make sure `slot` holds the dataset: build it (once per sandbox) or hand it the snapshot. */
  async function ensureDataset(slot: Slot, dataset: Dataset, limits: Limits): Promise<Failure | null> {
    if (slot.loaded.has(dataset.id)) return null;
    let pending = datasets.get(dataset.id);
    if (!pending) {
      pending = build(slot, dataset, limits);
      datasets.set(dataset.id, pending);
    }
    const built = await pending;
    if (!built.ok) {
      if (datasets.get(dataset.id) === pending) datasets.delete(dataset.id);
      return unavailable(`dataset "${dataset.id}" could not be built: ${built.message}`);
    }
    if (slot.loaded.has(dataset.id)) return null;
    const reply = await slot.request(
      { kind: "load", datasetId: dataset.id, snapshot: built.snapshot },
      setupTimeMs,
    );
    if (reply.kind !== "loaded")
      return unavailable(`dataset "${dataset.id}" could not be loaded into a worker`);
    slot.loaded.add(dataset.id);
    return null;
  }

  async function attempt(request: RunRequest, limits: Limits): Promise<AttemptOutcome> {
    if (closed) return unavailable("the Redis sandbox is closed");
    if (request.dataset.engine !== "redis") {
      return unavailable(`dataset "${request.dataset.id}" is for ${request.dataset.engine}, not redis`);
    }
    for (const [label, text] of [
      ["query", request.query],
      ["check", request.check],
    ] as const) {
      const bytes = text === undefined ? 0 : Buffer.byteLength(text, "utf8");
      if (bytes > limits.maxQueryBytes) {
        return {
          ok: false,
          reason: "too-large",
          message: `the ${label} is ${bytes} bytes; the limit is ${limits.maxQueryBytes}`,
        };
      }
    }
    const slot = await pool.acquire();
    if (!slot)
      return unavailable(
        closed ? "the Redis sandbox is closed" : "the Redis sandbox could not start a worker",
      );
    try {
      const notReady = await ensureDataset(slot, request.dataset, limits);
      if (notReady) return notReady;
      const reply = await slot.request(
        {
          kind: "run",
          datasetId: request.dataset.id,
          attempt: {
            query: request.query,
            check: request.check,
            allowWrites: request.allowWrites,
            explain: request.explain,
          },
          limits: { ...scriptLimits, maxRows: limits.maxRows },
          memoryBytes: limits.memoryMb * MiB,
        },
        limits.timeMs,
      );
      return reply.kind === "done" ? reply.outcome : deathOutcome(reply, limits, heapMb);
    } finally {
      pool.release(slot);
    }
  }

  return {
    engine: "redis",
    async run(request, limits): Promise<RunOutcome> {
      const started = performance.now();
      let answer: AttemptOutcome;
      try {
        answer = await attempt(request, limits);
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
        answer = unavailable(`the Redis sandbox failed: ${message}`);
      }
      return { ...answer, elapsedMs: Math.round(performance.now() - started) };
    },
    async close() {
      closed = true;
      await pool.close();
      datasets.clear();
    },
  };
}
