interface Waiter {
  check(): void;
}

/**
 * Waiting until something about a fake becomes true, for the fakes of every platform: probed now
 * and each time the fake records something new, failing with a readable account of what it got.
 */
export class Waiters {
  private readonly waiting = new Set<Waiter>();

  constructor(
    /** "Fake Discord", "Fake Slack": who waited, in failure messages. */
    private readonly who: string,
    /** What the fake received, for failure messages. */
    private readonly describe: () => string,
  ) {}

  /** Probes every waiter again: after a new record, or state that changed without one. */
  poke(): void {
    for (const waiter of [...this.waiting]) waiter.check();
  }

  /**
   * Resolves with the first defined value `probe` returns. A probe that throws rejects at once;
   * otherwise it fails after `timeoutMs`, naming `what` it waited for.
   */
  until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let value: T | undefined;
          try {
            value = probe();
          } catch (error) {
            finish();
            reject(error);
            return;
          }
          if (value === undefined) return;
          finish();
          resolve(value);
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.who} waited ${timeoutMs} ms for ${what}, in vain.\n${this.describe()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiting.delete(waiter);
      };
      this.waiting.add(waiter);
      waiter.check();
    });
  }
}
