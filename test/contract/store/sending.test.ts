import { expect, it } from "vitest";
import type { Post, PostLease } from "../../../src/core/ports/posts.js";
import type { Store } from "../../../src/core/ports/store.js";
import { cohortNamed, monday } from "./scheduling-fixtures.js";
import { describeStores } from "./stores.js";

// Several processes on one database: one sends each platform's posts, each post under a lease that
// fences every other process, and a daily question chosen once per fire.

const LEASE_MS = 30_000;
const at = (seconds: number) => new Date(monday.getTime() + seconds * 1000);
const leaseOf = (owner: string, now: Date): PostLease => ({
  owner,
  now,
  until: new Date(now.getTime() + LEASE_MS),
});

/** `count` manual posts of one cohort, claimed and due now. */
async function claimedPosts(store: Store, count: number): Promise<Post[]> {
  const cohort = await cohortNamed(store, "spring");
  const posts: Post[] = [];
  for (let week = 1; week <= count; week++) {
    const post = await store.posts.claim(
      { cohortId: cohort.id, week, kind: "manual", dueAt: at(week) },
      monday,
    );
    if (!post) throw new Error("not claimed");
    posts.push(post);
  }
  return posts;
}

describeStores("sending", (open) => {
  it("given a platform's sending right held by one process, another gets it only once the lease has run out", async () => {
    const { store } = await open();
    expect(await store.senders.take("discord", leaseOf("one", at(0)))).toBe(true);
    expect(await store.senders.take("discord", leaseOf("two", at(1)))).toBe(false);
    // Each platform has a right of its own.
    expect(await store.senders.take("slack", leaseOf("two", at(1)))).toBe(true);
    // Renewed by its holder, it runs on from the renewal.
    expect(await store.senders.take("discord", leaseOf("one", at(20)))).toBe(true);
    expect(await store.senders.take("discord", leaseOf("two", at(35)))).toBe(false);
    expect(await store.senders.take("discord", leaseOf("two", at(50)))).toBe(true);
    expect(await store.senders.take("discord", leaseOf("one", at(51)))).toBe(false);
  });

  it("given the same right taken through two stores at once, one process gets it", async () => {
    const opened = await open();
    const other = await opened.another();
    const takers = [opened.store, other, opened.store, other];
    const taken = await Promise.all(
      takers.map((store, i) => store.senders.take("slack", leaseOf(`p${i}`, at(0)))),
    );
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it("given posts leased by one sender, a new sender after its right runs out takes them, and the stale sender's marks are refused", async () => {
    const { store } = await open();
    const [first, second] = await claimedPosts(store, 2);
    if (!first || !second) throw new Error("no posts");
    await store.senders.take("terminal", leaseOf("one", at(5)));
    expect((await store.posts.lease(leaseOf("one", at(5)), 10)).map((t) => t.post.id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(await store.posts.hold(first.id, leaseOf("one", at(7)))).toMatchObject({ post: { id: first.id } });

    // "one" stops; "two" waits for the right, and then for the post leases, before sending anything.
    expect(await store.senders.take("terminal", leaseOf("two", at(20)))).toBe(false);
    expect(await store.senders.take("terminal", leaseOf("two", at(36)))).toBe(true);
    expect((await store.posts.lease(leaseOf("two", at(36)), 10)).map((t) => t.post.id)).toEqual([second.id]);
    expect(await store.posts.hold(first.id, leaseOf("two", at(36)))).toBeUndefined();
    expect(await store.posts.hold(first.id, leaseOf("two", at(37)))).toMatchObject({
      post: { id: first.id },
    });

    // "one" wakes up: without the right it holds nothing, and what it concluded is not recorded.
    expect(await store.posts.hold(second.id, leaseOf("one", at(38)))).toBeUndefined();
    expect(await store.posts.markSent(first.id, "one", at(38), "m-stale")).toBe(false);
    expect(await store.posts.markRetry(second.id, "one", 1, at(60), "503")).toBe(false);
    expect(await store.posts.markFailed(second.id, "one", 1, "forbidden")).toBe(false);
    expect(await store.posts.markSent(first.id, "two", at(39), "m-1")).toBe(true);
    expect((await store.posts.forCohort(first.cohortId)).map((p) => [p.status, p.attempts])).toEqual([
      ["sent", 0],
      ["claimed", 0],
    ]);
  });

  it("given a post whose lease ran out held at once by the new sender through two connections and by the stale one, the new sender holds it and the stale one is refused", async () => {
    const opened = await open();
    const other = await opened.another();
    const [post] = await claimedPosts(opened.store, 1);
    if (!post) throw new Error("no post");
    // Both think they send the platform: the right changed hands while the old holder was stopped.
    await opened.store.senders.take("terminal", leaseOf("one", at(0)));
    await opened.store.posts.lease(leaseOf("one", at(0)), 10);
    await other.senders.take("terminal", leaseOf("two", at(31)));
    await opened.store.senders.take("terminal", leaseOf("two", at(32)));
    const held = await Promise.all([
      opened.store.posts.hold(post.id, leaseOf("two", at(40))),
      other.posts.hold(post.id, leaseOf("two", at(40))),
      opened.store.posts.hold(post.id, leaseOf("one", at(40))),
    ]);
    expect(held.map((h) => h?.post.id)).toEqual([post.id, post.id, undefined]);
    expect(await other.posts.markSent(post.id, "two", at(41), "m-1")).toBe(true);
    expect(await opened.store.posts.markSent(post.id, "one", at(41), "m-2")).toBe(false);
  });

  it("given an older post of the cohort never tried, a younger one is held only once the older has been sent or tried", async () => {
    const { store } = await open();
    const [older, younger, youngest] = await claimedPosts(store, 3);
    if (!older || !younger || !youngest) throw new Error("no posts");
    const other = await cohortNamed(store, "autumn");
    const elsewhere = await store.posts.claim(
      { cohortId: other.id, week: 1, kind: "manual", dueAt: at(9) },
      monday,
    );
    await store.senders.take("terminal", leaseOf("one", at(10)));
    expect(await store.posts.hold(younger.id, leaseOf("one", at(10)))).toBeUndefined();
    // Another cohort's posts keep their own order.
    expect(await store.posts.hold(elsewhere?.id ?? 0, leaseOf("one", at(10)))).toBeDefined();
    expect(await store.posts.hold(older.id, leaseOf("one", at(10)))).toBeDefined();
    expect(await store.posts.markRetry(older.id, "one", 1, at(60), "503")).toBe(true);
    // Tried and waiting for its retry, the older one no longer holds the others back.
    expect(await store.posts.hold(younger.id, leaseOf("one", at(11)))).toBeDefined();
    expect(await store.posts.hold(youngest.id, leaseOf("one", at(11)))).toBeUndefined();
    expect(await store.posts.markSent(younger.id, "one", at(11), "m-1")).toBe(true);
    expect(await store.posts.hold(youngest.id, leaseOf("one", at(12)))).toBeDefined();
  });

  it("given a sender that releases on shutdown, another takes its right and its posts at once", async () => {
    const { store } = await open();
    const [post] = await claimedPosts(store, 1);
    if (!post) throw new Error("no post");
    await store.senders.take("terminal", leaseOf("one", at(0)));
    await store.senders.take("slack", leaseOf("one", at(0)));
    await store.posts.lease(leaseOf("one", at(0)), 10);
    await store.senders.release("one");
    expect(await store.senders.take("terminal", leaseOf("two", at(1)))).toBe(true);
    expect(await store.senders.take("slack", leaseOf("two", at(1)))).toBe(true);
    expect((await store.posts.lease(leaseOf("two", at(1)), 10)).map((t) => t.post.id)).toEqual([post.id]);
  });

  it("given one fire's daily question chosen through two stores at once, one is stored and each gets that one", async () => {
    const opened = await open();
    const other = await opened.another();
    const cohort = await cohortNamed(opened.store, "daily");
    const closesAt = new Date(monday.getTime() + 86_400_000);
    const chosen = await Promise.all(
      ["q1", "q2", "q3", "q4"].map((questionId, i) =>
        (i % 2 ? other : opened.store).deliveries.create({
          spaceId: cohort.spaceId,
          cohortId: cohort.id,
          questionId,
          week: 1,
          deliveredAt: monday,
          closesAt,
        }),
      ),
    );
    expect(new Set(chosen.map((d) => d.id)).size).toBe(1);
    expect(new Set(chosen.map((d) => d.questionId)).size).toBe(1);
    expect(await opened.store.deliveries.usedByCohort(cohort.id)).toEqual(new Set([chosen[0]?.questionId]));
  });
});
