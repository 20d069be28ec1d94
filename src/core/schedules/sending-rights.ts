import type { Clock } from "../ports/clock.js";
import type { Platform } from "../ports/identity.js";
import type { Logger } from "../ports/logger.js";
import type { Metrics } from "../ports/metrics.js";
import type { PostLease, SenderStore } from "../ports/posts.js";

export interface SendingRightsOptions {
  senders: SenderStore;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** Who this process is to the other processes on the database. */
  owner: string;
  /** How long a right and a post lease last without renewal: longer than any one send takes. */
  leaseMs: number;
}

/**
 * This process's rights to send each platform's scheduled posts. One process at a time holds a
 * platform's right, renewed on every tick; when it stops renewing (crashed, stopped, cut off) another
 * takes it once the lease has run out.
 */
export class SendingRights {
  private readonly held = new Set<Platform>();

  constructor(private readonly options: SendingRightsOptions) {}

  get owner(): string {
    return this.options.owner;
  }

  /** How often to renew, so a right never lapses while its holder is alive. */
  get renewEveryMs(): number {
    return Math.floor(this.options.leaseMs / 3);
  }

  /** A lease from now, for a right, a batch of posts or one send. */
  lease(): PostLease {
    const now = this.options.clock.now();
    return { owner: this.options.owner, now, until: new Date(now.getTime() + this.options.leaseMs) };
  }

  holds(platform: Platform): boolean {
    return this.held.has(platform);
  }

  /** Takes or renews the right of each platform this process can post to; tells when that changes. */
  async renew(platforms: Platform[]): Promise<void> {
    const lease = this.lease();
    for (const platform of platforms) {
      const sending = await this.options.senders.take(platform, lease);
      if (sending !== this.held.has(platform)) this.changed(platform, sending);
    }
  }

  /** Shutdown: gives every right and post lease back, so another process sends at once. */
  async release(): Promise<void> {
    for (const platform of [...this.held]) this.changed(platform, false);
    await this.options.senders.release(this.options.owner);
  }

  private changed(platform: Platform, sending: boolean): void {
    if (sending) this.held.add(platform);
    else this.held.delete(platform);
    this.options.metrics?.sendingChanged(platform, sending);
    this.options.logger.info(
      { platform, owner: this.options.owner },
      sending ? "this process now sends the platform's posts" : "another process sends the platform's posts",
    );
  }
}
