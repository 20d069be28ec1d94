/**
 * A small pool of warm child processes (child.ts), one job each at a time. A job that overruns
 * its time is answered "timeout" at once: its child is SIGKILLed and a replacement is started in
 * the background. Each child runs under RLIMIT_DATA (`ulimit -d`), so SQLite's allocations fail
 * cleanly ("out of memory") past the attempt's memory; the limit is fixed when a child starts, so
 * the pool restarts idle children when a request asks for a different memory size.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ChildMessage, ParentMessage } from "./protocol.js";

export interface PoolOptions {
  /** Children kept warm. */
  size: number;
  /** Memory of the first children, in MiB (later ones follow the requests). */
  memoryMb: number;
  /** RLIMIT_DATA headroom for Node itself and the cached datasets, in MiB. */
  overheadMb: number;
  /** How long a child may take to start before it counts as failed. */
  startTimeoutMs: number;
  log: (message: string) => void;
}

/** What the pool knows of one child, for the job to decide what to send it. */
export interface ChildInfo {
  readonly pid: number | undefined;
  /** Dataset id → bytes held by the child. */
  readonly datasets: Map<string, number>;
  /** RLIMIT_DATA the child reported, or null if none is in force. */
  readonly dataLimitBytes: number | null;
}

export interface JobSpec {
  memoryMb: number;
  timeMs: number;
  /** The message for the child that got the job (may look at and update what it holds). */
  message: (child: ChildInfo, jobId: number) => ParentMessage;
  /** Called with the child's answer before the child takes its next job. */
  onReply?: (child: ChildInfo, reply: ChildMessage) => void;
}

export type JobResult =
  | { kind: "reply"; reply: ChildMessage }
  | { kind: "timeout" }
  /** The child died during the job (killed for memory, or a crash). */
  | { kind: "crashed"; signal: string | null; code: number | null; stderr: string }
  | { kind: "unavailable"; message: string };

interface PendingJob {
  spec: JobSpec;
  resolve: (result: JobResult) => void;
}

interface ActiveJob extends PendingJob {
  jobId: number;
  timer: NodeJS.Timeout;
}

class Child implements ChildInfo {
  state: "starting" | "idle" | "busy" | "dead" = "starting";
  readonly datasets = new Map<string, number>();
  dataLimitBytes: number | null = null;
  job: ActiveJob | null = null;
  stderr = "";
  startTimer: NodeJS.Timeout | null = null;
  readonly exited: Promise<void>;
  constructor(
    readonly proc: ChildProcess,
    readonly memoryMb: number,
  ) {
    this.exited = new Promise((resolve) => proc.once("exit", () => resolve()));
  }
  get pid(): number | undefined {
    return this.proc.pid;
  }
}

/** Without a POSIX shell there is no `ulimit`: children then run without a data-size limit. */
const hasShell = process.platform !== "win32" && existsSync("/bin/sh");

const wholeMb = (mb: number): number => (Number.isFinite(mb) ? Math.max(1, Math.ceil(mb)) : 256);

/** Failed starts in a row after which queued jobs are answered "unavailable". */
const maxStartFailures = 3;
const stderrTail = 4_096;

/** How to start a child: node (+ tsx when running from source) on child.ts/child.js beside this file. */
function childCommand(): { script: string; nodeArgs: string[] } {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith(".ts");
  const script = fileURLToPath(new URL(fromSource ? "./child.ts" : "./child.js", import.meta.url));
  const nodeArgs: string[] = [];
  if (fromSource) {
    const tsx = createRequire(import.meta.url).resolve("tsx");
    nodeArgs.push("--import", pathToFileURL(tsx).href);
  }
  return { script, nodeArgs };
}

/** Only what Node (and tsx in development) needs: no secrets reach the child. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (["PATH", "HOME", "TMPDIR", "LANG", "TZ", "NODE_ENV"].includes(key) || key.startsWith("TSX_")) {
      env[key] = value;
    }
  }
  return env;
}

export class ChildPool {
  private readonly children = new Set<Child>();
  private readonly queue: PendingJob[] = [];
  private memoryMb: number;
  private closed = false;
  private startFailures = 0;
  private nextJobId = 0;
  private readonly command = childCommand();

  constructor(private readonly options: PoolOptions) {
    this.memoryMb = wholeMb(options.memoryMb);
    this.fill();
  }

  /** Runs one job on the next free child with the job's memory limit. Never rejects. */
  exec(spec: JobSpec): Promise<JobResult> {
    if (this.closed) return Promise.resolve({ kind: "unavailable", message: "The sandbox is closed." });
    return new Promise((resolve) => {
      this.queue.push({ spec: { ...spec, memoryMb: wholeMb(spec.memoryMb) }, resolve });
      if (this.startFailures >= maxStartFailures) {
        this.startFailures = 0; // try again for this request
        this.fill();
      }
      this.pump();
    });
  }

  /** Resolves once every child is started and none is busy (or starting keeps failing, or after `timeoutMs`). */
  async settled(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    const done = (): boolean =>
      this.closed ||
      this.startFailures >= maxStartFailures ||
      (this.children.size >= this.options.size && [...this.children].every((c) => c.state === "idle"));
    while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Pids of the live children (for tests and diagnostics). */
  pids(): number[] {
    return [...this.children].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.resolve({ kind: "unavailable", message: "The sandbox is closed." });
    }
    const exits = [...this.children].map((child) => {
      this.kill(child);
      return child.exited;
    });
    this.children.clear();
    await Promise.all(exits);
  }

  private pump(): void {
    try {
      this.assign();
    } finally {
      this.updateRefs();
    }
  }

  private assign(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0] as PendingJob;
      const child = [...this.children].find((c) => c.state === "idle" && c.memoryMb === head.spec.memoryMb);
      if (child) {
        this.queue.shift();
        this.dispatch(child, head);
        continue;
      }
      // No free child has the head's memory limit: new children get it, idle ones without it go.
      this.memoryMb = head.spec.memoryMb;
      for (const c of this.children) {
        if (c.state === "idle" && c.memoryMb !== this.memoryMb) this.retire(c);
      }
      this.fill();
      return;
    }
  }

  private dispatch(child: Child, pending: PendingJob): void {
    const jobId = ++this.nextJobId;
    let message: ParentMessage;
    try {
      message = pending.spec.message(child, jobId);
    } catch (error) {
      pending.resolve({ kind: "unavailable", message: String(error) });
      return;
    }
    child.state = "busy";
    child.job = {
      ...pending,
      jobId,
      timer: setTimeout(() => this.onTimeout(child), pending.spec.timeMs),
    };
    child.proc.send(message, (error) => {
      if (error && child.state !== "dead") {
        this.options.log(`sqlite sandbox: could not send to child ${child.pid}: ${error.message}`);
        this.kill(child);
      }
    });
  }

  private onTimeout(child: Child): void {
    const job = child.job;
    if (!job) return;
    child.job = null;
    this.kill(child);
    job.resolve({ kind: "timeout" });
    this.updateRefs();
  }

  private onMessage(child: Child, message: ChildMessage): void {
    if (message.type === "ready") {
      if (child.startTimer) clearTimeout(child.startTimer);
      child.dataLimitBytes = message.dataLimitBytes;
      if (message.dataLimitBytes === null && process.platform === "linux") {
        this.options.log(
          "sqlite sandbox: the child runs without a data-size limit (no /bin/sh, or ulimit -d failed)",
        );
      }
      if (child.state === "starting") child.state = "idle";
      this.startFailures = 0;
      this.pump();
      return;
    }
    const job = child.job;
    if (!job || message.jobId !== job.jobId) return;
    clearTimeout(job.timer);
    child.job = null;
    try {
      job.spec.onReply?.(child, message);
    } finally {
      child.state = "idle";
      job.resolve({ kind: "reply", reply: message });
      this.pump();
    }
  }

  private onExit(child: Child, code: number | null, signal: string | null): void {
    const wasStarting = child.state === "starting";
    if (child.startTimer) clearTimeout(child.startTimer);
    child.state = "dead";
    this.children.delete(child);
    const job = child.job;
    if (job) {
      clearTimeout(job.timer);
      child.job = null;
      job.resolve(
        this.closed
          ? { kind: "unavailable", message: "The sandbox is closed." }
          : { kind: "crashed", signal, code, stderr: child.stderr },
      );
    }
    if (this.closed) return;
    if (wasStarting) {
      this.startFailures++;
      this.options.log(
        `sqlite sandbox: child failed to start (code ${code}, signal ${signal}): ${child.stderr.trim().slice(-500)}`,
      );
      if (this.startFailures >= maxStartFailures) {
        for (const pending of this.queue.splice(0)) {
          pending.resolve({ kind: "unavailable", message: "The SQLite sandbox could not start." });
        }
        this.updateRefs();
        return;
      }
    }
    this.fill();
    this.pump();
  }

  /** Starts children until the pool is full again (unless starting keeps failing). */
  private fill(): void {
    while (!this.closed && this.startFailures < maxStartFailures && this.children.size < this.options.size) {
      this.spawn();
    }
  }

  private spawn(): void {
    const memoryMb = this.memoryMb;
    const { script, nodeArgs } = this.command;
    const node = [`--max-old-space-size=${Math.max(64, memoryMb)}`, ...nodeArgs, script];
    const limitKb = (memoryMb + Math.ceil(this.options.overheadMb)) * 1024;
    // The shell sets RLIMIT_DATA and then becomes node (exec keeps the pid, the IPC fd and the env).
    const [file, args] = hasShell
      ? ["/bin/sh", ["-c", `ulimit -d ${limitKb}; exec "$0" "$@"`, process.execPath, ...node]]
      : [process.execPath, node];
    const proc = spawn(file as string, args as string[], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
      env: childEnv(),
      windowsHide: true,
    });
    const child = new Child(proc, memoryMb);
    this.children.add(child);
    proc.stderr?.on("data", (chunk: Buffer) => {
      child.stderr = (child.stderr + chunk.toString("utf8")).slice(-stderrTail);
    });
    proc.on("message", (message) => this.onMessage(child, message as ChildMessage));
    proc.on("exit", (code, signal) => this.onExit(child, code, signal));
    proc.on("error", (error) => {
      child.stderr += `\n${error.message}`;
      // A failed spawn emits no exit: settle it here.
      if (proc.pid === undefined && child.state !== "dead") this.onExit(child, null, null);
    });
    child.startTimer = setTimeout(() => {
      if (child.state === "starting") this.kill(child);
    }, this.options.startTimeoutMs);
    child.startTimer.unref();
    this.updateRefs();
  }

  /** An idle child with the wrong memory limit: stop it; its exit starts a replacement. */
  private retire(child: Child): void {
    this.kill(child);
  }

  private kill(child: Child): void {
    if (child.state !== "dead" && child.state !== "starting") child.state = "dead";
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill("SIGKILL");
  }

  /**
   * Idle children must not keep the bot's process alive (an orphaned child kills itself), but while
   * any job waits or runs, every child does, so a caller awaiting run() is not cut short.
   */
  private updateRefs(): void {
    const waiting = this.queue.length > 0 || [...this.children].some((c) => c.job !== null);
    for (const child of this.children) this.setRef(child, waiting);
  }

  private setRef(child: Child, ref: boolean): void {
    const handles = [child.proc, child.proc.channel, child.proc.stderr] as (
      | { ref?: () => void; unref?: () => void }
      | null
      | undefined
    )[];
    for (const handle of handles) {
      if (ref) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}
