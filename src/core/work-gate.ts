/**
 * Counts the commands being handled, and turns new ones away once closed, so a shutdown
 * can finish what was accepted (and acknowledged) before it closes the database.
 */
export class WorkGate {
  private active = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  get inFlight(): number {
    return this.active;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs `work` unless the gate is closed; `undefined` means it was turned away. */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.closed) return undefined;
    return this.track(work());
  }

  /**
   * Counts work an adapter has already taken on (an event being handled and answered), even after
   * closing: its command may be turned away, but the reply saying so still has to go out.
   */
  async track<T>(work: Promise<T>): Promise<T> {
    this.active++;
    try {
      return await work;
    } finally {
      this.active--;
      if (this.active === 0) this.wakeIdle();
    }
  }

  /** Stops new work; resolves true once in-flight work is done, false if `timeoutMs` passes first. */
  close(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
