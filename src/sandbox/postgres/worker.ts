/**
 * A PGlite (PostgreSQL compiled to WebAssembly) engine in a worker thread. The parent kills
 * this thread on timeout or memory watchdog; everything here only has to keep one attempt
 * from outliving its transaction and report what happened.
 *
 * - Datasets: each dataset's setup runs once in this worker, into its own schema.
 * - Attempts: BEGIN [READ ONLY]; SET LOCAL search_path/temp_file_limit; the learner's statements,
 *   one extended-protocol message each (Parse/Bind/Execute with a row limit, so at most
 *   maxRows + 1 rows ever leave the engine); the check; ROLLBACK. Sequences (which ignore
 *   ROLLBACK) are reset after write attempts; prepared statements and advisory locks are dropped.
 * - Memory: WebAssembly.Memory.grow is capped during an attempt, so PostgreSQL's allocations fail
 *   with its own "out of memory" error instead of growing the heap; temp files are capped by
 *   temp_file_limit (PGlite keeps them in JS memory).
 * - PGlite swallows every exception from the engine's main loop, not only PostgreSQL's own error
 *   longjmps, and goes on in a damaged state (a V8 stack overflow in deep recursion, a WebAssembly
 *   trap). The main loop is wrapped to notice such exceptions; the parent then replaces the worker.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, protocol } from "@electric-sql/pglite";
import type { Cell } from "../../core/sandbox.js";
import { parserOverrides, toCell } from "./cells.js";
import type { FromWorker, ToWorker, WorkerBoot, WorkerOutcome } from "./protocol.js";

const MiB = 1024 * 1024;
/** Outside attempts (dataset setup) the heap may grow to this; wasm32 PGlite stops at 2 GiB. */
const idleHeapCapBytes = 1536 * MiB;
/** A worker whose heap has grown past this while idle is replaced after the attempt. */
const recycleHeapBytes = 1024 * MiB;
/** PostgreSQL's longjmp for an ordinary ERROR, as PGlite throws it (pglitec.c). */
const postgresMainLongjmp = 100;

let heapCapBytes = idleHeapCapBytes;
let heapRefused = false;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
// The project's lib settings have no WebAssembly value types; the runtime has them.
const memoryPrototype = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } })
  .WebAssembly.Memory.prototype;
const originalGrow = memoryPrototype.grow;
memoryPrototype.grow = function grow(this: WasmMemory, delta: number): number {
  if (this.buffer.byteLength + delta * 65_536 > heapCapBytes) {
    heapRefused = true;
    // Emscripten's resize_heap catches this and reports failure: malloc returns NULL and
    // PostgreSQL raises "out of memory" as an ordinary error.
    throw new RangeError("sandbox memory limit");
  }
  return originalGrow.call(this, delta);
};

const S = protocol.serialize;
const port = parentPort;
if (!port) throw new Error("the postgres sandbox worker must run in a worker thread");
const boot = workerData as WorkerBoot;

class Fatal extends Error {}

interface PgError {
  message: string;
  code?: string | undefined;
}

interface StatementResult {
  error: PgError | null;
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
  bytes: number;
  /** Transaction status after the statement: I (idle), T (in transaction), E (failed transaction). */
  status: string;
}

let taint: string | null = null;

function firstLine(text: unknown): string {
  const line = String(text ?? "").split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${firstLine(error.message)}`;
  if (error !== null && typeof error === "object" && "status" in error)
    return `exit(${String(error.status)})`;
  return firstLine(error);
}

const pg = await PGlite.create().catch((error: unknown) => {
  port.postMessage({ type: "boot-failed", message: describe(error) } satisfies FromWorker);
  return null;
});

function heapBytes(): number {
  return pg ? pg.Module.wasmMemory.buffer.byteLength : 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Sends protocol messages and collects the answer; engine damage becomes Fatal. */
async function exchange(parts: Uint8Array[]): Promise<StatementResult> {
  if (!pg) throw new Fatal("engine not started");
  let messages: { name: string }[];
  try {
    messages = await pg.execProtocolStream(concat(parts), { syncToFs: false, throwOnError: false });
  } catch (error) {
    throw new Fatal(describe(error));
  }
  if (taint) throw new Fatal(taint);
  const result: StatementResult = { error: null, fields: [], rows: [], bytes: 0, status: "?" };
  for (const m of messages) {
    switch (m.name) {
      case "error":
        result.error ??= m as unknown as PgError;
        break;
      case "rowDescription":
        result.fields = (m as unknown as { fields: { name: string; dataTypeID: number }[] }).fields;
        break;
      case "dataRow": {
        const fields = (m as unknown as { fields: (string | null)[] }).fields;
        for (const f of fields) result.bytes += f === null ? 0 : f.length;
        result.rows.push(fields);
        break;
      }
      case "readyForQuery":
        result.status = (m as unknown as { status: string }).status;
        break;
    }
  }
  return result;
}

/** One statement over the extended protocol, at most `rowLimit` rows. */
function statement(text: string, rowLimit: number): Promise<StatementResult> {
  return exchange([
    S.parse({ text }),
    S.bind({}),
    S.describe({ type: "P" }),
    S.execute({ rows: rowLimit }),
    S.sync(),
  ]);
}

/** The sandbox's own SQL (simple protocol); an error here means the session is not as expected. */
async function own(text: string): Promise<StatementResult> {
  const r = await exchange([S.query(text)]);
  if (r.error) throw new Fatal(`internal statement failed: ${firstLine(r.error.message)}`);
  return r;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Per loaded schema: the statement that puts its sequences back where setup left them. */
const sequenceResets = new Map<string, string>();

async function loadDataset(schema: string, setup: string): Promise<string | null> {
  heapCapBytes = idleHeapCapBytes;
  await own(`CREATE SCHEMA ${quoteIdent(schema)}`);
  try {
    await own(`SET search_path TO ${quoteIdent(schema)}`);
    const r = await exchange([S.query(setup)]);
    if (r.error) throw new Error(`dataset setup failed: ${firstLine(r.error.message)}`);
    if (r.status !== "I") throw new Error("dataset setup left a transaction open");
    await own("RESET search_path");
    const tables = await own(
      `SELECT format('ANALYZE %I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = ${quoteLiteral(schema)}`,
    );
    for (const [sql] of tables.rows) if (sql) await own(sql);
    const seqs = await own(
      `SELECT format('setval(%L, %s, %s)', format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value), CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END) FROM pg_sequences WHERE schemaname = ${quoteLiteral(schema)}`,
    );
    const calls = seqs.rows.map(([call]) => call).filter((c): c is string => typeof c === "string");
    if (calls.length > 0) sequenceResets.set(schema, `SELECT ${calls.join(", ")}`);
    return null;
  } catch (error) {
    if (error instanceof Fatal) throw error;
    await exchange([S.query("ROLLBACK")]);
    await own("RESET search_path");
    await own(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    return error instanceof Error ? error.message : String(error);
  }
}

function failure(error: PgError): WorkerOutcome {
  const code = error.code ?? "";
  const message = firstLine(error.message);
  if (heapRefused || code.startsWith("53")) return { ok: false, reason: "memory", message };
  if (code === "25006") return { ok: false, reason: "read-only", message };
  if (code.startsWith("54")) return { ok: false, reason: "too-large", message };
  if (code === "42601")
    return { ok: false, reason: message.startsWith("memory exhausted") ? "too-large" : "syntax", message };
  return { ok: false, reason: "runtime", message };
}

type RunRequest = Extract<ToWorker, { type: "run" }>;

async function explain(text: string): Promise<string[]> {
  await own("SAVEPOINT sbx_plan");
  const r = await statement(`EXPLAIN (FORMAT TEXT, COSTS OFF) ${text}`, 1000);
  if (r.error) {
    await own("ROLLBACK TO SAVEPOINT sbx_plan; RELEASE SAVEPOINT sbx_plan");
    return [`(no plan: ${firstLine(r.error.message)})`];
  }
  await own("RELEASE SAVEPOINT sbx_plan");
  return r.rows.map(([line]) => line ?? "");
}

function toResult(r: StatementResult, maxRows: number, plan: string[] | null): WorkerOutcome {
  if (!pg) throw new Fatal("engine not started");
  const parsers = pg.parsers;
  const types = r.fields.map((f) => f.dataTypeID);
  const rows: Cell[][] = r.rows.slice(0, maxRows).map((row) =>
    row.map((text, i) => {
      if (text === null) return null;
      const typeId = types[i] ?? 0;
      const parse = parsers[typeId];
      return toCell(parse ? parse(text, typeId) : text, typeId);
    }),
  );
  return { ok: true, columns: r.fields.map((f) => f.name), rows, truncated: r.rows.length > maxRows, plan };
}

async function attempt(req: RunRequest): Promise<WorkerOutcome> {
  const tempKb = Math.max(1024, Math.floor((req.memoryMb * 1024) / 4));
  const begin = await own(
    `BEGIN${req.allowWrites ? "" : " READ ONLY"}; SET LOCAL search_path TO ${quoteIdent(req.schema)}; SET LOCAL temp_file_limit = '${tempKb}kB'`,
  );
  if (begin.status !== "T") throw new Fatal("could not open the attempt's transaction");
  let last: StatementResult | null = null;
  let plan: string[] | null = null;
  const tooLarge = (): WorkerOutcome => ({
    ok: false,
    reason: "too-large",
    message: `the result is larger than ${Math.round(req.maxResultBytes / MiB)} MiB`,
  });
  for (let k = 0; k < req.statements.length; k++) {
    const text = req.statements[k] as string;
    if (k === req.explainIndex) plan = await explain(text);
    const r = await statement(text, req.maxRows + 1);
    if (r.status === "I") throw new Fatal("escaped");
    if (r.error) return failure(r.error);
    if (r.bytes > req.maxResultBytes) return tooLarge();
    last = r;
  }
  if (req.check) {
    for (const text of req.check) {
      const r = await statement(text, req.maxRows + 1);
      if (r.status === "I") throw new Fatal("check left the transaction");
      if (r.error) return failure(r.error);
      if (r.bytes > req.maxResultBytes) return tooLarge();
      last = r;
    }
  }
  if (!last) return { ok: true, columns: [], rows: [], truncated: false, plan };
  return toResult(last, req.maxRows, plan);
}

async function finish(allowWrites: boolean): Promise<void> {
  const r = await exchange([S.query("ROLLBACK")]);
  if (r.status !== "I") throw new Fatal("could not roll the attempt back");
  if (allowWrites) for (const reset of sequenceResets.values()) await own(reset);
  await own("CLOSE ALL; DEALLOCATE ALL; SELECT pg_advisory_unlock_all()");
}

async function run(req: RunRequest): Promise<FromWorker> {
  heapRefused = false;
  heapCapBytes = Math.min(idleHeapCapBytes, heapBytes() + req.memoryMb * 0.8 * MiB);
  let outcome: WorkerOutcome;
  let fatal: string | null = null;
  try {
    outcome = await attempt(req);
  } catch (error) {
    fatal = error instanceof Error ? error.message : describe(error);
    if (fatal === "escaped")
      outcome = { ok: false, reason: "blocked", message: "leaving the attempt's transaction is not allowed" };
    else if (/RangeError: Maximum call stack/.test(fatal))
      outcome = { ok: false, reason: "too-large", message: "the query is nested too deeply for the engine" };
    else if (heapRefused) outcome = { ok: false, reason: "memory", message: "out of memory" };
    else outcome = { ok: false, reason: "runtime", message: "the database engine failed on this query" };
  } finally {
    heapCapBytes = idleHeapCapBytes;
  }
  if (fatal === null) {
    try {
      await finish(req.allowWrites);
    } catch (error) {
      fatal = error instanceof Error ? error.message : describe(error);
    }
  }
  const wasmBytes = heapBytes();
  if (fatal === null && wasmBytes > recycleHeapBytes) fatal = "heap grew too large";
  return { type: "result", id: req.id, outcome, fatal, wasmBytes };
}

async function handle(msg: ToWorker): Promise<FromWorker> {
  if (msg.type === "load") {
    try {
      const problem = await loadDataset(msg.schema, msg.setup);
      return problem === null
        ? { type: "loaded", id: msg.id, ok: true }
        : { type: "loaded", id: msg.id, ok: false, message: problem, fatal: false };
    } catch (error) {
      // Fatal: the engine is damaged; the parent replaces this worker.
      return { type: "loaded", id: msg.id, ok: false, message: describe(error), fatal: true };
    }
  }
  return run(msg);
}

if (pg) {
  Object.assign(pg.parsers, parserOverrides);
  const mod = pg.Module;
  const loopOnce = mod._PostgresMainLoopOnce;
  mod._PostgresMainLoopOnce = () => {
    try {
      loopOnce();
    } catch (error) {
      const longjmp =
        error !== null &&
        typeof error === "object" &&
        "status" in error &&
        error.status === postgresMainLongjmp;
      if (!longjmp) taint ??= describe(error);
      throw error;
    }
  };
  const longJmp = mod._PostgresMainLongJmp;
  mod._PostgresMainLongJmp = () => {
    try {
      longJmp();
    } catch (error) {
      taint ??= describe(error);
      throw error;
    }
  };
  try {
    await own(
      `SET max_stack_depth = '${boot.maxStackDepthKb}kB'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'`,
    );
    let chain: Promise<unknown> = Promise.resolve();
    port.on("message", (msg: ToWorker) => {
      chain = chain.then(async () => port.postMessage(await handle(msg)));
    });
    port.postMessage({ type: "ready", wasmBytes: heapBytes() } satisfies FromWorker);
  } catch (error) {
    port.postMessage({ type: "boot-failed", message: describe(error) } satisfies FromWorker);
  }
}
