import type { Clock } from "../clock.js";
import type { Curriculum } from "../curriculum/schema.js";
import type { Logger } from "../logger.js";
import type { Message } from "../messages.js";
import type { Metrics } from "../metrics.js";
import type {
  ChatOutbox,
  Cohort,
  CohortDelivery,
  DueSchedule,
  PictureRenderer,
  Platform,
  Post,
  PostClaim,
  PostTarget,
  SchedulePlan,
  Store,
} from "../ports.js";
import {
  moduleFires,
  nextFire,
  nextFires,
  progressAt,
  retryDelayMs,
  TOTAL_WEEKS,
  WRAP_UP,
} from "../rules/schedule.js";
import { formatInZone } from "../rules/zoned.js";
import { boardMessage } from "./leaderboard.js";
import type { OutboundQueue } from "./outbound.js";
import {
  dailyQuestionPost,
  dailyResultsPost,
  modulePost,
  postKindLabel,
  reminderPost,
  wrapUpPost,
} from "./post-content.js";
import { cohortTimeline, timelineOf } from "./timeline.js";

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
  /** Schedules planned per transaction; between batches the event loop serves commands. */
  batchSize?: number;
  yieldToEvents?: () => Promise<void>;
  /** Runs after claims are committed and before anything is sent (the crash test stops the process here). */
  afterClaim?: (posts: Post[]) => void;
  /** Counts posts sent, given up and skipped. */
  metrics?: Metrics;
}

export interface TickReport {
  claimed: number;
  missed: number;
  retried: number;
}

/** How long a daily question stays open before its results are posted. */
export const DAILY_QUESTION_OPEN_MS = 24 * 3_600_000;
/** Sends that fail this many times in a row are given up and the moderator is told. */
const MAX_ATTEMPTS = 6;
/** Reminders missed over a long downtime are recorded up to this many per schedule per tick. */
const MAX_FIRES_PER_TICK = 200;

/**
 * Turns due schedules into posts, exactly once each: a fire is claimed in the database
 * (a unique row) before it is sent and marked sent after; a restart sends what was
 * claimed and not sent, and catches up on what was missed.
 */
export class Scheduler {
  private readonly sending = new Set<number>();
  private readonly cohortTails = new Map<number, Promise<void>>();
  private chain: Promise<unknown> = Promise.resolve();
  private wakeListener: (() => void) | undefined;
  private announcements = 0;

  constructor(private readonly options: SchedulerOptions) {}

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
    if (post) this.enqueue(post, platform);
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
    const batchSize = this.options.batchSize ?? 100;
    const seen = new Set<number>();
    for (;;) {
      const due = (await store.schedules.due(now, batchSize)).filter((d) => !seen.has(d.schedule.id));
      if (due.length === 0) break;
      const plans: SchedulePlan[] = [];
      const platforms = new Map<number, Platform>();
      for (const item of due) {
        seen.add(item.schedule.id);
        platforms.set(item.cohort.id, item.platform);
        plans.push(await this.planSchedule(item, now));
      }
      const claimed = await store.posts.plan(plans, now);
      report.claimed += claimed.length;
      report.missed += plans.reduce((n, p) => n + p.missed.length, 0);
      for (const missed of plans.flatMap((p) => p.missed)) {
        this.options.metrics?.postFinished(platforms.get(missed.cohortId) ?? "terminal", "skipped");
      }
      this.options.afterClaim?.(claimed);
      for (const post of claimed) this.enqueue(post, platforms.get(post.cohortId) ?? "terminal");
      await this.options.yieldToEvents?.();
    }
    // A daily question that has closed gets its results post, claimed like any other.
    for (const delivery of await store.deliveries.closedWithoutResults(now, batchSize)) {
      const post = await store.posts.claim(
        { cohortId: delivery.cohortId, week: delivery.week, kind: "daily-results", dueAt: delivery.closesAt },
        now,
      );
      if (post) report.claimed++;
    }
    for (const target of await store.posts.pending(now, batchSize)) {
      if (this.sending.has(target.post.id)) continue;
      report.retried++;
      this.enqueue(target.post, target.platform);
    }
    return report;
  }

  private async planSchedule({ schedule, cohort }: DueSchedule, now: Date): Promise<SchedulePlan> {
    const after = new Date((schedule.nextFireAt ?? schedule.anchorAt).getTime() - 1);
    const plan: SchedulePlan = {
      scheduleId: schedule.id,
      nextFireAt: null,
      claims: [],
      missed: [],
      completesCohort: false,
    };
    const place = (claim: PostClaim) => {
      const late = now.getTime() - claim.dueAt.getTime();
      if (late <= this.options.catchUpMs) {
        plan.claims.push(claim);
        return;
      }
      plan.missed.push(claim);
      this.options.logger.warn(
        {
          cohort: cohort.name,
          kind: claim.kind,
          week: claim.week,
          dueAt: claim.dueAt.toISOString(),
          lateMs: late,
        },
        "post missed beyond the catch-up window; recorded as skipped",
      );
    };

    if (schedule.kind === "module") {
      for (const fire of moduleFires(timelineOf(schedule), after, now)) {
        if (fire.kind === "skipped") continue;
        // The week that just ended gets its board, posted before the next module.
        const ended = fire.kind === "wrap-up" ? TOTAL_WEEKS : fire.week - 1;
        if (ended >= 1) place({ cohortId: cohort.id, week: ended, kind: "leaderboard", dueAt: fire.at });
        if (fire.kind === "wrap-up") {
          place({ cohortId: cohort.id, week: WRAP_UP, kind: "wrap-up", dueAt: fire.at });
          plan.completesCohort = true;
        } else {
          place({ cohortId: cohort.id, week: fire.week, kind: "module", dueAt: fire.at });
        }
      }
    } else {
      const kind = schedule.kind === "daily-question" ? "daily-question" : "reminder";
      const timeline = await cohortTimeline(this.options.store, cohort);
      const fires = nextFires(schedule.cron, schedule.timezone, after, MAX_FIRES_PER_TICK).filter(
        (f) => f <= now,
      );
      for (const at of fires) {
        const progress = progressAt(timeline, at);
        if (progress.state === "running" && !progress.paused) {
          place({ cohortId: cohort.id, week: progress.week, kind, dueAt: at });
        }
      }
    }
    if (!plan.completesCohort) plan.nextFireAt = nextFire(schedule.cron, schedule.timezone, now) ?? null;
    return plan;
  }

  private enqueue(post: Pick<Post, "id" | "cohortId">, platform: Platform): void {
    if (this.sending.has(post.id)) return;
    this.sending.add(post.id);
    // One cohort's posts go out in the order they were claimed (last week's board before the new module).
    const previous = this.cohortTails.get(post.cohortId) ?? Promise.resolve();
    let done: () => void = () => {};
    const tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.cohortTails.set(post.cohortId, tail);
    this.options.queue.enqueue({
      platform,
      run: () =>
        previous
          .then(() => this.send(post.id))
          .finally(() => {
            this.sending.delete(post.id);
            done();
            if (this.cohortTails.get(post.cohortId) === tail) this.cohortTails.delete(post.cohortId);
          }),
    });
  }

  /** The daily question for this post: chosen once (a retry reuses it) from the cohort's week, never repeated. */
  private async dailyQuestion(target: PostTarget): Promise<CohortDelivery | undefined> {
    const { store, curriculum } = this.options;
    const { post, cohort } = target;
    const existing = await store.deliveries.forCohortAt(cohort.id, post.dueAt);
    if (existing) return existing;
    const used = await store.deliveries.usedByCohort(cohort.id);
    const fresh = curriculum.bank.items.filter((item) => !used.has(item.id) && item.week <= post.week);
    const pick = fresh.find((item) => item.week === post.week) ?? fresh.sort((a, b) => b.week - a.week)[0];
    if (!pick) return undefined;
    return store.deliveries.create({
      spaceId: cohort.spaceId,
      cohortId: cohort.id,
      questionId: pick.id,
      week: pick.week,
      deliveredAt: post.dueAt,
      closesAt: new Date(post.dueAt.getTime() + DAILY_QUESTION_OPEN_MS),
    });
  }

  private async message(target: PostTarget): Promise<Message | undefined> {
    const { curriculum, store } = this.options;
    const { post, cohort } = target;
    switch (post.kind) {
      case "module":
      case "manual":
        return modulePost(curriculum, cohort, post.week);
      case "reminder":
        return reminderPost(curriculum, cohort, post.week);
      case "wrap-up": {
        const summary = await store.cohorts.summary(cohort.id);
        return wrapUpPost(cohort, summary, (id) => curriculum.tracks.find((t) => t.id === id)?.name ?? id);
      }
      case "daily-question": {
        const delivery = await this.dailyQuestion(target);
        const item = delivery && curriculum.bank.items.find((i) => i.id === delivery.questionId);
        return item && delivery ? dailyQuestionPost(item, cohort, delivery.closesAt) : undefined;
      }
      case "leaderboard": {
        const message = await boardMessage(
          this.options,
          cohort,
          { kind: "week", week: post.week },
          undefined,
        );
        return { ...message, title: `Week ${post.week} is over · ${cohort.name}'s board` };
      }
      case "daily-results": {
        // The question that closed at this post's due time.
        const delivery = await store.deliveries.closedAt(cohort.id, post.dueAt);
        const item = delivery && curriculum.bank.items.find((i) => i.id === delivery.questionId);
        return item && delivery ? dailyResultsPost(item, await store.deliveries.tally(delivery)) : undefined;
      }
    }
  }

  private async send(postId: number): Promise<void> {
    const { store, clock, logger } = this.options;
    const target = await store.posts.target(postId);
    if (target?.post.status !== "claimed") return;
    const { post, cohort, platform } = target;
    const outbox = this.options.outboxes[platform];
    if (!outbox) {
      // This process does not run that platform's adapter; another run will send it.
      await store.posts.markRetry(
        post.id,
        post.attempts,
        new Date(clock.now().getTime() + 300_000),
        `no ${platform} adapter running`,
      );
      return;
    }
    const message = await this.message(target);
    if (!message) {
      await store.posts.markFailed(
        post.id,
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
      await store.posts.markSent(post.id, at, outcome.messageId);
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
    await store.posts.markRetry(post.id, attempts, retryAt, outcome.detail);
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
    await store.posts.markFailed(post.id, post.attempts, reason);
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
