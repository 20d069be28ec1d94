import { expect, it } from "vitest";
import type { Actor, Identity } from "../../../src/core/ports/identity.js";
import type { Store } from "../../../src/core/ports/store.js";
import { actor } from "../../helpers.js";
import { describeStores, type OpenStore } from "./stores.js";
import { at, hashOf, linkFor, MINUTE, member, openingOf, plus } from "./web-access-fixtures.js";

// The dashboard's sign-in under races between processes: a redemption against another redemption, a sign-out
// and a demotion. A redemption uses its link and opens its session in one step, so each lands wholly before or after.

/** Rounds of a race between two stores: on PostgreSQL a gap between using a link and opening its session shows in a few of them. */
const RACE_ROUNDS = 60;

/** How long a held redemption waits for another connection to queue behind it, in steps of 10 ms. */
const HOLD_STEPS = 500;

/**
 * On PostgreSQL, holds each session insert, inside the redeeming statement and so under the link's row lock,
 * until another connection waits on a lock (or HOLD_STEPS run out); `held()` waits until a redemption is held.
 * SQLite runs each transaction to its end before the next begins, so there nothing needs holding.
 */
async function holdRedemptions(
  opened: OpenStore,
): Promise<{ held(): Promise<void>; release(): Promise<void> }> {
  if (opened.kind === "sqlite") return { async held() {}, async release() {} };
  await opened.write(
    `CREATE FUNCTION contract_hold_session() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       FOR step IN 1..${HOLD_STEPS} LOOP
         EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                           AND pid <> pg_backend_pid() AND wait_event_type = 'Lock');
         PERFORM pg_sleep(0.01);
         -- pg_stat_activity is read once a transaction unless its snapshot is dropped.
         PERFORM pg_stat_clear_snapshot();
       END LOOP;
       RETURN NEW;
     END $$`,
  );
  await opened.write(
    `CREATE TRIGGER contract_hold_session BEFORE INSERT ON web_sessions
     FOR EACH ROW EXECUTE FUNCTION contract_hold_session()`,
  );
  return {
    async held() {
      for (let step = 0; step < HOLD_STEPS; step++) {
        const sleeping = await opened.query(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'",
        );
        if (sleeping.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("no redemption reached the hold");
    },
    async release() {
      // The one database serves the whole file: the next test must find web_sessions as the migrations left it.
      await opened.write("DROP TRIGGER IF EXISTS contract_hold_session ON web_sessions");
      await opened.write("DROP FUNCTION IF EXISTS contract_hold_session()");
    },
  };
}

describeStores("dashboard sign-in under races", (open) => {
  it("given one link redeemed through two stores at once, many times over, each link opens for exactly one of them", async () => {
    const opened = await open();
    const other = await opened.another();
    const ana = await member(opened.store, actor("ana"));
    const names = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    for (const name of names) await opened.store.web.issueLink(linkFor(ana, name), at);

    const outcomes = await Promise.all(
      names.map((name) =>
        Promise.all(
          [opened.store, other, opened.store, other].map((store, i) =>
            store.web.redeemLink(hashOf(name), plus(MINUTE), openingOf(`${name}-cookie-${i}`)),
          ),
        ),
      ),
    );

    for (const tries of outcomes) {
      expect(tries.filter((t) => t.ok)).toHaveLength(1);
      expect(tries.filter((t) => !t.ok)).toEqual([
        { ok: false, why: "used" },
        { ok: false, why: "used" },
        { ok: false, why: "used" },
      ]);
    }
    expect(await opened.query("SELECT token_hash FROM web_sessions")).toHaveLength(names.length);
  });

  /**
   * Races `rival` against the redemption of a link, one round per member, through two stores (another process's
   * connections), alternating which store redeems and which call starts first; what each round's calls gave
   * and the session the link was to open, as found afterwards.
   */
  async function raceRedemptions<T>(
    opened: OpenStore,
    rounds: number,
    isModerator: boolean,
    rival: (store: Store, who: Actor, identity: Identity) => Promise<T>,
  ) {
    const second = await opened.another();
    const results = [];
    for (let i = 0; i < rounds; i++) {
      const who = actor(`racer-${i}`, { isModerator });
      const identity = await member(opened.store, who);
      await opened.store.web.issueLink(linkFor(identity, `link-${i}`, isModerator), at);
      const [redeemer, other] = i % 2 === 0 ? [opened.store, second] : [second, opened.store];
      const redeem = () =>
        redeemer.web.redeemLink(hashOf(`link-${i}`), plus(MINUTE), openingOf(`cookie-${i}`));
      // One round at a time: many at once only queue for the pools' connections, and one side then always wins.
      const [redeemed, rivalled] =
        i % 4 < 2
          ? await Promise.all([redeem(), rival(other, who, identity)])
          : await Promise.all([rival(other, who, identity), redeem()]).then(([r, d]) => [d, r] as const);
      const after = await opened.store.web.session(hashOf(`cookie-${i}`), plus(MINUTE));
      results.push({ redeemed, rivalled, after });
    }
    return results;
  }

  it("given a member signing out while their link is redeemed through another store, many times over, no session outlives the sign-out", async () => {
    const opened = await open();
    const rounds = await raceRedemptions(opened, RACE_ROUNDS, false, (store, _who, identity) =>
      store.web.endSessions(identity.member.id),
    );

    // Either the sign-out came first and cancelled the link, or it came after and ended the session the link opened.
    const stories = rounds.map(({ redeemed, rivalled: ended, after }) =>
      !redeemed.ok
        ? `refused as ${redeemed.why}; sign-out ended ${ended}; ${after ? "a session is open" : "none open"}`
        : `redeemed; sign-out ended ${ended}; ${after ? "a session is open" : "none open"}`,
    );
    expect(
      stories.filter(
        (story) =>
          story !== "refused as unknown; sign-out ended 0; none open" &&
          story !== "redeemed; sign-out ended 1; none open",
      ),
    ).toEqual([]);
  });

  it("given a moderator demoted while their link is redeemed through another store, many times over, no session keeps moderator rights", async () => {
    const opened = await open();
    const rounds = await raceRedemptions(opened, RACE_ROUNDS, true, (store, who) =>
      store.web.recheckModerator({ ...who, isModerator: false }),
    );

    // Whichever came first, the demotion reaches the link or the session it opened.
    const stories = rounds.map(({ redeemed, after }) =>
      !redeemed.ok
        ? `refused as ${redeemed.why}`
        : !after
          ? "redeemed; no session open"
          : `redeemed; session open ${after.isModerator ? "as a moderator" : "as a member"}`,
    );
    expect(stories.filter((story) => story !== "redeemed; session open as a member")).toEqual([]);
  });

  it("given a sign-out that starts while a redemption holds the link, it waits for it and ends the session it opened", async () => {
    const opened = await open();
    const second = await opened.another();
    const ana = await member(opened.store, actor("ana"));
    await opened.store.web.issueLink(linkFor(ana, "link"), at);
    const hold = await holdRedemptions(opened);
    try {
      const redeeming = opened.store.web.redeemLink(hashOf("link"), plus(MINUTE), openingOf("cookie"));
      await hold.held();
      const [redeemed, ended] = await Promise.all([redeeming, second.web.endSessions(ana.member.id)]);

      expect(redeemed).toMatchObject({ ok: true, session: { memberId: ana.member.id } });
      expect(ended).toBe(1);
      expect(await opened.store.web.session(hashOf("cookie"), plus(MINUTE))).toBeUndefined();
    } finally {
      await hold.release();
    }
  });

  it("given a demotion that starts while a redemption holds the moderator's link, it waits for it and takes the rights from the session it opened", async () => {
    const opened = await open();
    const second = await opened.another();
    const mod = await member(opened.store, actor("mod"));
    await opened.store.web.issueLink(linkFor(mod, "link", true), at);
    const hold = await holdRedemptions(opened);
    try {
      const redeeming = opened.store.web.redeemLink(hashOf("link"), plus(MINUTE), openingOf("cookie"));
      await hold.held();
      const [redeemed] = await Promise.all([
        redeeming,
        second.web.recheckModerator(actor("mod", { isModerator: false })),
      ]);

      // Redeemed before the demotion, so it opened as a moderator; the demotion then reached the session.
      expect(redeemed).toMatchObject({ ok: true, session: { memberId: mod.member.id, isModerator: true } });
      expect(await opened.store.web.session(hashOf("cookie"), plus(MINUTE))).toMatchObject({
        isModerator: false,
      });
    } finally {
      await hold.release();
    }
  });
});
