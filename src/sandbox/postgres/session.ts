/**
 * The one PGlite session of a PostgreSQL engine child, and the ways the child talks to it:
 * learner statements over the extended protocol (at most `rowLimit` rows leave the engine), the
 * sandbox's own statements over the simple protocol (an error there means the engine is not in the
 * state the sandbox expects: Fatal, and the child is replaced).
 *
 * Two guards live here because they must be in place before the engine starts:
 * - WebAssembly.Memory.grow is capped during an attempt, so PostgreSQL's allocations fail with its
 *   own "out of memory" error instead of growing the process.
 * - PGlite swallows every exception from the engine's main loop, not only PostgreSQL's own error
 *   longjmps, and goes on damaged (a V8 stack overflow in deep recursion, a WebAssembly trap). The
 *   main loop is wrapped to notice; the next exchange then raises Fatal.
 */
import { PGlite, protocol } from "@electric-sql/pglite";

const MiB = 1024 * 1024;
/** Outside attempts (dataset setup) the heap may grow to this; wasm32 PGlite stops at 2 GiB. */
export const idleHeapCapBytes = 1536 * MiB;
/** PostgreSQL's longjmp for an ordinary ERROR, as PGlite throws it (pglitec.c). */
const postgresMainLongjmp = 100;

export const memory = { capBytes: idleHeapCapBytes, refused: false };

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
// The project's lib settings have no WebAssembly value types; the runtime has them.
const memoryPrototype = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } })
  .WebAssembly.Memory.prototype;
const originalGrow = memoryPrototype.grow;
memoryPrototype.grow = function grow(this: WasmMemory, delta: number): number {
  if (this.buffer.byteLength + delta * 65_536 > memory.capBytes) {
    memory.refused = true;
    // Emscripten's resize_heap catches this and reports failure: malloc returns NULL and
    // PostgreSQL raises "out of memory" as an ordinary error.
    throw new RangeError("sandbox memory limit");
  }
  return originalGrow.call(this, delta);
};

/** The engine may be damaged: the child answers and is then replaced. */
export class Fatal extends Error {}

export interface PgError {
  message: string;
  code?: string | undefined;
}

export interface StatementResult {
  error: PgError | null;
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
  bytes: number;
  /** Transaction status after the statement: I (idle), T (in transaction), E (failed transaction). */
  status: string;
}

const S = protocol.serialize;
let taint: string | null = null;

export function firstLine(text: unknown): string {
  const line = String(text ?? "").split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${firstLine(error.message)}`;
  if (error !== null && typeof error === "object" && "status" in error)
    return `exit(${String(error.status)})`;
  return firstLine(error);
}

/**
 * What the engine holds in memory, kept small (measured in the README's "Memory" section): the data
 * directory lives in PGlite's in-memory file system in every child (and the template in the bot),
 * and PostgreSQL's buffer cache is memory the engine touches whole at start.
 * - shared_buffers 8 MB instead of 128: the datasets are a few hundred rows; a page not cached is
 *   copied from the in-memory file system. This took a child from about 480 to 330 MB.
 * - WAL in 1 MB segments instead of 16, never recycled into future segments: the template holds
 *   2 MB of WAL instead of 16 + 7, and a checkpoint frees what an attempt wrote (attempt.ts).
 */
const serverSettings = ["shared_buffers=8MB", "wal_recycle=off"];
const initdbParams = ["--wal-segsize=1", ...serverSettings.flatMap((setting) => ["-c", setting])];

/** The media type PGlite reads a gzip-compressed data-directory dump by. */
const gzipType = "application/x-gzip";

/**
 * Starts PGlite (from a gzip-compressed data-directory dump when given, else by initdb) with the
 * main loop watched for damage.
 */
export async function startEngine(template: Uint8Array | null): Promise<PGlite> {
  const startParams = [...PGlite.defaultStartParams, ...serverSettings.flatMap((setting) => ["-c", setting])];
  const pg = await PGlite.create(
    template
      ? { loadDataDir: new Blob([template], { type: gzipType }), startParams }
      : { initDbStartParams: initdbParams, startParams },
  );
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
  return pg;
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

export class Session {
  constructor(readonly pg: PGlite) {}

  heapBytes(): number {
    return this.pg.Module.wasmMemory.buffer.byteLength;
  }

  /** Sends protocol messages and collects the answer; engine damage becomes Fatal. */
  async exchange(parts: Uint8Array[]): Promise<StatementResult> {
    let messages: { name: string }[];
    try {
      messages = await this.pg.execProtocolStream(concat(parts), { syncToFs: false, throwOnError: false });
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
  statement(text: string, rowLimit: number): Promise<StatementResult> {
    return this.exchange([
      S.parse({ text }),
      S.bind({}),
      S.describe({ type: "P" }),
      S.execute({ rows: rowLimit }),
      S.sync(),
    ]);
  }

  /** The sandbox's own SQL (simple protocol); an error here means the session is not as expected. */
  async own(text: string): Promise<StatementResult> {
    const r = await this.exchange([S.query(text)]);
    if (r.error) throw new Fatal(`internal statement failed: ${firstLine(r.error.message)}`);
    return r;
  }

  /** Trusted text that may fail (a dataset's setup): the error is returned, not thrown. */
  script(text: string): Promise<StatementResult> {
    return this.exchange([S.query(text)]);
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
