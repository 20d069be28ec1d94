/**
 * The child process that runs learner SQL (started by pool.ts, never imported by the bot).
 * A better-sqlite3 call cannot be interrupted, so the parent SIGKILLs this process on timeout;
 * a watchdog thread here also kills it if a job overruns its deadline by far or the parent is gone,
 * so no runaway query outlives the bot.
 */

import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { buildDataset, runAttempt, shortMessage } from "./execute.js";
import type { ChildMessage, ParentMessage } from "./protocol.js";

/** How far past its own time limit a job may run before the child kills itself. */
const selfKillGraceMs = 1_500;

const send = (message: ChildMessage): void => {
  process.send?.(message);
};

// The watchdog: a thread that keeps running while the main thread is stuck in SQLite.
const deadline = new Float64Array(new SharedArrayBuffer(8));
const watchdogSource = `
const { workerData } = require("node:worker_threads");
const deadline = new Float64Array(workerData.deadline);
const tick = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(tick, 0, 0, 200);
  const overdue = deadline[0] > 0 && Date.now() > deadline[0];
  if (overdue || process.ppid !== workerData.ppid) process.kill(process.pid, "SIGKILL");
}`;
const watchdog = new Worker(watchdogSource, {
  eval: true,
  execArgv: [],
  workerData: { deadline: deadline.buffer, ppid: process.ppid },
  resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
});
watchdog.unref();

/** Datasets this child holds, by id (the parent tracks which and sends bytes only when missing). */
const datasets = new Map<string, Buffer>();

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function handle(message: ParentMessage): void {
  deadline[0] = Date.now() + message.timeMs + selfKillGraceMs;
  try {
    if (message.type === "build") {
      try {
        const bytes = buildDataset(message.setup);
        datasets.set(message.datasetId, bytes);
        send({ type: "built", jobId: message.jobId, ok: true, bytes });
      } catch (error) {
        send({ type: "built", jobId: message.jobId, ok: false, message: shortMessage(error) });
      }
      return;
    }
    if (message.resetCache) datasets.clear();
    if (message.bytes) datasets.set(message.datasetId, asBuffer(message.bytes));
    const bytes = datasets.get(message.datasetId);
    const outcome = bytes
      ? runAttempt(bytes, message.job)
      : ({ ok: false, reason: "unavailable", message: "The dataset was not loaded." } as const);
    send({ type: "ran", jobId: message.jobId, outcome });
  } finally {
    deadline[0] = 0;
  }
}

/** RLIMIT_DATA as the parent set it (null when unlimited or unreadable), for the parent to check. */
function dataLimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max data size"));
    const soft = line?.slice("Max data size".length).trim().split(/\s+/)[0];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

if (!process.send) {
  console.error("This is the SQLite sandbox's child process; the sandbox starts it.");
  process.exit(1);
}
process.on("message", (message) => handle(message as ParentMessage));
process.on("disconnect", () => process.exit(0));
send({ type: "ready", dataLimitBytes: dataLimit() });
