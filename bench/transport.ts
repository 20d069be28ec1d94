import { spawn } from "node:child_process";
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { measure } from "./measure.js";

const WORKER_ECHO =
  "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));";
const CHILD_ECHO = "process.on('message', (m) => process.send(m));";

/**
 * One message's round trip to an echoing worker thread (how the old sandboxes talked) and to an echoing
 * child process over IPC with advanced serialization (how the pool's children talk): the floor each adds.
 */
export async function transportRoundTrips(message: object): Promise<{ workerMs: number; childMs: number }> {
  const rounds = { batches: 5, perBatch: 100, warmup: 20 };
  const worker = new Worker(WORKER_ECHO, { eval: true });
  const child = spawn(process.execPath, ["-e", CHILD_ECHO], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    serialization: "advanced",
  });
  try {
    const toWorker = await measure(async () => {
      worker.postMessage(message);
      await once(worker, "message");
    }, rounds);
    const toChild = await measure(async () => {
      child.send(message);
      await once(child, "message");
    }, rounds);
    return { workerMs: toWorker.perOpMs, childMs: toChild.perOpMs };
  } finally {
    await worker.terminate();
    child.kill();
  }
}
