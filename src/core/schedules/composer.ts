import { type Message, withPicturesDrawn } from "../messages.js";
import type { CohortDelivery } from "../ports/deliveries.js";
import type { PostTarget } from "../ports/posts.js";
import { type BoardDeps, boardMessage } from "../services/board-message.js";
import { dailyQuestionPost, dailyResultsPost, modulePost, reminderPost, wrapUpPost } from "./post-content.js";

/** How long a daily question stays open before its results are posted. */
export const DAILY_QUESTION_OPEN_MS = 24 * 3_600_000;

/** The daily question for this post: chosen once (a retry reuses it) from the cohort's week, never repeated. */
async function dailyQuestion(deps: BoardDeps, target: PostTarget): Promise<CohortDelivery | undefined> {
  const { store, curriculum } = deps;
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

/** What a scheduled post says, composed when it is sent; undefined when there is nothing to post. */
export async function postMessage(deps: BoardDeps, target: PostTarget): Promise<Message | undefined> {
  const { curriculum, store } = deps;
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
      const delivery = await dailyQuestion(deps, target);
      const item = delivery && curriculum.bank.items.find((i) => i.id === delivery.questionId);
      return item && delivery ? dailyQuestionPost(item, cohort, delivery.closesAt) : undefined;
    }
    case "leaderboard": {
      // Nobody waits on a scheduled post, so it goes out with its picture drawn.
      const message = await withPicturesDrawn(
        await boardMessage(deps, cohort, { kind: "week", week: post.week }, undefined),
      );
      return { ...message, title: `Week ${post.week} is over · ${cohort.name}'s board` };
    }
    case "daily-results": {
      // The question that closed at this post's due time.
      const delivery = await store.deliveries.closedAt(cohort.id, post.dueAt);
      const item = delivery && curriculum.bank.items.find((i) => i.id === delivery.questionId);
      return item && delivery
        ? dailyResultsPost(item, cohort, await store.deliveries.tally(delivery))
        : undefined;
    }
  }
}
