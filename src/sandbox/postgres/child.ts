/**
 * The PostgreSQL engine's child process (started by the sandbox pool): one PGlite (PostgreSQL 18 in
 * WebAssembly, in memory) and the attempts (attempt.ts) on statements the policy already checked. A child started
 * without a template runs initdb, takes the grants away (hardening.ts), drops what no attempt uses
 * and sends its data directory back gzip-compressed (about 1 MB), so every later child starts
 * from that dump in about a second.
 */
import { serveEngine } from "../pool/child-runtime.js";
import { Attempts } from "./attempt.js";
import { FileGuard } from "./files.js";
import { hardeningSql, templateTrim } from "./hardening.js";
import type { EngineInit, EngineReadyInfo, EngineReply, EngineRequest } from "./protocol.js";
import { Session, startEngine } from "./session.js";

let attempts: Attempts | null = null;

async function start(init: EngineInit): Promise<EngineReadyInfo> {
  const pg = await startEngine(init.template);
  const session = new Session(pg);
  let info: EngineReadyInfo = {};
  if (init.template === null) {
    await session.own(hardeningSql);
    // Every child holds the whole data directory in memory: only the database it uses is kept
    // (one statement each, as DROP DATABASE runs outside a transaction block), and the WAL they
    // wrote is freed by a checkpoint.
    for (const statement of templateTrim) await session.own(statement);
    const dump = await pg.dumpDataDir("gzip");
    info = { template: new Uint8Array(await dump.arrayBuffer()) };
  }
  await session.own(
    `SET max_stack_depth = '${init.maxStackDepthKb}kB'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'`,
  );
  attempts = new Attempts(session, new FileGuard(pg));
  return info;
}

function handle(request: EngineRequest): Promise<EngineReply> {
  if (!attempts) throw new Error("the engine is not started");
  return request.type === "load"
    ? attempts.load(request.schema, request.role, request.setup)
    : attempts.run(request);
}

serveEngine<EngineInit, EngineRequest, EngineReply>(start, handle);
