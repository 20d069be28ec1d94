/** How often expired signatures are swept out. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Signatures of requests already taken, each kept until its timestamp leaves the window: after that
 * the timestamp check turns a replay away by itself.
 */
export class SeenSignatures {
  private readonly expiries = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly windowMs: number) {}

  /** True the first time a signature is offered within its window; false for every repeat. */
  firstTime(signature: string, timestampMs: number, nowMs: number): boolean {
    if (nowMs - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(nowMs);
    const expiry = this.expiries.get(signature);
    if (expiry !== undefined && expiry >= nowMs) return false;
    this.expiries.set(signature, timestampMs + this.windowMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(nowMs: number): void {
    this.lastSweep = nowMs;
    for (const [signature, expiry] of this.expiries) if (expiry < nowMs) this.expiries.delete(signature);
  }
}
