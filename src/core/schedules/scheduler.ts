import type { Message } from "../messages.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Platform } from "../ports/identity.js";
import type { Post, SchedulePlan } from "../ports/posts.js";
import type { DueSchedule } from "../ports/schedules.js";
import { planBatch } from "./planner.js";
import { PostSender, type SenderOptions } from "./sender.js";
import { SendingRights } from "./sending-rights.js";

/** The sender's needs, and how this process plans and shares the sending. */
export interface SchedulerOptions extends SenderOptions {
  /** A fire missed by less than this (downtime) is still sent; older ones are recorded as skipped. */
  catchUpMs: number;
  /** Schedules planned and claimed per transaction (default 100). */
  batchSize?: number;
  /** Awaited between batches, so commands and sends run while thousands of schedules are planned (setImmediate). */
  yieldToEvents?: () => Promise<void>;
  /** Runs after claims are committed and before anything is sent (the crash test stops the process here). */
  afterClaim?: (posts: Post[]) => void;
  /**
   * Who this process is among those sharing the database, and how long its sending rights and post
   * leases last (default: the one process of a SQLite file, 30 s).
   */
  sending?: { owner: string; leaseMs: number };
}

export interface TickReport {
  claimed: number;
  missed: number;
  retried: number;
}

/** Schedules planned and claimed per transaction: small enough that a batch holds the event loop for a few ms. */
const DEFAULT_BATCH_SIZE = 100;
/** A SQLite file has one process: it is the owner of every right, before and after a restart. */
const ONE_PROCESS = { owner: "local", leaseMs: 30_000 };

/**
 * Turns due schedules into posts, exactly once each: a fire is claimed in the database
 * (a unique row) before it is sent and marked sent after; a restart sends what was
 * claimed and not sent, and catches up on what was missed. Any process may plan; only the
 * holder of a platform's sending right sends its posts, each under a lease that fences the others.
 */
export class Scheduler {
  private readonly rights: SendingRights;
  private readonly sender: PostSender;
  private chain: Promise<unknown> = Promise.resolve();
  private wakeListener: (() => void) | undefined;
  private announcements = 0;

  constructor(private readonly options: SchedulerOptions) {
    const { store, clock, logger, metrics } = options;
    this.rights = new SendingRights({
      senders: store.senders,
      clock,
      logger,
      ...(metrics ? { metrics } : {}),
      ...(options.sending ?? ONE_PROCESS),
    });
    this.sender = new PostSender(options, this.rights, () => this.wake());
  }

  /** How often ticks must come, at the least, to keep this process's sending rights. */
  get renewEveryMs(): number {
    return this.rights.renewEveryMs;
  }

  /** Shutdown, once sends in flight have finished: another process takes over this one's posts at once. */
  release(): Promise<void> {
    return this.rights.release();
  }

  /** Called when schedules change, so a timer can re-check its next wake-up. */
  onWake(listener: () => void): void {
    this.wakeListener = listener;
  }

  wake(): void {
    this.wakeListener?.();
  }

  /** Plans every due fire and queues every unsent claimed post; ticks never overlap. */
  tick(): Promise<TickReport> {
    const run = this.chain.then(() => this.runTick());
    this.chain = run.catch(() => undefined);
    return run;
  }

  async nextWakeAt(): Promise<Date | undefined> {
    const [fire, retry] = await Promise.all([
      this.options.store.schedules.nextFireAt(),
      this.options.store.posts.nextAttemptAt(),
    ]);
    if (!fire) return retry;
    if (!retry) return fire;
    return new Date(Math.min(fire.getTime(), retry.getTime()));
  }

  /** The moderator's "post now": this week's module, outside the schedule, without moving the week. */
  async postNow(cohort: Cohort, platform: Platform, week: number): Promise<Post | undefined> {
    const now = this.options.clock.now();
    const post = await this.options.store.posts.claim(
      { cohortId: cohort.id, week, kind: "manual", dueAt: now },
      now,
    );
    // The process sending that platform's posts sends it; if none does, this one may take the right.
    if (post && this.rights.holds(platform)) this.sender.enqueue(post, platform);
    else if (post) this.wake();
    return post;
  }

  /** A one-off message to the cohort's channel (a streak milestone): best effort, never stored as a post. */
  announce(cohort: Cohort, where: { platform: Platform; spaceExternalId: string }, message: Message): void {
    const { platform, spaceExternalId } = where;
    const { logger } = this.options;
    const outbox = this.options.outboxes[platform];
    const channel = cohort.channelExternalId;
    if (!outbox || !channel) return;
    this.options.queue.enqueue({
      platform,
      run: async () => {
        const outcome = await outbox.send(
          { platform, spaceExternalId, channelExternalId: channel },
          message,
          `quorum-announce-${cohort.id}-${++this.announcements}`,
        );
        if (!outcome.ok)
          logger.warn({ cohort: cohort.name, problem: outcome.problem }, "announcement not sent");
      },
    });
  }

  private async runTick(): Promise<TickReport> {
    const { store, clock } = this.options;
    const now = clock.now();
    const report: TickReport = { claimed: 0, missed: 0, retried: 0 };
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const seen = new Set<number>();
    await this.rights.renew(Object.keys(this.options.outboxes) as Platform[]);
    // A daily question that has closed gets its results post, claimed like any other.
    for (const delivery of await store.deliveries.closedWithoutResults(now, batchSize)) {
      const post = await store.posts.claim(
        { cohortId: delivery.cohortId, week: delivery.week, kind: "daily-results", dueAt: delivery.closesAt },
        now,
      );
      if (post) report.claimed++;
    }
    // Posts claimed earlier by any process, retries now due, and those a stopped sender left, for the
    // platforms this one sends: queued before this tick's claims, so each cohort's go out in due order.
    for (const target of await store.posts.lease(this.rights.lease(), batchSize)) {
      if (this.sender.isSending(target.post.id)) continue;
      report.retried++;
      this.sender.enqueue(target.post, target.platform);
    }
    for (let batch = 0; ; batch++) {
      // Between batches the event loop answers commands and sends what is already claimed.
      if (batch > 0) await this.options.yieldToEvents?.();
      const read = await store.schedules.due(now, batchSize);
      const due = read.filter((d) => !seen.has(d.schedule.id));
      if (due.length > 0) {
        const plans = planBatch(due, now, this.options.catchUpMs, this.options.logger);
        this.queueBatch(due, plans, await store.posts.plan(plans, now), report);
      }
      // A short read was the last of what is due.
      if (due.length === 0 || read.length < batchSize) break;
      for (const item of due) seen.add(item.schedule.id);
    }
    return report;
  }

  /** Counts what a claimed batch came to and queues its posts, each cohort's in claim order. */
  private queueBatch(due: DueSchedule[], plans: SchedulePlan[], claimed: Post[], report: TickReport): void {
    const platforms = new Map<number, Platform>();
    for (const item of due) platforms.set(item.cohort.id, item.platform);
    report.claimed += claimed.length;
    for (const plan of plans) {
      report.missed += plan.missed.length;
      for (const missed of plan.missed) {
        this.options.metrics?.postFinished(platforms.get(missed.cohortId) ?? "terminal", "skipped");
      }
    }
    this.options.afterClaim?.(claimed);
    // Due order within each cohort (a daily question at 08:00 before the 09:00 module), whichever schedule claimed it.
    const inDueOrder = [...claimed].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
    for (const post of inDueOrder) {
      const platform = platforms.get(post.cohortId) ?? "terminal";
      if (this.rights.holds(platform)) this.sender.enqueue(post, platform);
    }
  }
}
