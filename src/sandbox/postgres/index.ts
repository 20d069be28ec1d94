/**
 * The PostgreSQL sandbox: PGlite (PostgreSQL 18 compiled to WebAssembly, in memory) in a
 * worker thread that is killed when an attempt runs too long or uses too much memory.
 *
 * Process model: one engine worker runs attempts one at a time (requests queue); PGlite takes
 * seconds to start, so a second, spare worker is kept started and takes over at once when the
 * active one is killed (a new spare then starts in the background). Nothing starts before the
 * first run (or `warm()`).
 *
 * Datasets: each dataset's setup SQL runs once per worker, into its own schema (`ds_<id>_<hash>`);
 * every attempt runs inside `BEGIN [READ ONLY]; SET LOCAL search_path …; …; ROLLBACK`, so the
 * dataset is never rebuilt and nothing an attempt writes survives it (sequences, which ignore
 * ROLLBACK, are reset after write attempts).
 *
 * Refusals happen here, before the engine sees anything: text size, statements that could
 * leave the attempt's transaction or reach beyond the engine (COPY, DO, LOAD, extensions,
 * roles, settings, LISTEN/NOTIFY, functions in languages other than SQL/PL/pgSQL, file and
 * dynamic-SQL functions…), found by a lexer that knows PostgreSQL's comments and literals
 * (sql-scan.ts). Read-only tasks take exactly one statement, in a READ ONLY transaction.
 *
 * Limits: `timeMs` by killing the worker; `memoryMb` by a cap on the engine's WebAssembly heap
 * (PostgreSQL reports "out of memory"), by temp_file_limit, by the worker's V8 heap limit, and by
 * a watchdog on the process's resident memory that kills the worker past baseline + memoryMb;
 * `maxRows` by the protocol's row limit on Execute (the engine never sends more than maxRows + 1).
 */
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import {
  type Dataset,
  defaultLimits,
  type Limits,
  type RunOutcome,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { workerEntry } from "../worker-entry.js";
import type { FromWorker, ToWorker, WorkerBoot, WorkerOutcome } from "./protocol.js";
import { checkStatement, splitStatements } from "./sql-scan.js";

export interface PostgresSandboxOptions {
  /** Keep a second engine started so a killed one is replaced without waiting (default true). */
  spare?: boolean;
  /** Bytes of cell text one result may carry (default 8 MiB); more is "too-large". */
  maxResultBytes?: number;
  /** V8 heap cap of each worker in MiB (default 512); the engine's own heap is capped per attempt. */
  workerHeapMb?: number;
  /** Time an engine may take to start (default 60 s). */
  startTimeoutMs?: number;
  /** Time a dataset's setup may take (default 60 s); it does not count against the attempt. */
  setupTimeMs?: number;
  /** PostgreSQL's max_stack_depth in kB (default 1024). */
  maxStackDepthKb?: number;
  /** How often the memory watchdog samples the process's resident memory (default 50 ms). */
  watchdogIntervalMs?: number;
  /** Write statements one attempt may have (default 50). */
  maxStatements?: number;
  /** Called each time a dataset's setup is about to run in an engine (tests count builds with it). */
  onDatasetBuild?: (datasetId: string) => void;
}

const MiB = 1024 * 1024;
/** The worker thread's native stack: deep PostgreSQL recursion runs on it (through the JS glue). */
const workerStackMb = 64;

type Failure = Extract<RunOutcome, { ok: false }>;
type Death = { kind: "exit"; error: Error | null } | { kind: "timeout" };

/** One PGlite engine in a worker thread. */
class EngineWorker {
  readonly ready: Promise<void>;
  readonly loaded = new Set<string>();
  booting = true;
  dead = false;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: FromWorker) => void; reject: (d: Death) => void }
  >();
  private lastError: Error | null = null;

  constructor(boot: WorkerBoot, heapMb: number, startTimeoutMs: number) {
    const entry = workerEntry(import.meta.url);
    this.worker = new Worker(entry.file, {
      eval: entry.eval,
      workerData: boot,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, stackSizeMb: workerStackMb },
    });
    this.worker.unref();
    let settle: (error: Error | null) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        settle(new Error(`the PostgreSQL engine did not start within ${startTimeoutMs} ms`));
        this.kill();
      }, startTimeoutMs);
      timer.unref();
      settle = (error) => {
        clearTimeout(timer);
        this.booting = false;
        if (error) reject(error);
        else resolve();
      };
    });
    this.ready.catch(() => {}); // awaited by whoever needs the engine
    this.worker.on("message", (msg: FromWorker) => {
      if (msg.type === "ready") settle(null);
      else if (msg.type === "boot-failed") {
        settle(new Error(`the PostgreSQL engine failed to start: ${msg.message}`));
        this.kill();
      } else {
        const waiter = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        waiter?.resolve(msg);
      }
    });
    this.worker.on("error", (error) => {
      this.lastError = error;
    });
    this.worker.on("exit", () => {
      this.dead = true;
      settle(this.lastError ?? new Error("the PostgreSQL engine stopped while starting"));
      this.rejectAll({ kind: "exit", error: this.lastError });
    });
  }

  /** Sends a message and waits for its answer (or the worker's death, or `timeoutMs`). */
  request(msg: ToWorker, timeoutMs: number): Promise<FromWorker> {
    if (this.dead) return Promise.reject({ kind: "exit", error: this.lastError } satisfies Death);
    return new Promise<FromWorker>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msg.id);
        reject({ kind: "timeout" } satisfies Death);
      }, timeoutMs);
      this.pending.set(msg.id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (d) => {
          clearTimeout(timer);
          reject(d);
        },
      });
      this.worker.postMessage(msg);
    });
  }

  id(): number {
    return this.nextId++;
  }

  kill(): Promise<void> {
    this.dead = true;
    this.rejectAll({ kind: "exit", error: this.lastError });
    return this.worker.terminate().then(
      () => undefined,
      () => undefined,
    );
  }

  private rejectAll(death: Death): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(death);
  }
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

interface Prepared {
  statements: string[];
  check: string[] | null;
  explainIndex: number;
}

class PostgresSandbox implements Sandbox {
  readonly engine = "postgres" as const;
  private active: EngineWorker | null = null;
  private spare: EngineWorker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly boot: WorkerBoot;
  private readonly spareEnabled: boolean;
  private readonly maxResultBytes: number;
  private readonly heapMb: number;
  private readonly startTimeoutMs: number;
  private readonly setupTimeMs: number;
  private readonly watchdogIntervalMs: number;
  private readonly maxStatements: number;
  private readonly onDatasetBuild: ((datasetId: string) => void) | undefined;

  constructor(options: PostgresSandboxOptions) {
    this.boot = { maxStackDepthKb: options.maxStackDepthKb ?? 1024 };
    this.spareEnabled = options.spare ?? true;
    this.maxResultBytes = options.maxResultBytes ?? 8 * MiB;
    this.heapMb = options.workerHeapMb ?? 512;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.setupTimeMs = options.setupTimeMs ?? 60_000;
    this.watchdogIntervalMs = options.watchdogIntervalMs ?? 50;
    this.maxStatements = options.maxStatements ?? 50;
    this.onDatasetBuild = options.onDatasetBuild;
  }

  async run(request: RunRequest, limits: Limits = defaultLimits): Promise<RunOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const prepared = this.prepare(request, limits);
      if ("reason" in prepared) return { ...prepared, elapsedMs: elapsed() };
      const outcome = await this.enqueue(() => this.execute(request.dataset, prepared, request, limits));
      if (!outcome.ok) return { ...outcome, elapsedMs: elapsed() };
      const { columns, rows, truncated, plan } = outcome;
      return { ok: true, result: { columns, rows }, plan, truncated, elapsedMs: elapsed() };
    } catch (error) {
      return { ok: false, reason: "unavailable", message: (error as Error).message, elapsedMs: elapsed() };
    }
  }

  /** Starts the engine (and the spare) now instead of on the first run. */
  async warm(options: { spare?: boolean } = {}): Promise<void> {
    await this.enqueue(() => this.acquire());
    if (options.spare && this.spare) await this.spare.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [this.active, this.spare].filter((w): w is EngineWorker => w !== null);
    this.active = null;
    this.spare = null;
    await Promise.all(workers.map((w) => w.kill()));
  }

  /** Checks that need no engine: sizes, splitting, refusals. */
  private prepare(request: RunRequest, limits: Limits): Prepared | Omit<Failure, "elapsedMs"> {
    if (this.closed) return { ok: false, reason: "unavailable", message: "the sandbox is closed" };
    if (request.dataset.engine !== "postgres")
      return {
        ok: false,
        reason: "unavailable",
        message: `dataset ${request.dataset.id} is not a postgres dataset`,
      };
    for (const [what, text] of [
      ["query", request.query],
      ["check", request.check ?? ""],
    ] as const) {
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > limits.maxQueryBytes)
        return {
          ok: false,
          reason: "too-large",
          message: `the ${what} is ${bytes} bytes; at most ${limits.maxQueryBytes} are allowed`,
        };
    }
    const split = splitStatements(request.query);
    if (!split.ok) return { ok: false, reason: split.reason, message: split.message };
    const statements = split.statements;
    if (statements.length === 0) return { ok: false, reason: "syntax", message: "the query is empty" };
    if (!request.allowWrites && statements.length > 1)
      return { ok: false, reason: "blocked", message: "only one SQL statement is allowed in this challenge" };
    if (statements.length > this.maxStatements)
      return {
        ok: false,
        reason: "too-large",
        message: `at most ${this.maxStatements} statements are allowed`,
      };
    for (const statement of statements) {
      const refusal = checkStatement(statement);
      if (refusal) return { ok: false, ...refusal };
    }
    let check: string[] | null = null;
    if (request.check !== undefined && request.check.trim() !== "") {
      const checkSplit = splitStatements(request.check);
      check = checkSplit.ok ? checkSplit.statements.map((s) => s.text) : [request.check];
    }
    return {
      statements: statements.map((s) => s.text),
      check,
      explainIndex: request.explain ? statements.length - 1 : -1,
    };
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.queue.then(job, job);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private spawn(): EngineWorker {
    return new EngineWorker(this.boot, this.heapMb, this.startTimeoutMs);
  }

  private topUpSpare(): void {
    if (this.spareEnabled && !this.closed && (this.spare === null || this.spare.dead))
      this.spare = this.spawn();
  }

  /** The active engine, started (or promoted from the spare) if needed. */
  private async acquire(): Promise<EngineWorker> {
    if (this.closed) throw new Error("the sandbox is closed");
    if (this.active === null || this.active.dead) {
      if (this.spare !== null && !this.spare.dead) {
        this.active = this.spare;
        this.spare = null;
      } else this.active = this.spawn();
    }
    const engine = this.active;
    try {
      await engine.ready;
    } catch (error) {
      if (this.active === engine) this.active = null;
      void engine.kill();
      throw error;
    }
    if (this.closed) throw new Error("the sandbox is closed");
    this.topUpSpare();
    return engine;
  }

  /** Kills an engine that timed out, ran out of memory or may be damaged; the spare takes over. */
  private retire(engine: EngineWorker): void {
    void engine.kill();
    if (this.spare === engine) this.spare = null;
    if (this.active === engine) {
      this.active = null;
      if (this.spare !== null && !this.spare.dead) {
        this.active = this.spare;
        this.spare = null;
      }
      this.topUpSpare();
    }
  }

  private async execute(dataset: Dataset, prepared: Prepared, request: RunRequest, limits: Limits) {
    const engine = await this.acquire();
    const schema = schemaFor(dataset.id);
    if (!engine.loaded.has(dataset.id)) {
      this.onDatasetBuild?.(dataset.id);
      let reply: FromWorker;
      try {
        reply = await engine.request(
          { type: "load", id: engine.id(), datasetId: dataset.id, schema, setup: dataset.setup },
          this.setupTimeMs,
        );
      } catch (death) {
        this.retire(engine);
        const timedOut = (death as Death).kind === "timeout";
        throw new Error(
          timedOut ? `dataset ${dataset.id} took too long to set up` : "the engine stopped during setup",
        );
      }
      if (reply.type !== "loaded") throw new Error("unexpected answer from the engine");
      if (!reply.ok) {
        if (reply.fatal) this.retire(engine);
        throw new Error(`dataset ${dataset.id}: ${reply.message}`);
      }
      engine.loaded.add(dataset.id);
    }
    return this.attempt(
      engine,
      {
        type: "run",
        id: engine.id(),
        schema,
        statements: prepared.statements,
        explainIndex: prepared.explainIndex,
        check: prepared.check,
        allowWrites: request.allowWrites,
        maxRows: limits.maxRows,
        memoryMb: limits.memoryMb,
        maxResultBytes: this.maxResultBytes,
      },
      limits,
    );
  }

  /** Runs one attempt under the time limit and the memory watchdog. */
  private attempt(engine: EngineWorker, msg: ToWorker, limits: Limits): Promise<WorkerOutcome> {
    const rssLimit = process.memoryUsage.rss() + limits.memoryMb * MiB;
    return new Promise<WorkerOutcome>((resolve) => {
      let done = false;
      const finish = (outcome: WorkerOutcome, kill: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        if (kill) this.retire(engine);
        resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          finish(
            { ok: false, reason: "timeout", message: `the query ran longer than ${limits.timeMs} ms` },
            true,
          ),
        limits.timeMs,
      );
      const watchdog = setInterval(() => {
        // A starting engine (the spare) grows the process by hundreds of MiB: not this attempt's doing.
        if (this.spare?.booting || engine.booting) return;
        if (process.memoryUsage.rss() > rssLimit)
          finish(
            { ok: false, reason: "memory", message: `the query used more than ${limits.memoryMb} MiB` },
            true,
          );
      }, this.watchdogIntervalMs);
      engine.request(msg, limits.timeMs + 60_000).then(
        (reply) => {
          if (reply.type !== "result")
            finish({ ok: false, reason: "unavailable", message: "unexpected answer" }, true);
          else finish(reply.outcome, reply.fatal !== null);
        },
        (death: Death) =>
          finish(
            this.closed
              ? { ok: false, reason: "unavailable", message: "the sandbox was closed during the attempt" }
              : deathOutcome(death, limits),
            true,
          ),
      );
    });
  }
}

function deathOutcome(death: Death, limits: Limits): WorkerOutcome {
  if (death.kind === "timeout")
    return { ok: false, reason: "timeout", message: `the query ran longer than ${limits.timeMs} ms` };
  const code = (death.error as (Error & { code?: string }) | null)?.code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY")
    return { ok: false, reason: "memory", message: `the query used more than the engine's memory` };
  return {
    ok: false,
    reason: "runtime",
    message: "the database engine stopped on this query and was restarted",
  };
}

export type PostgresSandboxHandle = Sandbox & { warm(options?: { spare?: boolean }): Promise<void> };

export function createPostgresSandbox(options: PostgresSandboxOptions = {}): PostgresSandboxHandle {
  return new PostgresSandbox(options);
}
