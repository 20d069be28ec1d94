/**
 * The Redis engine's child process (started by the sandbox pool): holds each dataset's base store
 * (built once, or adopted from the parent) and runs attempts on copies of it. It touches no file and
 * no network; the pool kills it on a timeout or a memory breach and starts another.
 */
import { notLoaded } from "../kit/datasets.js";
import { serveEngine } from "../pool/child-runtime.js";
import { buildSnapshot, runAttempt } from "./interpreter.js";
import type { EngineReply, EngineRequest } from "./protocol.js";
import { type Snapshot, Store } from "./store.js";

const bases = new Map<string, Snapshot>();

function handle(message: EngineRequest): EngineReply {
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
      if (!base) return { kind: "done", outcome: notLoaded() };
      // Copy-on-access: every value the attempt reaches is deep-copied first; the base never changes.
      const store = new Store(base, message.memoryBytes);
      return { kind: "done", outcome: runAttempt(store, message.attempt, message.limits) };
    }
  }
}

serveEngine<null, EngineRequest, EngineReply>(async () => undefined, handle);
