/**
 * One engine child as the pool sees it: started with launch.ts's restrictions, asked one request at
 * a time, killed (SIGKILL) on a timeout or a memory breach, and able to say why it died.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Engine } from "../../core/sandbox.js";
import { type LaunchLimits, launchSpec } from "./launch.js";
import type { ChildMessage, ChildRequest } from "./protocol.js";

export type Death =
  /** The child was gone before it got the request: nothing of the attempt ran. */
  | { kind: "unsent" }
  | { kind: "timeout" }
  | { kind: "memory"; rssMb: number }
  | { kind: "crash"; detail: string }
  | { kind: "closed" };

export type Answer<Reply> = { ok: true; body: Reply } | { ok: false; death: Death };

export interface ProcessLimits extends LaunchLimits {
  /** Resident memory (MiB) past which the watchdog kills the child. */
  rssMb: number;
  /** Resident memory (MiB) past which an idle child is replaced rather than reused. */
  recycleRssMb: number;
}

const pageBytes = 4096;
const MiB = 1024 * 1024;
const outOfMemory =
  /heap out of memory|Allocation failed|Reached heap limit|invalid (array|string) length|Cannot allocate memory|out of memory/i;

/** Resident bytes of a process from /proc, or null when it cannot be read (gone, or not Linux). */
export function residentBytes(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
    return Number(fields[1]) * pageBytes;
  } catch {
    return null;
  }
}

/** CPU seconds a process has used, or 0 when unknown. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export class EngineProcess<Reply = unknown> {
  readonly proc: ChildProcess;
  readonly ready: Promise<boolean>;
  /** Per-child memory of what the engine holds (datasets), kept by the engine's sandbox. */
  readonly held = new Map<string, unknown>();
  /** What the child sent with "ready" (the engine's own start-up data). */
  readyInfo: unknown;
  state: "starting" | "idle" | "busy" | "dead" = "starting";
  /** Highest resident memory the watchdog saw, in bytes. */
  peakRss = 0;
  readonly exited: Promise<void>;
  private nextId = 1;
  private waiting: { id: number; resolve: (answer: Answer<Reply>) => void; timer: NodeJS.Timeout } | null =
    null;
  private death: Death | null = null;
  private stderr = "";
  private bootFailure = "";

  constructor(
    readonly engine: Engine,
    /** The attempt memory (MiB) this child was started for. */
    readonly memoryMb: number,
    readonly limits: ProcessLimits,
    startTimeoutMs: number,
    /** The first message every child gets, before it starts its engine. */
    init: unknown,
  ) {
    const spec = launchSpec(engine, limits);
    this.proc = spawn(spec.file, spec.args, {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
      env: spec.env,
      windowsHide: true,
    });
    this.exited = new Promise((resolve) => this.proc.once("exit", () => resolve()));
    this.proc.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-4096);
    });
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.bootFailure = `it did not start within ${startTimeoutMs} ms`;
        this.kill({ kind: "crash", detail: this.bootFailure });
        resolve(false);
      }, startTimeoutMs);
      timer.unref();
      this.proc.on("message", (message: ChildMessage<Reply>) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          this.readyInfo = message.info;
          resolve(true);
        } else if (message.type === "boot-failed") {
          clearTimeout(timer);
          this.bootFailure = message.message;
          this.kill({ kind: "crash", detail: message.message });
          resolve(false);
        } else this.answer(message);
      });
      this.proc.once("exit", (code, signal) => {
        clearTimeout(timer);
        this.onExit(code, signal);
        resolve(false);
      });
    });
    this.proc.on("error", (error) => {
      this.stderr += `\n${error.message}`;
      if (this.proc.pid === undefined) this.onExit(null, null);
    });
    this.hold(false);
    const first: ChildRequest = { id: 0, body: init };
    this.proc.send(first, () => undefined);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Why the child could not start, for "unavailable" messages. */
  get startFailure(): string {
    return this.bootFailure || lastLine(this.stderr) || "the engine process stopped while starting";
  }

  /** Sends one request and waits for its answer, killing the child after `timeoutMs`. */
  request(body: unknown, timeoutMs: number): Promise<Answer<Reply>> {
    if (this.state === "dead") return Promise.resolve({ ok: false, death: this.death ?? { kind: "closed" } });
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => this.kill({ kind: "timeout" }), timeoutMs);
      this.waiting = { id, resolve, timer };
      const message: ChildRequest = { id, body };
      try {
        this.proc.send(message, (error) => {
          if (error) this.kill({ kind: "unsent" });
        });
      } catch {
        this.kill({ kind: "unsent" });
      }
    });
  }

  /** Whether the process is still running (not exited, not a zombie waiting to be reaped). */
  alive(): boolean {
    const pid = this.proc.pid;
    if (pid === undefined || this.state === "dead" || !this.proc.connected) return false;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
    } catch {
      return process.platform !== "linux";
    }
  }

  /** Reads resident memory; past the limit the child is killed for memory. Returns the bytes read. */
  sample(): number | null {
    const pid = this.proc.pid;
    if (pid === undefined || this.state === "dead") return null;
    const rss = residentBytes(pid);
    if (rss === null) return null;
    if (rss > this.peakRss) this.peakRss = rss;
    if (rss > this.limits.rssMb * MiB) this.kill({ kind: "memory", rssMb: Math.round(rss / MiB) });
    return rss;
  }

  /** Whether an idle child should be replaced rather than reused (grown, or near its CPU budget). */
  worn(): boolean {
    const pid = this.proc.pid;
    if (pid === undefined) return true;
    const rss = residentBytes(pid) ?? 0;
    return rss > this.limits.recycleRssMb * MiB || cpuSeconds(pid) > this.limits.cpuSeconds / 2;
  }

  /** Keeps the bot's event loop alive while this child works for it; idle children do not. */
  hold(busy: boolean): void {
    const handles = [this.proc, this.proc.channel, this.proc.stderr] as (
      | { ref?: () => void; unref?: () => void }
      | null
      | undefined
    )[];
    for (const handle of handles) {
      if (busy) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  kill(death: Death): void {
    if (this.death === null) this.death = death;
    if (this.state !== "dead") this.state = "dead";
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    this.settle({ ok: false, death: this.death });
  }

  private answer(message: ChildMessage<Reply>): void {
    if (message.type === "reply" && this.waiting?.id === message.id) {
      this.settle({ ok: true, body: message.body });
    } else if (message.type === "failed" && this.waiting?.id === message.id) {
      this.kill({ kind: "crash", detail: message.message });
    }
  }

  private settle(answer: Answer<Reply>): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    clearTimeout(waiting.timer);
    waiting.resolve(answer);
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.death === null) {
      // Not killed by us: the heap limit, RLIMIT_DATA or the kernel's OOM killer, or a crash.
      this.death =
        outOfMemory.test(this.stderr) || signal === "SIGKILL" || signal === "SIGABRT" || signal === "SIGSEGV"
          ? { kind: "memory", rssMb: Math.round(this.peakRss / MiB) }
          : { kind: "crash", detail: lastLine(this.stderr) ?? `exit ${code ?? signal}` };
    }
    this.state = "dead";
    this.settle({ ok: false, death: this.death });
  }
}

function lastLine(text: string): string | null {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.at(-1)?.slice(0, 300) ?? null;
}
