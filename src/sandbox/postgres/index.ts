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
import { freemem } from "node:os";
import {
  type Dataset,
  defaultLimits,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { deathOutcome, fail, type Outcome, onLane, preflight, saneLimits, timed } from "../kit.js";
import { processLimitMb, processLimits } from "../pool/limits.js";
import { type ChildHandle, type Lane, SandboxPool } from "../pool/pool.js";
import { checkSubmission, loadPolicy } from "./policy.js";
import type { EngineInit, EngineReadyInfo, EngineReply } from "./protocol.js";

export interface PostgresSandboxOptions {
  /** The pool the engine children belong to (default: a pool of its own, closed with the sandbox). */
  pool?: SandboxPool;
  /**
   * Keep a second engine started so a killed or retired one is replaced without waiting: `true`,
   * `"auto"` (only while the machine has room for it, see `spareFits`), or `false` (the default:
   * the next attempt after a replacement waits about a second for a new engine).
   */
  spare?: boolean | "auto";
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

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The schema a dataset lives in: readable, and distinct for distinct ids. */
export function schemaFor(datasetId: string): string {
  const slug = datasetId
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .slice(0, 40);
  return `ds_${slug}_${fnv1a(datasetId)}`;
}

/** The role that owns a dataset's schema and runs its attempts. */
export const roleFor = (datasetId: string): string => `learner_${schemaFor(datasetId)}`;

/** The task's own (trusted) queries, split into statements once and kept. */
const trustedSplits = new Map<string, string[]>();

function split(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let statements = trustedSplits.get(text);
  if (!statements) {
    const checked = checkSubmission(text, { allowWrites: true, maxStatements: 1_000 });
    statements = checked.ok ? checked.statements : [text];
    if (trustedSplits.size > 1_000) trustedSplits.clear();
    trustedSplits.set(text, statements);
  }
  return statements;
}

/**
 * Whether a spare engine fits now: for "auto", while the memory the machine has available (as the
 * kernel counts it: MemAvailable) would hold two engine processes at their limit, the one serving
 * and the spare.
 */
export function spareFits(memoryMb = defaultLimits.memoryMb, availableBytes = freemem()): boolean {
  return availableBytes >= 2 * processLimitMb("postgres", memoryMb) * 1024 * 1024;
}

function wantsSpare(spare: PostgresSandboxOptions["spare"]): boolean {
  return spare === "auto" ? spareFits() : spare === true;
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
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? new SandboxPool();
  /** The data-directory dump the first child made; later children start from it. */
  let template: Uint8Array | null = null;
  let closed = false;
  const lane: Lane = pool.lane({
    engine: "postgres",
    size: 1,
    spares: () => (template !== null && wantsSpare(options.spare) ? 1 : 0),
    queueCapacity: options.queueCapacity ?? 64,
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
  });

  async function ensureDataset(child: ChildHandle<EngineReply>, dataset: Dataset, limits: Limits) {
    if (child.held.has(dataset.id)) return null;
    options.onDatasetBuild?.(dataset.id);
    const answer = await child.request(
      { type: "load", schema: schemaFor(dataset.id), role: roleFor(dataset.id), setup: dataset.setup },
      setupTimeMs,
    );
    if (!answer.ok) {
      const why =
        answer.death.kind === "timeout"
          ? "took too long to set up"
          : deathOutcome(answer.death, limits).message;
      return fail("unavailable", `dataset ${dataset.id}: ${why}`);
    }
    const reply = answer.body;
    if (reply.type !== "loaded") return fail("unavailable", "unexpected answer from the engine");
    if (!reply.ok) {
      if (reply.fatal) child.retire();
      return fail("unavailable", `dataset ${dataset.id}: ${reply.message}`);
    }
    child.held.set(dataset.id, true);
    return null;
  }

  async function onChild(
    child: ChildHandle<EngineReply>,
    request: RunRequest,
    statements: string[],
    limits: Limits,
  ): Promise<Outcome> {
    const notReady = await ensureDataset(child, request.dataset, limits);
    if (notReady) return notReady;
    const answer = await child.request(
      {
        type: "run",
        schema: schemaFor(request.dataset.id),
        role: roleFor(request.dataset.id),
        statements,
        check: split(request.check) ?? [],
        planQuery: split(request.planQuery)?.at(-1) ?? null,
        allowWrites: request.allowWrites,
        maxRows: limits.maxRows,
        memoryMb: limits.memoryMb,
        maxResultBytes,
      },
      limits.timeMs,
    );
    if (!answer.ok) return deathOutcome(answer.death, limits);
    const reply = answer.body;
    if (reply.type !== "result") return fail("unavailable", "unexpected answer from the engine");
    // A damaged engine, or one whose state an attempt changed, is never used again.
    if (reply.fatal !== null) child.retire();
    return reply.outcome;
  }

  async function attempt(request: RunRequest, limits: Limits): Promise<Outcome> {
    if (closed) return fail("unavailable", "the sandbox is closed");
    const refused = preflight("postgres", request, limits);
    if (refused) return refused;
    // Checked here, so a refusal is immediate and takes no engine; only what passed is sent.
    await loadPolicy();
    const checked = checkSubmission(request.query, { allowWrites: request.allowWrites, maxStatements });
    if (!checked.ok) return checked;
    return onLane<EngineReply>(lane, request, limits, (child) =>
      onChild(child, request, checked.statements, limits),
    );
  }

  return {
    engine: "postgres",
    run(request: RunRequest, given: Limits = defaultLimits): Promise<RunOutcome> {
      return timed(() => attempt(request, saneLimits(given, defaultLimits)));
    },
    async warm(warmOptions = {}) {
      await lane.warm(defaultLimits.memoryMb);
      if (warmOptions.spare && wantsSpare(options.spare)) await lane.warm(defaultLimits.memoryMb);
    },
    pids: () => lane.pids(),
    async close() {
      closed = true;
      await lane.close();
      if (ownPool) await pool.close();
    },
  };
}
