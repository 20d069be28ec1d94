/**
 * A small pool of worker threads, one request at a time each. A worker that runs past
 * its deadline is terminated (V8 stops even a tight loop) and replaced at once, so a
 * warm spare is usually ready for the next request.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./protocol.js";

export type Death =
  | { kind: "timeout" }
  | { kind: "crash"; outOfMemory: boolean; message: string }
  | { kind: "closed" };

export class Slot {
  readonly worker: Worker;
  /** Resolves true once the worker has loaded its code, false if it never does. */
  readonly ready: Promise<boolean>;
  /** Dataset ids this worker holds a base store for. */
  readonly loaded = new Set<string>();
  alive = true;
  private waiting: ((reply: FromWorker | Death) => void) | null = null;

  /**
   * `warmUp` runs once the worker has started and before anyone gets it (loading the
   * datasets already built), so a replacement for a killed worker is a warm spare.
   */
  constructor(
    file: URL | string,
    options: WorkerOptions,
    startTimeoutMs: number,
    warmUp: (slot: Slot) => Promise<void> = async () => undefined,
  ) {
    this.worker = new Worker(file, options);
    const started = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), startTimeoutMs);
      this.worker.once("message", (m: FromWorker) => {
        clearTimeout(timer);
        resolve(m.kind === "ready");
      });
      this.worker.once("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    this.ready = started.then(async (ok) => {
      if (!ok) return false;
      await warmUp(this).catch(() => undefined);
      return this.alive;
    });
    this.worker.on("message", (m: FromWorker) => {
      if (m.kind !== "ready") this.settle(m);
    });
    this.worker.on("error", (error: Error & { code?: string }) => {
      this.alive = false;
      const outOfMemory = error.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.settle({ kind: "crash", outOfMemory, message: error.message.split("\n")[0] ?? "" });
    });
    this.worker.on("exit", (code) => {
      this.alive = false;
      this.settle({ kind: "crash", outOfMemory: false, message: `the worker stopped (exit code ${code})` });
    });
  }

  /** Send one message and wait for its answer, killing the worker after `timeoutMs`. */
  request(message: ToWorker, timeoutMs: number): Promise<FromWorker | Death> {
    if (!this.alive) return Promise.resolve({ kind: "closed" });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.alive = false;
        this.settle({ kind: "timeout" });
        void this.worker.terminate().catch(() => undefined);
      }, timeoutMs);
      this.waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.worker.postMessage(message);
    });
  }

  async kill(): Promise<void> {
    this.alive = false;
    this.settle({ kind: "closed" });
    await this.worker.terminate().catch(() => undefined);
  }

  private settle(reply: FromWorker | Death): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(reply);
  }
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly idle: Slot[] = [];
  private readonly waiters: ((slot: Slot | null) => void)[] = [];
  private closed = false;

  constructor(
    private readonly spawn: () => Slot,
    private readonly size: number,
  ) {}

  /** A ready worker, or null if the pool is closed or a worker cannot start. */
  async acquire(): Promise<Slot | null> {
    if (this.closed) return null;
    for (;;) {
      this.fill();
      const slot =
        this.idle.shift() ?? (await new Promise<Slot | null>((resolve) => this.waiters.push(resolve)));
      if (!slot) return null;
      const ready = await slot.ready;
      if (ready && slot.alive) return slot;
      this.discard(slot);
      if (!ready) return null;
    }
  }

  /** Give a worker back; a dead one (killed, crashed) is replaced instead. */
  release(slot: Slot): void {
    if (!slot.alive || this.closed) this.discard(slot);
    else this.hand(slot);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(null);
    this.idle.length = 0;
    await Promise.all(this.slots.splice(0).map((slot) => slot.kill()));
  }

  private discard(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.kill();
    this.fill();
  }

  private fill(): void {
    while (!this.closed && this.slots.length < this.size) {
      const slot = this.spawn();
      this.slots.push(slot);
      this.hand(slot);
    }
  }

  private hand(slot: Slot): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(slot);
    else this.idle.push(slot);
  }
}
