/**
 * The MongoDB sandbox: mongosh-style queries run by mingo (an in-memory MongoDB query engine) in worker
 * processes that can be killed.
 *
 * - Process model: a small pool of child processes (default 2, one started at once and kept warm). Each
 *   runs one attempt at a time; more attempts queue. A process that overruns `limits.timeMs` is killed
 *   (SIGKILL, reason "timeout"); one that exceeds its V8 heap (`--max-old-space-size = limits.memoryMb`)
 *   aborts alone (reason "memory"). Either way a fresh process is started at once.
 *
 *   Why processes and not worker threads: a worker's `resourceLimits` do not contain every memory bomb.
 *   When one allocation outgrows the limit (an array grown by push, as `$range: [0, 1e9]` does), V8 aborts
 *   the whole process, the bot included (nodejs/node#47224). A child process takes only itself down.
 * - The child runs under Node's permission model (no file writes, no child processes or workers in the
 *   compiled build), without code generation from strings, with an empty environment and no core dumps.
 * - Datasets: the setup JSON is parsed once per sandbox (cached by dataset id) and sent once to each process,
 *   which clones the collections an attempt touches (structuredClone), so writes never outlive the attempt.
 * - Learner text is checked for size here, then parsed (never evaluated) in the child.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  defaultLimits,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { appRoot } from "../../paths.js";
import { buildCollections } from "./dataset.js";
import type { Collections, FromWorker, ToWorker, WorkerOutcome } from "./protocol.js";

export interface MongodbSandboxOptions {
  /** Processes that may run attempts at once (default 2). */
  poolSize?: number;
  /** Largest result returned, counted in characters of cell text (default 4 MiB); beyond it "too-large". */
  maxResultBytes?: number;
  /** Called each time a dataset's setup is parsed: once per dataset id per sandbox. A hook for tests. */
  onDatasetBuild?: (datasetId: string) => void;
  /** Start processes at once and keep up to two idle ones ready (default true), or start them on demand. */
  warm?: boolean;
}

interface Job {
  id: number;
  request: RunRequest;
  limits: Limits;
  datasetId: string;
  collections: Collections;
  startedAt: number;
  resolve: (outcome: RunOutcome) => void;
}

interface Slot {
  child: ChildProcess;
  memoryMb: number;
  ready: boolean;
  dead: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Dataset ids this process holds, least recently used first. */
  loaded: string[];
  /** The end of the child's stderr: tells a heap abort from other crashes. */
  stderr: string;
  exited: Promise<void>;
}

/** Datasets kept per sandbox and per process. */
const datasetCacheSize = 32;
const workerDatasetCacheSize = 8;
/** A process not ready by then is given up (its attempts answer "unavailable"). */
const startupTimeoutMs = 20_000;

// Under tsx or vitest this file is index.ts and the worker process loads worker.ts through tsx's require
// hook (worker-dev.cjs, quicker to start than `--import tsx`); compiled to dist/ it runs plain worker.js.
const isTs = import.meta.url.endsWith(".ts");
const workerPath = fileURLToPath(new URL(isTs ? "./worker-dev.cjs" : "./worker.js", import.meta.url));

function nodeArgs(memoryMb: number): string[] {
  const flags = process.allowedNodeEnvironmentFlags;
  const permission = flags.has("--permission")
    ? "--permission"
    : flags.has("--experimental-permission")
      ? "--experimental-permission"
      : null;
  const args: string[] = [];
  if (permission !== null) {
    // No --allow-fs-write: the child can create no file. tsx (tests, development) needs esbuild's
    // thread and child process; the compiled build needs neither.
    args.push(permission);
    if (isTs) args.push("--allow-fs-read=*", "--allow-child-process", "--allow-worker");
    else args.push(`--allow-fs-read=${appRoot.replace(/[\\/]$/, "")}/*`);
  }
  args.push(
    "--disallow-code-generation-from-strings",
    `--max-old-space-size=${Math.max(16, Math.floor(memoryMb))}`,
    `--max-semi-space-size=${Math.min(16, Math.max(1, Math.floor(memoryMb / 16)))}`,
    "--no-warnings",
  );
  args.push(workerPath);
  return args;
}

/** Starts node; on POSIX through sh only to set `ulimit -c 0`, so a heap abort leaves no core file. */
function launch(memoryMb: number): ChildProcess {
  const options = {
    stdio: ["ignore", "ignore", "pipe", "ipc"] as ("ignore" | "pipe" | "ipc")[],
    serialization: "advanced" as const,
    // No secrets of the bot reach the child. tsx would write its transform cache: the child may not.
    env: isTs ? { TSX_DISABLE_CACHE: "1" } : {},
  };
  const args = nodeArgs(memoryMb);
  if (process.platform !== "win32" && existsSync("/bin/sh")) {
    return spawn(
      "/bin/sh",
      ["-c", 'ulimit -c 0 2>/dev/null; exec "$0" "$@"', process.execPath, ...args],
      options,
    );
  }
  return spawn(process.execPath, args, options);
}

export function createMongodbSandbox(options: MongodbSandboxOptions = {}): Sandbox {
  const poolSize = Math.max(1, options.poolSize ?? 2);
  // Processes kept started even when idle: after a kill, the next attempt finds one ready at once.
  const warmCount = options.warm === false ? 0 : Math.min(2, poolSize);
  const maxResultBytes = options.maxResultBytes ?? 4 * 1024 * 1024;
  const datasets = new Map<string, Collections>();
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let closed = false;
  let nextJobId = 1;

  function finish(job: Job, outcome: WorkerOutcome): void {
    job.resolve({ ...outcome, elapsedMs: Math.round(performance.now() - job.startedAt) });
  }

  function spawnSlot(memoryMb: number): Slot {
    const child = launch(memoryMb);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const slot: Slot = {
      child,
      memoryMb,
      ready: false,
      dead: false,
      job: null,
      timer: null,
      loaded: [],
      stderr: "",
      exited,
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString("utf8")).slice(-4096);
    });
    (child.stderr as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.();
    hold(slot, false);
    child.on("message", (msg: FromWorker) => onMessage(slot, msg));
    child.on("error", (err) => {
      if (!slot.ready) startFailed(slot, err.message);
      else kill(slot, "runtime", `The sandbox failed: ${firstLine(err.message)}`);
    });
    child.on("exit", (code, signal) => {
      if (slot.dead) return;
      const outOfMemory = /heap out of memory|Allocation failed|Reached heap limit|invalid size error/i.test(
        slot.stderr,
      );
      // SIGKILL that the sandbox did not send: most likely the system's out-of-memory killer.
      if (outOfMemory || signal === "SIGKILL") {
        kill(slot, "memory", `The query needed more than ${slot.memoryMb} MiB of memory and was stopped`);
      } else if (!slot.ready) {
        startFailed(slot, lastErrorLine(slot.stderr) ?? `exit code ${code ?? signal}`);
      } else {
        kill(slot, "runtime", `The sandbox stopped unexpectedly (${signal ?? `exit code ${code}`})`);
      }
    });
    setTimeout(() => {
      if (!slot.ready) startFailed(slot, `it was not ready after ${startupTimeoutMs / 1000} s`);
    }, startupTimeoutMs).unref();
    slots.push(slot);
    return slot;
  }

  /** Idle processes must not keep the host alive; one running an attempt must, until it answers. */
  function hold(slot: Slot, busy: boolean): void {
    if (busy) {
      slot.child.ref();
      slot.child.channel?.ref();
    } else {
      slot.child.unref();
      slot.child.channel?.unref();
    }
  }

  function send(slot: Slot, msg: ToWorker): void {
    try {
      slot.child.send(msg, (err) => {
        if (err) kill(slot, "runtime", "The sandbox stopped while receiving the query");
      });
    } catch {
      kill(slot, "runtime", "The sandbox stopped while receiving the query");
    }
  }

  function startTimer(slot: Slot, job: Job): void {
    slot.timer = setTimeout(() => {
      kill(slot, "timeout", `The query ran longer than ${job.limits.timeMs} ms and was stopped`);
    }, job.limits.timeMs);
  }

  function onMessage(slot: Slot, msg: FromWorker): void {
    if (slot.dead) return;
    if (msg.type === "ready") {
      slot.ready = true;
      if (slot.job !== null && slot.timer === null) startTimer(slot, slot.job);
      return;
    }
    const job = slot.job;
    if (job === null || job.id !== msg.jobId) return;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    hold(slot, false);
    finish(job, msg.outcome);
    dispatch();
  }

  function remove(slot: Slot): void {
    slot.dead = true;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill("SIGKILL");
  }

  /** Stops a process for good, answers its attempt, and starts a replacement so one stays warm. */
  function kill(slot: Slot, reason: "timeout" | "memory" | "runtime", message: string): void {
    if (slot.dead) return;
    remove(slot);
    const job = slot.job;
    slot.job = null;
    if (job !== null) finish(job, { ok: false, reason, message });
    dispatch();
    while (!closed && slots.length < Math.max(1, warmCount)) spawnSlot(slot.memoryMb);
  }

  /** A process that never became ready: fail what waits for it rather than respawn in a loop. */
  function startFailed(slot: Slot, detail: string): void {
    if (slot.dead) return;
    remove(slot);
    const message = `The MongoDB sandbox could not start: ${firstLine(detail)}`;
    const failed = [...(slot.job ? [slot.job] : []), ...queue.splice(0)];
    slot.job = null;
    for (const job of failed) finish(job, { ok: false, reason: "unavailable", message });
  }

  function assign(slot: Slot, job: Job): void {
    slot.job = job;
    hold(slot, true);
    const at = slot.loaded.indexOf(job.datasetId);
    if (at >= 0) {
      slot.loaded.splice(at, 1);
      slot.loaded.push(job.datasetId);
    } else {
      const evict = slot.loaded.length >= workerDatasetCacheSize ? slot.loaded.splice(0, 1) : [];
      slot.loaded.push(job.datasetId);
      send(slot, { type: "load", datasetId: job.datasetId, collections: job.collections, evict });
    }
    send(slot, {
      type: "run",
      jobId: job.id,
      datasetId: job.datasetId,
      query: job.request.query,
      check: job.request.check ?? null,
      allowWrites: job.request.allowWrites === true,
      explain: job.request.explain === true,
      maxRows: Math.max(0, Math.floor(job.limits.maxRows)),
      maxResultBytes,
    });
    if (slot.ready && !slot.dead && slot.timer === null) startTimer(slot, job);
  }

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      const job = queue[0] as Job;
      const memoryMb = job.limits.memoryMb;
      let slot = slots.find((s) => s.job === null && s.memoryMb === memoryMb);
      if (slot === undefined) {
        if (slots.length < poolSize) {
          slot = spawnSlot(memoryMb);
        } else {
          // A process with another memory limit is idle: replace it with one that has this job's limit.
          const idle = slots.find((s) => s.job === null);
          if (idle === undefined) return;
          remove(idle);
          slot = spawnSlot(memoryMb);
        }
      }
      queue.shift();
      assign(slot, job);
    }
  }

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

  for (let i = 0; i < warmCount; i++) spawnSlot(defaultLimits.memoryMb);

  return {
    engine: "mongodb",

    run(request: RunRequest, limits: Limits): Promise<RunOutcome> {
      const startedAt = performance.now();
      const fail = (reason: "too-large" | "unavailable", message: string): Promise<RunOutcome> =>
        Promise.resolve({ ok: false, reason, message, elapsedMs: Math.round(performance.now() - startedAt) });
      if (closed) return fail("unavailable", "The MongoDB sandbox is closed");
      if (typeof request.query !== "string") return fail("unavailable", "The query must be text");
      for (const [what, text] of [
        ["query", request.query],
        ["check", request.check],
      ] as const) {
        if (typeof text === "string" && Buffer.byteLength(text, "utf8") > limits.maxQueryBytes) {
          return fail("too-large", `The ${what} is longer than ${limits.maxQueryBytes} bytes`);
        }
      }
      if (request.dataset.engine !== "mongodb") {
        return fail(
          "unavailable",
          `Dataset ${request.dataset.id} is for ${request.dataset.engine}, not mongodb`,
        );
      }
      let collections: Collections;
      try {
        collections = dataset(request);
      } catch (err) {
        return fail(
          "unavailable",
          `Dataset ${request.dataset.id} is not valid: ${firstLine((err as Error).message)}`,
        );
      }
      return new Promise<RunOutcome>((resolve) => {
        queue.push({
          id: nextJobId++,
          request,
          limits,
          datasetId: request.dataset.id,
          collections,
          startedAt,
          resolve,
        });
        dispatch();
      });
    },

    async close(): Promise<void> {
      closed = true;
      const stopping = slots.slice().map((slot) => {
        const job = slot.job;
        slot.job = null;
        remove(slot);
        if (job !== null)
          finish(job, { ok: false, reason: "unavailable", message: "The MongoDB sandbox was closed" });
        return slot.exited;
      });
      for (const job of queue.splice(0)) {
        finish(job, { ok: false, reason: "unavailable", message: "The MongoDB sandbox was closed" });
      }
      await Promise.all(stopping);
    },
  };
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "").slice(0, 200);
}

function lastErrorLine(stderr: string): string | null {
  const lines = stderr.split("\n").filter((l) => /error/i.test(l));
  return lines.at(-1) ?? null;
}
