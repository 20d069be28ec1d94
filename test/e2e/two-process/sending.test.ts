/**
 * Scheduled posts from two processes on one PostgreSQL database, while the one sending them is
 * killed, stopped past its lease and continued: every post goes out once, in its cohort's order.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  channelPosts,
  type DiscordPair,
  FIRE_EVERY_S,
  moderator,
  nonceOfPost,
  POSTS_PER_COHORT,
  startDiscordPair,
} from "./discord-pair.js";

const COHORTS = 8;
/** Seconds until the first fire: both processes have connected by then. */
const START_IN_S = 12;
/** The whole run: five fires, leases running out after kills, and slack for a loaded machine. */
const RUN_TIMEOUT_MS = 120_000;

let pair: DiscordPair | undefined;
afterEach(async () => {
  await pair?.stop();
  pair = undefined;
});

/** A seeded sequence in [0, 1), so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every cohort has posted all it had to, each post marked sent. */
async function allSent(running: DiscordPair, cohortIds: number[]): Promise<void> {
  await vi.waitFor(
    async () => {
      const posts = (await running.posts()).filter((p) => cohortIds.includes(p.cohortId));
      const sent = posts.filter((p) => p.status === "sent").length;
      if (sent < cohortIds.length * POSTS_PER_COHORT) {
        throw new Error(
          `${sent} of ${cohortIds.length * POSTS_PER_COHORT} posts sent; statuses ${JSON.stringify(
            posts.filter((p) => p.status !== "sent"),
          )}\n${running.bots.map((b, i) => `--- process ${i}\n${b?.log.slice(-3000)}`).join("\n")}`,
        );
      }
    },
    { timeout: RUN_TIMEOUT_MS, interval: 250 },
  );
}

/** What members see in each cohort's channel is each post once, in the order its cohort's posts were due. */
async function expectEachPostOnceInOrder(running: DiscordPair, cohortIds: number[]): Promise<void> {
  const posts = await running.posts();
  for (const cohort of running.cohorts.filter((c) => cohortIds.includes(c.id))) {
    const own = posts.filter((p) => p.cohortId === cohort.id);
    expect(own.map((p) => `${p.kind} ${p.week}`)).toEqual([
      "leaderboard 16",
      "module 17",
      "leaderboard 17",
      "module 18",
      "leaderboard 18",
      "module 19",
      "leaderboard 19",
      "module 20",
      "leaderboard 20",
      "wrap-up 21",
    ]);
    expect(own.every((p) => p.status === "sent")).toBe(true);
    // Each post's first part, once, in due order; the id recorded is the message members see.
    const seen = channelPosts(running.fake, cohort.channelId);
    const firsts = seen.filter((m) => own.some((p) => m.body.nonce === nonceOfPost(p.id)));
    expect(firsts.map((m) => m.body.nonce)).toEqual(own.map((p) => nonceOfPost(p.id)));
    expect(firsts.map((m) => m.id)).toEqual(own.map((p) => p.externalMessageId));
    // Nothing else: every message is a part of one of these posts.
    const parts = new Set(own.flatMap((p) => [0, 1, 2, 3].map((part) => nonceOfPost(p.id, part))));
    expect(seen.filter((m) => !parts.has(String(m.body.nonce)))).toEqual([]);
    expect(new Set(seen.map((m) => m.body.nonce)).size).toBe(seen.length);
  }
  const paused = await running.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM schedules WHERE paused_at IS NOT NULL",
  );
  expect(paused[0]?.n).toBe(0);
  expect(running.fake.directMessagesTo(moderator.user.id)).toEqual([]);
}

describe("scheduled posts from two processes on PostgreSQL", () => {
  it(
    "given the sender killed right after claiming and then at random points while sending, each post goes out once and in order, and a sender shut down gives its right back",
    async () => {
      pair = await startDiscordPair(COHORTS, START_IN_S);
      const running = pair;
      const random = seeded(18);
      // Shard 0 alone at the first fire, stopping itself once its claims are committed.
      const crashing = await running.launch(0, { QUORUM_FAILPOINT: "after-claim" });
      const died = await crashing.exited;
      expect(died.signal).toBe("SIGKILL");
      expect((await running.posts()).filter((p) => p.status === "claimed")).toHaveLength(2 * COHORTS);
      await Promise.all([running.launch(0), running.launch(1)]);

      // Twice: the sender killed at a random moment of a fire's sending, then started again.
      for (let kill = 0; kill < 2; kill++) {
        await sleep(FIRE_EVERY_S * 1000 * random());
        const shard = await vi.waitFor(
          async () => {
            const found = await running.sender();
            if (found === undefined) throw new Error("no process sends yet");
            return found;
          },
          { timeout: 20_000, interval: 50 },
        );
        const victim = running.bots[shard];
        victim?.bot.child.kill("SIGKILL");
        await victim?.exited;
        await running.launch(shard);
      }

      const ids = running.cohorts.map((c) => c.id);
      await allSent(running, ids);
      await expectEachPostOnceInOrder(running, ids);

      // Shut down, the sender hands its right back instead of leaving the other to wait out the lease.
      const shard = await running.sender();
      const sender = shard === undefined ? undefined : running.bots[shard];
      const pid = sender?.bot.child.pid;
      expect(await sender?.stop()).toMatchObject({ code: 0 });
      const left = await running.query<{ owner: string }>(
        "SELECT owner FROM senders UNION ALL SELECT lease_owner FROM posts WHERE status = 'claimed'",
      );
      expect(left.filter((r) => r.owner?.split(":").at(-2) === String(pid))).toEqual([]);
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    "given a moderator's schedule change at a fire and the sender stopped past its lease, the other sends in its place, the change stands, and the stale sender changes nothing once continued",
    async () => {
      pair = await startDiscordPair(COHORTS, START_IN_S);
      const running = pair;
      await Promise.all([running.launch(0), running.launch(1)]);
      // Stopped in the middle of the second fire's sending.
      await vi.waitFor(
        async () => {
          const sent = (await running.posts()).filter((p) => p.status === "sent").length;
          if (sent < 2 * COHORTS + 3) throw new Error(`${sent} sent`);
        },
        { timeout: 60_000, interval: 20 },
      );
      // At the next fire, as both processes plan it, a moderator changes one cohort's schedule through shard 0's process.
      const [target] = running.cohorts;
      if (!target) throw new Error("no cohort");
      const period = FIRE_EVERY_S * 1000;
      await sleep(period - (Date.now() % period) - 5);
      const reply = await running.fake
        .slash({
          ...moderator,
          guildId: target.guildId,
          name: "schedule",
          subcommand: "set",
          options: { when: "mon 09:00" },
        })
        .final();
      expect(JSON.stringify(reply.body)).toMatch(/Mondays at 09:00/);

      const shard = await running.sender();
      if (shard === undefined) throw new Error("no process sends");
      const stale = running.bots[shard];
      stale?.bot.child.kill("SIGSTOP");
      const other = shard === 0 ? 1 : 0;

      const others = running.cohorts.map((c) => c.id).filter((id) => id !== target.id);
      await allSent(running, others);
      expect(await running.sender()).toBe(other);
      stale?.bot.child.kill("SIGCONT");
      // Awake again, it finds its right and leases gone: nothing it does shows.
      await sleep(4_000);
      await expectEachPostOnceInOrder(running, others);
      const schedule = await running.query<{ spec: string; next: Date }>(
        "SELECT spec, next_fire_at AS next FROM schedules WHERE cohort_id = $1 AND kind = 'module'",
        [target.id],
      );
      expect(schedule[0]?.spec).toBe("mon 09:00");
      expect(schedule[0]?.next.getUTCDay()).toBe(1);
      expect(stale?.bot.child.exitCode).toBeNull();
    },
    RUN_TIMEOUT_MS + 60_000,
  );
});
