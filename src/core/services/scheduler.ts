import type { Clock } from "../clock.js";
import type { Curriculum } from "../curriculum/schema.js";
import type { Logger } from "../logger.js";
import type { Message } from "../messages.js";
import type { Metrics } from "../metrics.js";
import type {
  ChatOutbox,
  Cohort,
  DueSchedule,
  PictureRenderer,
  Platform,
  Post,
  PostTarget,
  SchedulePlan,
  Store,
} from "../ports.js";
import { retryDelayMs } from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import type { OutboundQueue } from "./outbound.js";
import { postKindLabel } from "./post-content.js";
import { postMessage } from "./post-message.js";
import { planSchedule } from "./schedule-planner.js";
import { SendingRights } from "./sending-rights.js";

export interface SchedulerOptions {
  store: Store;
  curriculum: Curriculum;
  clock: Clock;
  logger: Logger;
  queue: OutboundQueue;
  outboxes: Partial<Record<Platform, ChatOutbox>>;
  pictures: PictureRenderer;
  /** A fire missed by less than this (downtime) is still sent; older ones are recorded as skipped. */
  catchUpMs: number;
  /** Schedules planned and claimed per transaction (default 100). */
  batchSize?: number;
  /** Awaited between batches, so commands and sends run while thousands of schedules are planned (setImmediate). */
  yieldToEvents?: () => Promise<void>;
  /** Runs after claims are committed and before anything is sent (the crash test stops the process here). */
  afterClaim?: (posts: Post[]) => void;
  /** Counts posts sent, given up and skipped. */
  metrics?: Metrics;
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

const settled = Promise.resolve();

/** Sends that fail this many times in a row are given up and the moderator is told. */
const MAX_ATTEMPTS = 6;
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
  private readonly sending = new Set<number>();
  private readonly rights: SendingRights;
  private readonly cohortTails = new Map<number, Promise<void>>();
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
    if (post && this.rights.holds(platform)) this.enqueue(post, platform);
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
      if (this.sending.has(target.post.id)) continue;
      report.retried++;
      this.enqueue(target.post, target.platform);
    }
    for (let batch = 0; ; batch++) {
      // Between batches the event loop answers commands and sends what is already claimed.
      if (batch > 0) await this.options.yieldToEvents?.();
      const read = await store.schedules.due(now, batchSize);
      const due = read.filter((d) => !seen.has(d.schedule.id));
      if (due.length > 0) {
        const plans = this.planBatch(due, now);
        this.queueBatch(due, plans, await store.posts.plan(plans, now), report);
      }
      // A short read was the last of what is due.
      if (due.length === 0 || read.length < batchSize) break;
      for (const item of due) seen.add(item.schedule.id);
    }
    return report;
  }

  /** Plans a batch of due schedules without a query; fires too late to send are logged. */
  private planBatch(due: DueSchedule[], now: Date): SchedulePlan[] {
    const { logger, catchUpMs } = this.options;
    return due.map((item) => {
      const { plan, late } = planSchedule(item, now, catchUpMs);
      for (const { claim, lateMs } of late) {
        logger.warn(
          {
            cohort: item.cohort.name,
            kind: claim.kind,
            week: claim.week,
            dueAt: claim.dueAt.toISOString(),
            lateMs,
          },
          "post missed beyond the catch-up window; recorded as skipped",
        );
      }
      return plan;
    });
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
      if (this.rights.holds(platform)) this.enqueue(post, platform);
    }
  }

  private enqueue({ id, cohortId }: Pick<Post, "id" | "cohortId">, platform: Platform): void {
    if (this.sending.has(id)) return;
    this.sending.add(id);
    // One cohort's posts go out in the order they were claimed (last week's board before the new module).
    // Thousands may wait in the queue at once: each holds only ids and its place in its cohort's line.
    const previous = this.cohortTails.get(cohortId) ?? settled;
    let done!: () => void;
    const tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.cohortTails.set(cohortId, tail);
    this.options.queue.enqueue({
      platform,
      run: () =>
        previous
          .then(() => this.send(id))
          .finally(() => {
            this.sending.delete(id);
            done();
            if (this.cohortTails.get(cohortId) === tail) this.cohortTails.delete(cohortId);
          }),
    });
  }

  private async send(postId: number): Promise<void> {
    const { store, clock, logger } = this.options;
    const { owner } = this.rights;
    // The fence: sent only while still claimed and this process's to send.
    const target = await store.posts.hold(postId, this.rights.lease());
    if (!target) {
      // Another's to send, or behind an older post of its cohort: the next tick leases them in order.
      this.wake();
      return;
    }
    const { post, cohort, platform } = target;
    const outbox = this.options.outboxes[platform];
    if (!outbox) return;
    const message = await postMessage(this.options, target);
    if (!message) {
      await store.posts.markFailed(
        post.id,
        owner,
        post.attempts,
        "nothing to post (no unused question for this week)",
      );
      logger.info({ cohort: cohort.name, post: post.id, kind: post.kind }, "nothing to post");
      // Stored as failed so it is not retried, but nothing went wrong in sending: a skip.
      this.options.metrics?.postFinished(platform, "skipped");
      return;
    }
    if (!cohort.channelExternalId) {
      await this.giveUp(target, "the cohort has no channel for posts", true);
      return;
    }
    const outcome = await outbox.send(
      { platform, spaceExternalId: target.spaceExternalId, channelExternalId: cohort.channelExternalId },
      message,
      `quorum-post-${post.id}`,
    );
    const at = clock.now();
    if (outcome.ok) {
      if (!(await store.posts.markSent(post.id, owner, at, outcome.messageId))) {
        // Only a sender stopped for longer than its lease gets here; the nonce spares the channel a copy where the platform keeps one.
        logger.warn(
          { cohort: cohort.name, post: post.id },
          "post sent after its lease passed to another process",
        );
        return;
      }
      this.options.metrics?.postFinished(platform, "sent");
      logger.info({ cohort: cohort.name, kind: post.kind, week: post.week, post: post.id }, "post sent");
      return;
    }
    const attempts = post.attempts + 1;
    if (outcome.problem === "channel-gone" || outcome.problem === "forbidden") {
      await this.giveUp({ ...target, post: { ...post, attempts } }, outcome.detail, true);
      return;
    }
    if (attempts >= MAX_ATTEMPTS) {
      await this.giveUp({ ...target, post: { ...post, attempts } }, outcome.detail, false);
      return;
    }
    const retryAt = new Date(at.getTime() + retryDelayMs(attempts, outcome.retryAfterMs));
    if (!(await store.posts.markRetry(post.id, owner, attempts, retryAt, outcome.detail))) return;
    logger.warn(
      { cohort: cohort.name, post: post.id, attempts, retryAt: retryAt.toISOString() },
      "post failed; will retry",
    );
    this.wake();
  }

  /** Stops trying one post; when the channel itself is the problem, pauses the cohort's schedule too. */
  private async giveUp(target: PostTarget, reason: string, pauseCohort: boolean): Promise<void> {
    const { store, clock, logger } = this.options;
    const { post, cohort, platform, spaceExternalId } = target;
    const at = clock.now();
    // A post whose lease passed to another process is theirs to give up, pause and tell about.
    if (!(await store.posts.markFailed(post.id, this.rights.owner, post.attempts, reason))) return;
    this.options.metrics?.postFinished(platform, "failed");
    if (pauseCohort) await store.posts.pauseCohort(cohort.id, at);
    logger.warn({ cohort: cohort.name, post: post.id, reason, paused: pauseCohort }, "post given up");

    const moderator = await store.cohorts.moderatorOf(cohort.id);
    const outbox = this.options.outboxes[platform];
    if (!moderator || !outbox) return;
    const what = `the ${postKindLabel[post.kind]} for week ${Math.min(post.week, 20)} (due ${formatInZone(post.dueAt, cohort.timezone)})`;
    await outbox.notify(
      { platform, spaceExternalId, userExternalId: moderator.externalId },
      {
        tone: "warning",
        title: `Posts for ${cohort.name} ${pauseCohort ? "are paused" : "need a look"}`,
        text: pauseCohort
          ? `I couldn't post ${what}: ${reason}. I paused ${cohort.name}'s schedule so nothing else is lost.`
          : `I gave up posting ${what} after ${post.attempts} tries: ${reason}.`,
        footer: pauseCohort
          ? "Set a channel I can post in with /schedule channel, then /schedule resume"
          : "Post it yourself with /schedule post-now",
        visibility: "private",
      },
    );
  }
}
