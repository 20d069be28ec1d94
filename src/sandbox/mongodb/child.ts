/**
 * The MongoDB engine's child process (started by the sandbox pool): runs learners' queries with mingo.
 * It holds the datasets it was sent (once each) and clones the collections an attempt touches, so
 * nothing an attempt writes survives it. It evaluates no JavaScript from the learner: the text is
 * parsed (parse.ts) and interpreted by mingo's operators. The pool kills it on a timeout or a memory
 * breach.
 */

import { notLoaded } from "../kit/datasets.js";
import type { Outcome } from "../kit/outcome.js";
import { serveEngine } from "../pool/child-runtime.js";
import { shape } from "./cells.js";
import { execute } from "./execute.js";
import { describe } from "./explain.js";
import { RuntimeError } from "./operators.js";
import { parseProgram, type Statement } from "./parse.js";
import { isWrite, validate, writeMethods } from "./pipeline.js";
import type { Doc, EngineReply, EngineRequest, RunMessage } from "./protocol.js";
import { QueryError } from "./query-error.js";
import { AttemptState } from "./state.js";
import type { TextIndexes } from "./text-index.js";

// Defence in depth against prototype pollution: nothing may add to or change the shared prototypes.
for (const proto of [Object.prototype, Array.prototype, Function.prototype]) Object.freeze(proto);

interface HeldDataset {
  collections: Map<string, readonly Doc[]>;
  textIndexes: TextIndexes;
}

const datasets = new Map<string, HeldDataset>();

function firstLine(message: string): string {
  const line = (message.split("\n")[0] ?? "").trim();
  const cleaned = line.replaceAll(process.cwd(), ".").replace(/file:\/\/\S+/g, "<file>");
  return cleaned.length > 300 ? `${cleaned.slice(0, 299)}…` : cleaned || "Unknown error";
}

function failure(err: unknown): Outcome {
  if (err instanceof QueryError) return { ok: false, reason: err.reason, message: firstLine(err.message) };
  if (err instanceof RuntimeError) return { ok: false, reason: "runtime", message: firstLine(err.message) };
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return {
      ok: false,
      reason: "too-large",
      message: "The query or the data it builds is nested too deeply",
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, reason: "runtime", message: firstLine(message) };
}

function run(msg: RunMessage): Outcome {
  const base = datasets.get(msg.datasetId);
  if (base === undefined) return notLoaded();
  try {
    const query = parseProgram(msg.query);
    const check = msg.check === null ? [] : parseProgram(msg.check);
    const all: Statement[] = [...query, ...check];
    for (const statement of all) validate(statement);
    if (!msg.allowWrites) {
      const write = all.find(isWrite);
      if (write !== undefined) {
        const method = write.calls.find((c) => writeMethods.has(c.method))?.method ?? "write";
        return {
          ok: false,
          reason: "read-only",
          message: `This task is read-only: ${method}() is not allowed here`,
        };
      }
    }
    // The plan shown is of the task's own (trusted) query, never the learner's text.
    const plan = msg.planQuery === null ? null : describe(parseProgram(msg.planQuery));
    const state = new AttemptState(base.collections, base.textIndexes);
    let output = execute(query[0] as Statement, state);
    for (const statement of query.slice(1)) output = execute(statement, state);
    for (const statement of check) output = execute(statement, state);
    const outcome = shape(output, { maxRows: msg.maxRows, maxResultBytes: msg.maxResultBytes });
    return outcome.ok ? { ...outcome, plan } : outcome;
  } catch (err) {
    return failure(err);
  }
}

function handle(msg: EngineRequest): EngineReply {
  if (msg.type === "load") {
    for (const id of msg.evict) datasets.delete(id);
    datasets.set(msg.datasetId, {
      collections: new Map(Object.entries(msg.dataset.collections)),
      textIndexes: msg.dataset.textIndexes,
    });
    return { type: "loaded" };
  }
  return { type: "done", outcome: run(msg) };
}

serveEngine<null, EngineRequest, EngineReply>(async () => undefined, handle);
