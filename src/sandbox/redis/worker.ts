/**
 * The worker thread: holds each dataset's base store (built once, or adopted from the
 * parent) and runs attempts on deep copies of it. It never touches files or the network;
 * the parent kills it on a timeout and replaces it.
 */
import { parentPort } from "node:worker_threads";
import { buildSnapshot, runAttempt } from "./interpreter.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { type Snapshot, Store } from "./store.js";

const port = parentPort;
if (!port) throw new Error("the Redis sandbox worker must run in a worker thread");

const bases = new Map<string, Snapshot>();

function handle(message: ToWorker): FromWorker {
  switch (message.kind) {
    case "build": {
      const outcome = buildSnapshot(message.setup, message.memoryBytes);
      if (outcome.ok) bases.set(message.datasetId, outcome.snapshot);
      return { kind: "built", outcome };
    }
    case "load":
      bases.set(message.datasetId, message.snapshot);
      return { kind: "loaded" };
    case "run": {
      const base = bases.get(message.datasetId);
      if (!base) {
        const outcome = { ok: false, reason: "unavailable", message: "the dataset is not loaded" } as const;
        return { kind: "done", outcome };
      }
      // Copy-on-access: every value the attempt reaches is deep-copied first; the base never changes.
      const store = new Store(base, message.memoryBytes);
      return { kind: "done", outcome: runAttempt(store, message.attempt, message.limits) };
    }
  }
}

port.on("message", (message: ToWorker) => {
  let reply: FromWorker;
  try {
    reply = handle(message);
  } catch (error) {
    const text = error instanceof Error ? error.message.split("\n")[0] : "unexpected failure";
    const outcome = { ok: false, reason: "unavailable", message: `sandbox error: ${text}` } as const;
    reply = message.kind === "build" ? { kind: "built", outcome } : { kind: "done", outcome };
  }
  port.postMessage(reply);
});

port.postMessage({ kind: "ready" } satisfies FromWorker);
