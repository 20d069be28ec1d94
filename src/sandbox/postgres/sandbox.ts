/**
 * The PostgreSQL sandbox: PGlite (PostgreSQL 18 compiled to WebAssembly, in memory) in engine
 * children of the sandbox pool (child.ts), one attempt at a time; on request (`spare`), a started
 * spare takes over at once when a child is killed. The first child runs initdb and hands back a
 * data-directory template, then stops; every serving child starts from the template in about a second.
 *
 * What keeps a submission in: the policy built on PostgreSQL's own parser (policy.ts) refuses
 * statement kinds, functions and setting changes a task does not need, before any engine is
 * involved, and only the statements it split and checked are sent; the engine runs them as the
 * dataset's role, which owns only that dataset's schema and may not change settings, read files or
 * load code (attempt.ts, hardening.ts); the child process runs under Node's permission model without
 * code generation, under kernel memory limits and the pool's watchdog (pool/launch.ts); and nothing
 * an attempt changes survives it (ROLLBACK, sequence resets, the file-system guard in files.ts).
 *
 * Datasets: each dataset's setup SQL runs once per child, into its own schema (`ds_<id>_<hash>`)
 * owned by its own role.
 */
import { type Dataset, defaultLimits, type Limits, type Sandbox } from "../../core/sandbox.js";
import { ChildDatasets, datasetFailure, setupDeath } from "../kit/datasets.js";
import { engineSandbox } from "../kit/engine-sandbox.js";
import { answerOutcome, outOfTurn } from "../kit/outcome.js";
import { processLimits } from "../pool/limits.js";
import type { ChildHandle, SandboxPool } from "../pool/pool.js";
import { roleFor, schemaFor } from "./dataset-schema.js";
import { checkSubmission, loadPolicy } from "./policy.js";
import type { EngineInit, EngineReadyInfo, EngineReply } from "./protocol.js";
import { type SpareOption, wantsSpare } from "./spare.js";
import { trustedStatements } from "./trusted-text.js";

export interface PostgresSandboxOptions {
  /** The pool the engine children belong to (default: a pool of its own, closed with the sandbox). */
  pool?: SandboxPool;
  /**
   * Keep a second engine started so a killed or retired one is replaced without waiting: `true`,
   * `"auto"` (only while the machine has room for it, see `spareFits`), or `false` (the default:
   * the next attempt after a replacement waits about a second for a new engine).
   */
  spare?: SpareOption;
  /**
   * Let V8 recompile PGlite's busiest WebAssembly with its optimizing compiler (default false: the
   * baseline compiler only, which holds about 50 MB less per engine process).
   */
  optimize?: boolean;
  /** Bytes of cell text one result may carry (default 8 MiB); more is "too-large". */
  maxResultBytes?: number;
  /** V8 heap cap of each child in MiB (default 256); the engine's own heap is capped per attempt. */
  workerHeapMb?: number;
  /** Time an engine may take to start (default 60 s). */
  startTimeoutMs?: number;
  /** Time a dataset's setup may take (default 60 s); it does not count against the attempt. */
  setupTimeMs?: number;
  /** PostgreSQL's max_stack_depth in kB (default 1024). */
  maxStackDepthKb?: number;
  /** Write statements one attempt may have (default 50). */
  maxStatements?: number;
  /** Attempts that may wait (default 64). */
  queueCapacity?: number;
  /** Called each time a dataset's setup is about to run in an engine (tests count builds with it). */
  onDatasetBuild?: (datasetId: string) => void;
}

export type PostgresSandboxHandle = Sandbox & {
  /** Starts the engine (and the spare) now instead of on the first run. */
  warm(options?: { spare?: boolean }): Promise<void>;
  /** Pids of the engine children now running. */
  pids(): number[];
};

export function createPostgresSandbox(options: PostgresSandboxOptions = {}): PostgresSandboxHandle {
  const maxResultBytes = options.maxResultBytes ?? 8 * 1024 * 1024;
  const setupTimeMs = options.setupTimeMs ?? 60_000;
  const maxStatements = options.maxStatements ?? 50;
  const heapMb = options.workerHeapMb ?? 256;
  /** The data-directory dump the first child made; later children start from it. */
  let template: Uint8Array | null = null;
  /** The setup runs in each child (an engine's schemas cannot be handed to another). */
  const held = new ChildDatasets();

  async function ensureDataset(child: ChildHandle<EngineReply>, dataset: Dataset, limits: Limits) {
    if (held.has(child, dataset.id)) return null;
    options.onDatasetBuild?.(dataset.id);
    const answer = await child.request(
      { type: "load", schema: schemaFor(dataset.id), role: roleFor(dataset.id), setup: dataset.setup },
      setupTimeMs,
    );
    if (!answer.ok) return setupDeath(dataset.id, answer.death, limits);
    const reply = answer.body;
    if (reply.type !== "loaded") return outOfTurn();
    if (!reply.ok) {
      if (reply.fatal) child.retire();
      return datasetFailure(dataset.id, reply.message);
    }
    held.hold(child, dataset.id);
    return null;
  }

  const sandbox = engineSandbox<EngineReply, string[]>({
    engine: "postgres",
    pool: options.pool,
    lane: {
      size: 1,
      spares: () => (template !== null && wantsSpare(options.spare) ? 1 : 0),
      queueCapacity: options.queueCapacity,
      startTimeoutMs: options.startTimeoutMs ?? 60_000,
      init: (): EngineInit => ({ template, maxStackDepthKb: options.maxStackDepthKb ?? 1024 }),
      prepare: async (child) => {
        const info = child.readyInfo as EngineReadyInfo | undefined;
        if (!info?.template) return;
        template ??= info.template;
        // initdb leaves its process larger than one started from the template: it serves no attempt.
        child.retire();
      },
      // The first child runs initdb as well, which briefly needs more.
      limits: (memoryMb) => ({
        ...processLimits("postgres", memoryMb, { firstPostgres: template === null }),
        heapMb,
        codeFlags: options.optimize ? [] : ["--liftoff-only"],
      }),
    },
    // Checked here, so a refusal is immediate and takes no engine; only what passed is sent.
    prepare: async (request) => {
      await loadPolicy();
      const checked = checkSubmission(request.query, { allowWrites: request.allowWrites, maxStatements });
      return checked.ok ? { ok: true, value: checked.statements } : checked;
    },
    attempt: async (child, request, limits, statements) => {
      const notReady = await ensureDataset(child, request.dataset, limits);
      if (notReady) return notReady;
      const answer = await child.request(
        {
          type: "run",
          schema: schemaFor(request.dataset.id),
          role: roleFor(request.dataset.id),
          statements,
          check: trustedStatements(request.check) ?? [],
          planQuery: trustedStatements(request.planQuery)?.at(-1) ?? null,
          allowWrites: request.allowWrites,
          maxRows: limits.maxRows,
          memoryMb: limits.memoryMb,
          maxResultBytes,
        },
        limits.timeMs,
      );
      return answerOutcome(answer, limits, (reply) => {
        if (reply.type !== "result") return undefined;
        // A damaged engine, or one whose state an attempt changed, is never used again.
        if (reply.fatal !== null) child.retire();
        return reply.outcome;
      });
    },
  });

  return {
    ...sandbox,
    async warm(warmOptions = {}) {
      await sandbox.lane.warm(defaultLimits.memoryMb);
      if (warmOptions.spare && wantsSpare(options.spare)) await sandbox.lane.warm(defaultLimits.memoryMb);
    },
    pids: () => sandbox.lane.pids(),
  };
}
