import type { Curriculum } from "../curriculum/schema.js";
import type { Clock } from "../ports/clock.js";
import type { Platform } from "../ports/identity.js";
import type { Logger } from "../ports/logger.js";
import type { Metrics } from "../ports/metrics.js";
import type { ChatOutbox } from "../ports/outbox.js";
import type { PictureRenderer } from "../ports/pictures.js";
import type { Post, PostTarget } from "../ports/posts.js";
import type { Store } from "../ports/store.js";
import { retryDelayMs } from "../rules/schedule.js";
import { postMessage } from "./composer.js";
import type { OutboundQueue } from "./outbound.js";
import { givenUpNotice } from "./post-content.js";
import type { SendingRights } from "./sending-rights.js";

export interface SenderOptions {
  store: Store;
  curriculum: Curriculum;
  clock: Clock;
  logger: Logger;
  queue: OutboundQueue;
  outboxes: Partial<Record<Platform, ChatOutbox>>;
  pictures: PictureRenderer;
  /** Counts posts sent, given up and skipped. */
  metrics?: Metrics;
}

/** Sends that fail this many times in a row are given up and the moderator is told. */
const MAX_ATTEMPTS = 6;

const settled = Promise.resolve();

/**
 * Sends claimed posts through the outbound queue, each cohort's in the order they were queued:
 * fenced by the post's lease, composed at send time, marked sent, retried with back-off, or given
 * up (pausing the cohort when its channel is the problem) with a word to the moderator.
 */
export class PostSender {
  private readonly sending = new Set<number>();
  private readonly cohortTails = new Map<number, Promise<void>>();

  constructor(
    private readonly options: SenderOptions,
    private readonly rights: SendingRights,
    /** Asks for an early tick: a retry is due later, or another post must go first. */
    private readonly wake: () => void,
  ) {}

  /** Whether the post is queued or being sent by this process. */
  isSending(postId: number): boolean {
    return this.sending.has(postId);
  }

  enqueue({ id, cohortId }: Pick<Post, "id" | "cohortId">, platform: Platform): void {
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
    await outbox.notify(
      { platform, spaceExternalId, userExternalId: moderator.externalId },
      givenUpNotice(post, cohort, reason, pauseCohort),
    );
  }
}
