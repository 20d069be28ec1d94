/**
 * One child-process pool for every engine. Each engine has a lane: its children (started with the
 * same restrictions, see launch.ts, and only as attempts need them), its fair queue, and how many
 * attempts it runs at once (options.ts). One memory watchdog samples every child of every lane,
 * starting ones included, and kills any past its limit; a dead child costs only the attempt it was
 * running, and the lane starts another.
 */
import type { Engine } from "../../core/sandbox.js";
import { EngineProcess } from "./engine-process.js";
import { FairQueue } from "./fair-queue.js";
import type { ChildHandle, LaneOptions, PoolOptions, Refusal } from "./options.js";

export type { Answer, Death } from "./engine-process.js";
export type { ChildHandle, LaneOptions, PoolOptions, Refusal } from "./options.js";

interface Job {
  learner: string | undefined;
  memoryMb: number;
  enqueuedAt: number;
  run: (child: ChildHandle) => Promise<void>;
  fail: (refusal: Refusal) => void;
}

/** What a job or a lane's `prepare` sees of a child. */
function handleOf(child: EngineProcess): ChildHandle {
  return {
    pid: child.pid,
    held: child.held,
    readyInfo: child.readyInfo,
    request: (body, timeoutMs) => child.request(body, timeoutMs),
    retire: () => child.kill({ kind: "closed" }),
  };
}

/** Failed starts in a row after which waiting jobs are answered "unavailable". */
const maxStartFailures = 3;

export class Lane {
  private readonly children = new Set<EngineProcess>();
  private readonly queue: FairQueue<Job>;
  private running = 0;
  private memoryMb: number | null = null;
  private startFailures = 0;
  private lastStartFailure = "";
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Children wanted for attempts (spares aside): one, and one more each time attempts waited. */
  private serving = 1;
  private growTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: LaneOptions,
    private readonly pool: SandboxPool,
  ) {
    this.queue = new FairQueue(options.queueCapacity);
  }

  get engine(): Engine {
    return this.options.engine;
  }

  /** Pids of the children now running (tests and diagnostics). */
  pids(): number[] {
    return [...this.children].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  }

  /** Highest resident memory seen per live child, in bytes. */
  peaks(): number[] {
    return [...this.children].map((c) => c.peakRss);
  }

  /** Runs `job` on a child started for `memoryMb`, in the learner's turn. Never rejects. */
  run<T>(
    learner: string | undefined,
    memoryMb: number,
    job: (child: ChildHandle) => Promise<T>,
  ): Promise<T | Refusal> {
    if (this.closed) return Promise.resolve({ refused: "unavailable", message: "the sandbox is closed" });
    return new Promise<T | Refusal>((resolve) => {
      const entry: Job = {
        learner,
        memoryMb: Math.max(16, Math.ceil(memoryMb)),
        enqueuedAt: performance.now(),
        run: async (child) => resolve(await job(child)),
        fail: resolve,
      };
      const admission = this.queue.offer(learner, entry);
      if (admission !== "queued") {
        resolve({ refused: admission });
        return;
      }
      if (this.startFailures >= maxStartFailures) this.startFailures = 0; // try again for this one
      this.pump();
    });
  }

  /** Starts the children now instead of on the first attempt; resolves when they are ready. */
  async warm(memoryMb: number): Promise<void> {
    this.memoryMb ??= Math.ceil(memoryMb);
    this.fill();
    // Whoever waits for the start keeps the process alive meanwhile; children started in turn
    // (a replacement, a spare once a template exists) are waited for too.
    for (let round = 0; round < 3; round++) {
      const starting = [...this.children].filter((c) => c.state === "starting");
      if (starting.length === 0) break;
      for (const child of starting) child.hold(true);
      await Promise.all(starting.map((c) => c.ready));
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.updateRefs();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.growTimer) clearTimeout(this.growTimer);
    for (const job of this.queue.drain())
      job.fail({ refused: "unavailable", message: "the sandbox is closed" });
    const exits = [...this.children].map((child) => {
      child.hold(true); // until its exit is seen
      child.kill({ kind: "closed" });
      return child.exited;
    });
    this.children.clear();
    await Promise.all(exits);
  }

  /** Every child, for the watchdog. */
  all(): Iterable<EngineProcess> {
    return this.children;
  }

  /** The children serving attempts (at most `size`), and the spares. */
  private wanted(): number {
    const spares = this.options.spares;
    return (
      Math.min(this.options.size, this.serving) + (typeof spares === "function" ? spares() : (spares ?? 0))
    );
  }

  /** Whether attempts wait with every child busy (none idle, none starting) and the lane may grow. */
  private crowded(): boolean {
    if (this.queue.length === 0 || this.serving >= this.options.size) return false;
    for (const child of this.children) if (child.state === "idle" || child.state === "starting") return false;
    return true;
  }

  /** Attempts still waiting with every child busy after `growAfterMs`: one more child. */
  private armGrowth(): void {
    if (this.growTimer || !this.crowded()) return;
    this.growTimer = setTimeout(() => {
      this.growTimer = null;
      if (this.closed || !this.crowded()) return;
      this.serving++;
      this.pump();
    }, this.pool.growAfterMs);
    this.growTimer.unref();
  }

  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0 && this.running < this.options.size) {
      const child = this.idleChild();
      if (!child) break;
      const job = this.queue.take();
      if (!job) break;
      if (job.memoryMb !== child.memoryMb) {
        // Another memory size is asked for: children change over as they come free.
        this.memoryMb = job.memoryMb;
        this.retire(child);
        this.requeueFront(job);
        break;
      }
      this.start(child, job);
    }
    if (this.queue.length > 0 && this.memoryMb === null) this.memoryMb = this.peekMemory();
    this.fill();
    this.updateRefs();
    this.armIdle();
    this.armGrowth();
  }

  /** With nothing queued or running, counts down to stopping the children; any work stops the count. */
  private armIdle(): void {
    const idleMs = this.pool.idleMs;
    if (idleMs === undefined) return;
    if (this.queue.length > 0 || this.running > 0) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      return;
    }
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.rest();
    }, idleMs);
    // Counting down never keeps a stopping process alive.
    this.idleTimer.unref();
  }

  /** Stops every child of an idle lane; with no memory size wanted, none is started until the next attempt. */
  private rest(): void {
    if (this.closed || this.queue.length > 0 || this.running > 0) return;
    this.memoryMb = null;
    this.serving = 1;
    for (const child of [...this.children]) this.retire(child);
  }

  private peekMemory(): number {
    const job = this.queue.take();
    if (!job) return 256;
    this.requeueFront(job);
    return job.memoryMb;
  }

  /** Puts a job back without losing its learner's place (it was taken, not finished). */
  private requeueFront(job: Job): void {
    this.queue.release(job.learner);
    if (this.queue.offer(job.learner, job) !== "queued") job.fail({ refused: "busy" });
  }

  /** An idle child that is still running (one killed from outside may not have been reaped yet). */
  private idleChild(): EngineProcess | undefined {
    for (const child of this.children) if (child.state === "idle" && child.alive()) return child;
    return undefined;
  }

  private start(child: EngineProcess, job: Job): void {
    this.running++;
    child.state = "busy";
    child.hold(true);
    this.pool.queueWaited(this.engine, (performance.now() - job.enqueuedAt) / 1000);
    const handle = handleOf(child);
    job
      .run(handle)
      .catch((error: unknown) =>
        job.fail({ refused: "unavailable", message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        this.running--;
        this.queue.release(job.learner);
        if (child.state === "dead") this.children.delete(child);
        else if (child.worn()) this.retire(child);
        else {
          child.state = "idle";
          child.hold(false);
        }
        this.pump();
      });
  }

  private retire(child: EngineProcess): void {
    this.children.delete(child);
    child.kill({ kind: "closed" });
  }

  /** Starts children until the lane has as many as it wants (unless starting keeps failing). */
  private fill(): void {
    if (this.closed || this.memoryMb === null) return;
    for (const child of this.children) if (child.state === "dead") this.children.delete(child);
    while (this.children.size < this.wanted() && this.startFailures < maxStartFailures) this.spawn();
  }

  private spawn(): void {
    const memoryMb = this.memoryMb ?? 256;
    const child = new EngineProcess(
      this.options.engine,
      memoryMb,
      this.options.limits(memoryMb),
      this.options.startTimeoutMs,
      this.options.init?.(),
    );
    this.children.add(child);
    this.pool.watch();
    // "starting" until ready and prepared, so no job lands on a child still starting.
    void child.ready.then(async (ready) => {
      if (ready && this.options.prepare && child.state === "starting") {
        const handle = handleOf(child);
        child.state = "busy";
        await this.options
          .prepare(handle)
          .catch(() => child.kill({ kind: "crash", detail: "prepare failed" }));
      }
      if (ready && (child.state === "starting" || child.state === "busy")) child.state = "idle";
      if (ready && child.state === "idle") this.startFailures = 0;
      else if (!this.closed && child.state === "dead" && !ready) this.startFailed(child);
      if (child.state === "dead") this.children.delete(child);
      this.pump();
    });
  }

  private startFailed(child: EngineProcess): void {
    this.startFailures++;
    this.lastStartFailure = child.startFailure;
    if (this.startFailures < maxStartFailures) return;
    const message = `the ${this.engine} sandbox could not start: ${this.lastStartFailure}`;
    for (const job of this.queue.drain()) job.fail({ refused: "unavailable", message });
  }

  private updateRefs(): void {
    const waiting = this.queue.length > 0 || this.running > 0;
    for (const child of this.children) if (child.state !== "busy") child.hold(waiting);
  }
}

export class SandboxPool {
  private readonly lanes: Lane[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;

  constructor(private readonly options: PoolOptions = {}) {
    this.intervalMs = options.watchdogIntervalMs ?? 10;
  }

  get idleMs(): number | undefined {
    return this.options.idleMs;
  }

  get growAfterMs(): number {
    return this.options.growAfterMs ?? 50;
  }

  lane(options: LaneOptions): Lane {
    const lane = new Lane(options, this);
    this.lanes.push(lane);
    return lane;
  }

  /** Starts the memory watchdog if it is not running: it runs while any child exists. */
  watch(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  queueWaited(engine: Engine, seconds: number): void {
    this.options.onQueueWait?.(engine, seconds);
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }

  private sample(): void {
    let any = false;
    for (const lane of this.lanes) {
      for (const child of lane.all()) {
        any = true;
        child.sample();
      }
    }
    if (!any && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
