import type { Platform } from "../ports/identity.js";

export interface OutboundJob {
  platform: Platform;
  /** Does the send and records its outcome; must not throw (a thrown error is logged and dropped). */
  run(): Promise<void>;
}

export interface OutboundOptions {
  /** Sends per second per platform; bursts are limited to `burstSeconds` worth (default 50 ms). */
  ratePerSecond: Partial<Record<Platform, number>>;
  defaultRatePerSecond: number;
  burstSeconds?: number;
  /** Sends in flight at once per platform. */
  concurrency?: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  onError(error: unknown): void;
}

interface Lane {
  jobs: OutboundJob[];
  tokens: number;
  refilledAt: number;
  inFlight: number;
  pumping: boolean;
  /** Resolved when a send finishes, for a pump waiting on a free slot. */
  slotFreed: (() => void) | undefined;
}

/**
 * One queue for everything the bot posts on its own. Each platform drains at its own
 * rate (a token bucket), so a slow platform never holds up another, and enqueueing
 * returns at once, so planning thousands of posts never blocks command handling.
 */
export class OutboundQueue {
  private readonly lanes = new Map<Platform, Lane>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: OutboundOptions) {}

  enqueue(job: OutboundJob): void {
    if (this.closed) return;
    const lane = this.lane(job.platform);
    lane.jobs.push(job);
    if (!lane.pumping) void this.pump(job.platform, lane);
  }

  get size(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.jobs.length + lane.inFlight;
    return total;
  }

  /** Resolves when every job enqueued so far has finished. */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Shutdown: takes nothing new, drops what has not started, and resolves with the number dropped
   * once the sends in flight have finished. A dropped post stays claimed and is sent after restart.
   */
  async close(): Promise<number> {
    this.closed = true;
    let dropped = 0;
    for (const lane of this.lanes.values()) {
      dropped += lane.jobs.length;
      lane.jobs.length = 0;
    }
    this.settle();
    await this.drain();
    return dropped;
  }

  private rate(platform: Platform): number {
    return this.options.ratePerSecond[platform] ?? this.options.defaultRatePerSecond;
  }

  /** A small bucket, so a burst after a quiet spell stays short. */
  private capacity(platform: Platform): number {
    return Math.max(1, this.rate(platform) * (this.options.burstSeconds ?? 0.05));
  }

  /** Refilled a little under the rate, so that burst plus refill never exceed the rate in any one second. */
  private refillRate(platform: Platform): number {
    // A bucket of one send is no burst at all: it may refill at the full rate.
    const capacity = this.capacity(platform);
    return capacity <= 1 ? this.rate(platform) : this.rate(platform) - capacity;
  }

  private lane(platform: Platform): Lane {
    let lane = this.lanes.get(platform);
    if (!lane) {
      lane = {
        jobs: [],
        tokens: this.capacity(platform),
        refilledAt: this.options.now(),
        inFlight: 0,
        pumping: false,
        slotFreed: undefined,
      };
      this.lanes.set(platform, lane);
    }
    return lane;
  }

  private refill(platform: Platform, lane: Lane): void {
    const now = this.options.now();
    const rate = this.refillRate(platform);
    lane.tokens = Math.min(this.capacity(platform), lane.tokens + ((now - lane.refilledAt) / 1000) * rate);
    lane.refilledAt = now;
  }

  private async pump(platform: Platform, lane: Lane): Promise<void> {
    lane.pumping = true;
    const concurrency = this.options.concurrency ?? 4;
    try {
      while (lane.jobs.length > 0) {
        this.refill(platform, lane);
        if (lane.tokens < 1) {
          await this.options.sleep(Math.ceil(((1 - lane.tokens) / this.refillRate(platform)) * 1000));
          continue;
        }
        if (lane.inFlight >= concurrency) {
          await new Promise<void>((resolve) => {
            lane.slotFreed = resolve;
          });
          continue;
        }
        const job = lane.jobs.shift();
        if (!job) break;
        lane.tokens -= 1;
        lane.inFlight++;
        void job
          .run()
          .catch((error: unknown) => this.options.onError(error))
          .finally(() => {
            lane.inFlight--;
            const wake = lane.slotFreed;
            lane.slotFreed = undefined;
            wake?.();
            this.settle();
          });
      }
    } finally {
      lane.pumping = false;
    }
  }

  private settle(): void {
    if (this.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
