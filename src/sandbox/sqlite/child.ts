/**
 * The SQLite engine's child process (started by the sandbox pool, never imported by the bot). It
 * holds the datasets it was sent and runs each attempt on a private in-memory copy. A better-sqlite3
 * call cannot be interrupted: the pool SIGKILLs this process on a timeout or a memory breach.
 */
import { notLoaded } from "../kit/datasets.js";
import { serveEngine } from "../pool/child-runtime.js";
import { shortMessage } from "./errors.js";
import { buildDataset, runAttempt } from "./execute.js";
import type { EngineReply, EngineRequest } from "./protocol.js";

/** Datasets this child holds, by id (the parent tracks which and sends bytes only when missing). */
const datasets = new Map<string, Buffer>();

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function handle(request: EngineRequest): EngineReply {
  if (request.type === "build") {
    try {
      const bytes = buildDataset(request.setup);
      datasets.set(request.datasetId, bytes);
      return { type: "built", ok: true, bytes };
    } catch (error) {
      return { type: "built", ok: false, message: shortMessage(error) };
    }
  }
  for (const id of request.evict ?? []) datasets.delete(id);
  if (request.bytes) datasets.set(request.datasetId, asBuffer(request.bytes));
  const bytes = datasets.get(request.datasetId);
  const outcome = bytes ? runAttempt(bytes, request.job) : notLoaded();
  return { type: "ran", outcome };
}

serveEngine<null, EngineRequest, EngineReply>(async () => undefined, handle);
