/**
 * One attempt in a PostgreSQL engine child, and the loading of a dataset.
 *
 * - A dataset lives in its own schema, owned by its own role (NOLOGIN, no attributes); the setup
 *   runs as that role once per child.
 * - An attempt: the statements the policy (PostgreSQL's own parser, in the sandbox) split and
 *   checked, run as: BEGIN [READ ONLY]; SET LOCAL search_path, temp_file_limit, and SET LOCAL ROLE to the dataset's
 *   role, so the engine itself refuses what no learner may do (LOAD, file and large-object server
 *   functions, settings, untrusted languages); the learner's statements, one extended-protocol
 *   message each (at most maxRows + 1 rows ever leave the engine); the check; EXPLAIN of the task's
 *   plan query; ROLLBACK. Sequences (which ignore ROLLBACK) are reset after write attempts;
 *   portals, prepared statements and advisory locks are dropped; the role and the settings are
 *   checked to be back where they were, and the file system outside the data directory too.
 */
import type { Cell } from "../../core/sandbox.js";
import type { Outcome as AttemptOutcome } from "../kit/outcome.js";
import { parserOverrides, toCell } from "./cells.js";
import type { FileGuard } from "./files.js";
import type { EngineReply, EngineRequest } from "./protocol.js";
import {
  describe,
  Fatal,
  firstLine,
  idleHeapCapBytes,
  memory,
  type PgError,
  quoteIdent,
  quoteLiteral,
  type Session,
  type StatementResult,
} from "./session.js";
import { sizeColumn, Tidy, walColumn } from "./tidy.js";

const MiB = 1024 * 1024;
/** A child whose engine heap has grown past this is replaced after the attempt. */
const recycleHeapBytes = 1024 * MiB;
type Run = Extract<EngineRequest, { type: "run" }>;

export class Attempts {
  /** Per loaded schema: the statement that puts its sequences back where setup left them. */
  private readonly sequenceResets = new Map<string, string>();
  private readonly tidy: Tidy;

  constructor(
    private readonly session: Session,
    private readonly files: FileGuard,
  ) {
    Object.assign(session.pg.parsers, parserOverrides);
    this.tidy = new Tidy(session);
  }

  async load(schema: string, role: string, setup: string): Promise<EngineReply> {
    const { session } = this;
    memory.capBytes = idleHeapCapBytes;
    try {
      await session.own(
        `CREATE ROLE ${quoteIdent(role)} NOLOGIN NOINHERIT; CREATE SCHEMA ${quoteIdent(schema)} AUTHORIZATION ${quoteIdent(role)}`,
      );
      await session.own(`SET ROLE ${quoteIdent(role)}; SET search_path TO ${quoteIdent(schema)}`);
      const r = await session.script(setup);
      if (r.error) return this.unload(schema, role, `dataset setup failed: ${firstLine(r.error.message)}`);
      if (r.status !== "I") return this.unload(schema, role, "dataset setup left a transaction open");
      await session.own("RESET ROLE; RESET search_path");
      const tables = await session.own(
        `SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = ${quoteLiteral(schema)}`,
      );
      const names = tables.rows.map(([name]) => name).filter((n): n is string => typeof n === "string");
      for (const name of names) await session.own(`ANALYZE ${name}`);
      const seqs = await session.own(
        `SELECT format('setval(%L, %s, %s)', format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value), CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END) FROM pg_sequences WHERE schemaname = ${quoteLiteral(schema)}`,
      );
      const calls = seqs.rows.map(([call]) => call).filter((c): c is string => typeof c === "string");
      if (calls.length > 0) this.sequenceResets.set(schema, `SELECT ${calls.join(", ")}`);
      await this.tidy.setUp(schema, names);
      return { type: "loaded", ok: true };
    } catch (error) {
      return { type: "loaded", ok: false, message: describe(error), fatal: true };
    }
  }

  private async unload(schema: string, role: string, message: string): Promise<EngineReply> {
    await this.session.script("ROLLBACK");
    await this.session.own(
      `RESET ROLE; RESET search_path; DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE; DROP ROLE IF EXISTS ${quoteIdent(role)}`,
    );
    return { type: "loaded", ok: false, message, fatal: false };
  }

  async run(req: Run): Promise<EngineReply> {
    memory.refused = false;
    memory.capBytes = Math.min(idleHeapCapBytes, this.session.heapBytes() + req.memoryMb * 0.8 * MiB);
    let outcome: AttemptOutcome;
    let fatal: string | null = null;
    try {
      outcome = await this.attempt(req);
    } catch (error) {
      fatal = error instanceof Error ? error.message : describe(error);
      if (fatal === "escaped")
        outcome = {
          ok: false,
          reason: "blocked",
          message: "leaving the attempt's transaction is not allowed",
        };
      else if (/RangeError: Maximum call stack/.test(fatal))
        outcome = {
          ok: false,
          reason: "too-large",
          message: "the query is nested too deeply for the engine",
        };
      else if (memory.refused) outcome = { ok: false, reason: "memory", message: "out of memory" };
      else outcome = { ok: false, reason: "runtime", message: "the database engine failed on this query" };
    } finally {
      memory.capBytes = idleHeapCapBytes;
    }
    if (fatal === null) {
      try {
        const [wal, size] = await this.finish(req.schema, req.allowWrites);
        await this.tidy.after(req.schema, wal, size);
      } catch (error) {
        fatal = error instanceof Error ? error.message : describe(error);
      }
    }
    if (fatal === null && !this.files.restore()) fatal = "the attempt changed the engine's files";
    if (fatal === null && this.session.heapBytes() > recycleHeapBytes) fatal = "heap grew too large";
    return { type: "result", outcome, fatal };
  }

  private failure(error: PgError): AttemptOutcome {
    const code = error.code ?? "";
    const message = firstLine(error.message);
    if (memory.refused || code.startsWith("53")) return { ok: false, reason: "memory", message };
    if (code === "25006") return { ok: false, reason: "read-only", message };
    if (code === "42501") return { ok: false, reason: "blocked", message };
    if (code.startsWith("54")) return { ok: false, reason: "too-large", message };
    if (code === "42601")
      return { ok: false, reason: message.startsWith("memory exhausted") ? "too-large" : "syntax", message };
    return { ok: false, reason: "runtime", message };
  }

  private async attempt(req: Run): Promise<AttemptOutcome> {
    const { session } = this;
    const tempKb = Math.max(1024, Math.floor((req.memoryMb * 1024) / 4));
    const begin = await session.own(
      `BEGIN${req.allowWrites ? "" : " READ ONLY"}; SET LOCAL search_path TO ${quoteIdent(req.schema)}; SET LOCAL temp_file_limit = '${tempKb}kB'; SET LOCAL ROLE ${quoteIdent(req.role)}`,
    );
    if (begin.status !== "T") throw new Fatal("could not open the attempt's transaction");
    let last: StatementResult | null = null;
    const tooLarge = (): AttemptOutcome => ({
      ok: false,
      reason: "too-large",
      message: `the result is larger than ${Math.round(req.maxResultBytes / MiB)} MiB`,
    });
    for (const text of [...req.statements, ...req.check]) {
      const r = await session.statement(text, req.maxRows + 1);
      if (r.status === "I") throw new Fatal("escaped");
      if (r.error) return this.failure(r.error);
      if (r.bytes > req.maxResultBytes) return tooLarge();
      last = r;
    }
    const plan = req.planQuery === null ? null : await this.explain(req.planQuery);
    if (!last) return { ok: true, result: { columns: [], rows: [] }, truncated: false, plan };
    return this.toResult(last, req.maxRows, plan);
  }

  /** The plan of the task's own query, on the state the learner's statements left. */
  private async explain(text: string): Promise<string[]> {
    const { session } = this;
    await session.own("SAVEPOINT sbx_plan");
    const r = await session.statement(`EXPLAIN (FORMAT TEXT, COSTS OFF) ${text}`, 1000);
    if (r.error) {
      await session.own("ROLLBACK TO SAVEPOINT sbx_plan; RELEASE SAVEPOINT sbx_plan");
      return [`(no plan: ${firstLine(r.error.message)})`];
    }
    await session.own("RELEASE SAVEPOINT sbx_plan");
    return r.rows.map(([line]) => line ?? "");
  }

  private toResult(r: StatementResult, maxRows: number, plan: string[] | null): AttemptOutcome {
    const parsers = this.session.pg.parsers;
    const types = r.fields.map((f) => f.dataTypeID);
    const rows: Cell[][] = r.rows.slice(0, maxRows).map((row) =>
      row.map((text, i) => {
        if (text === null) return null;
        const typeId = types[i] ?? 0;
        const parse = parsers[typeId];
        return toCell(parse ? parse(text, typeId) : text, typeId);
      }),
    );
    return {
      ok: true,
      result: { columns: r.fields.map((f) => f.name), rows },
      truncated: r.rows.length > maxRows,
      plan,
    };
  }

  /**
   * One round trip: roll back, put the schema's sequences back, drop what a session keeps, check.
   * Returns what tidy.ts reads: the WAL since the last checkpoint, and (after writes) the schema's size.
   */
  private async finish(schema: string, allowWrites: boolean): Promise<(string | null | undefined)[]> {
    const { session } = this;
    // The dataset's role can reach only its own schema's sequences.
    const reset = allowWrites ? this.sequenceResets.get(schema) : undefined;
    const state = await session.script(
      `ROLLBACK; ${reset ? `${reset}; ` : ""}CLOSE ALL; DEALLOCATE ALL; SELECT pg_advisory_unlock_all(); SELECT current_user, session_user, current_setting('standard_conforming_strings'), ${walColumn}, ${allowWrites ? sizeColumn(schema) : "NULL"}`,
    );
    if (state.error || state.status !== "I") throw new Fatal("could not roll the attempt back");
    const [user, sessionUser, conforming, wal, size] = state.rows.at(-1) ?? [];
    if (user !== "postgres" || sessionUser !== "postgres" || conforming !== "on")
      throw new Fatal("the attempt changed the session");
    return [wal, size];
  }
}
