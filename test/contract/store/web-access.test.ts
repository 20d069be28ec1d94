import { expect, it } from "vitest";
import type { WebSession } from "../../../src/core/ports/web-access.js";
import { actor } from "../../helpers.js";
import { describeStores } from "./stores.js";
import {
  at,
  DAY,
  HOUR,
  hashOf,
  linkFor,
  MINUTE,
  member,
  openingOf,
  plus,
  signIn,
} from "./web-access-fixtures.js";

// The dashboard's sign-in as every store keeps it: links used once, sessions until they expire or end.
// Races between processes are in web-access-races.test.ts.

describeStores("dashboard sign-in", (open) => {
  it("given a link, it redeems once, opening a session with the link's grant; a second time it is used, and a hash never issued is unknown", async () => {
    const opened = await open();
    const { store } = opened;
    const mod = await member(store, actor("mod"));
    await store.web.issueLink(linkFor(mod, "link", true), at);

    const session: WebSession = {
      ...openingOf("cookie"),
      spaceId: mod.space.id,
      memberId: mod.member.id,
      isModerator: true,
    };
    expect(await store.web.redeemLink(hashOf("link"), plus(MINUTE), openingOf("cookie"))).toEqual({
      ok: true,
      session,
    });
    expect(await store.web.session(hashOf("cookie"), plus(MINUTE))).toEqual(session);
    expect(await store.web.redeemLink(hashOf("link"), plus(2 * MINUTE), openingOf("again"))).toEqual({
      ok: false,
      why: "used",
    });
    expect(await store.web.redeemLink(hashOf("never"), plus(MINUTE), openingOf("never-cookie"))).toEqual({
      ok: false,
      why: "unknown",
    });
    // A refused redemption opens nothing.
    expect(await opened.query("SELECT token_hash FROM web_sessions")).toHaveLength(1);
  });

  it("given a link past its expiry, it says expired and stays unused", async () => {
    const { store } = await open();
    const ana = await member(store, actor("ana"));
    await store.web.issueLink(linkFor(ana, "link"), at);

    // Valid strictly before expiresAt: at the instant itself it is already too late.
    expect(await store.web.redeemLink(hashOf("link"), plus(15 * MINUTE), openingOf("cookie"))).toEqual({
      ok: false,
      why: "expired",
    });
    expect(await store.web.redeemLink(hashOf("link"), plus(HOUR), openingOf("cookie"))).toEqual({
      ok: false,
      why: "expired",
    });
    expect(await store.web.session(hashOf("cookie"), plus(15 * MINUTE))).toBeUndefined();
  });

  it("given a session, it is found with everything it was opened with until it expires, and not from then on", async () => {
    const { store } = await open();
    const ana = await member(store, actor("ana"));
    const session = await signIn(store, ana, "cookie");

    expect(await store.web.session(hashOf("cookie"), plus(12 * HOUR - 1))).toEqual(session);
    expect(await store.web.session(hashOf("cookie"), plus(12 * HOUR))).toBeUndefined();
    expect(await store.web.session(hashOf("other"), at)).toBeUndefined();
  });

  it("given two sessions of one member, ending one leaves the other", async () => {
    const { store } = await open();
    const ana = await member(store, actor("ana"));
    await signIn(store, ana, "laptop");
    await signIn(store, ana, "phone");

    await store.web.endSession(hashOf("laptop"));

    expect(await store.web.session(hashOf("laptop"), at)).toBeUndefined();
    expect(await store.web.session(hashOf("phone"), at)).toMatchObject({ memberId: ana.member.id });
  });

  it("given a member signing out everywhere, ends all their sessions and cancels their unused links, and no one else's", async () => {
    const { store } = await open();
    const ana = await member(store, actor("ana"));
    const bo = await member(store, actor("bo"));
    // The same person in another space is another member there.
    const anaElsewhere = await member(store, actor("ana", { spaceExternalId: "elsewhere" }));
    await signIn(store, ana, "ana-laptop");
    await signIn(store, ana, "ana-phone");
    await store.web.issueLink(linkFor(ana, "ana-unused"), at);
    await signIn(store, bo, "bo-laptop");
    await store.web.issueLink(linkFor(bo, "bo-unused"), at);
    await signIn(store, anaElsewhere, "ana-elsewhere");
    await store.web.issueLink(linkFor(anaElsewhere, "ana-elsewhere-unused"), at);

    expect(await store.web.endSessions(ana.member.id)).toBe(2);

    expect(await store.web.session(hashOf("ana-laptop"), at)).toBeUndefined();
    expect(await store.web.session(hashOf("ana-phone"), at)).toBeUndefined();
    expect(await store.web.redeemLink(hashOf("ana-unused"), at, openingOf("ana-late"))).toEqual({
      ok: false,
      why: "unknown",
    });
    expect(await store.web.session(hashOf("bo-laptop"), at)).toMatchObject({ memberId: bo.member.id });
    expect(await store.web.session(hashOf("ana-elsewhere"), at)).toMatchObject({
      memberId: anaElsewhere.member.id,
    });
    expect(await store.web.redeemLink(hashOf("bo-unused"), at, openingOf("bo-phone"))).toMatchObject({
      ok: true,
    });
    expect(
      await store.web.redeemLink(hashOf("ana-elsewhere-unused"), at, openingOf("ana-elsewhere-phone")),
    ).toMatchObject({ ok: true });
    expect(await store.web.endSessions(ana.member.id)).toBe(0);
  });

  it("given a moderator demoted on the platform, the recheck takes the rights from their sessions and unused links in that space only", async () => {
    const { store } = await open();
    const mod = await member(store, actor("mod"));
    const otherMod = await member(store, actor("boss", { isModerator: true }));
    const modElsewhere = await member(store, actor("mod", { spaceExternalId: "elsewhere" }));
    await signIn(store, mod, "mod", { isModerator: true });
    await store.web.issueLink(linkFor(mod, "mod-unused", true), at);
    await signIn(store, otherMod, "boss", { isModerator: true });
    await signIn(store, modElsewhere, "mod-elsewhere", { isModerator: true });

    await store.web.recheckModerator(actor("mod", { isModerator: false }));

    expect(await store.web.session(hashOf("mod"), at)).toMatchObject({ isModerator: false });
    expect(await store.web.redeemLink(hashOf("mod-unused"), at, openingOf("mod-phone"))).toMatchObject({
      ok: true,
      session: { memberId: mod.member.id, isModerator: false },
    });
    expect(await store.web.session(hashOf("mod-phone"), at)).toMatchObject({ isModerator: false });
    expect(await store.web.session(hashOf("boss"), at)).toMatchObject({ isModerator: true });
    expect(await store.web.session(hashOf("mod-elsewhere"), at)).toMatchObject({ isModerator: true });

    // Promoted again, the next command gives the rights back.
    await store.web.recheckModerator(actor("mod", { isModerator: true }));
    expect(await store.web.session(hashOf("mod"), at)).toMatchObject({ isModerator: true });
  });

  it("given someone the store has never seen, the recheck changes nothing and does not fail", async () => {
    const opened = await open();
    const ana = await member(opened.store, actor("ana"));
    await signIn(opened.store, ana, "ana");

    await opened.store.web.recheckModerator(actor("stranger", { isModerator: true }));
    await opened.store.web.recheckModerator(actor("ana", { spaceExternalId: "nowhere", isModerator: true }));

    expect(await opened.store.web.session(hashOf("ana"), at)).toMatchObject({ isModerator: false });
    expect(await opened.query("SELECT token_hash FROM web_sessions")).toHaveLength(1);
  });

  it("given links and sessions past their expiry, a later call sweeps them and keeps the live ones", async () => {
    const opened = await open();
    const { store } = opened;
    const ana = await member(store, actor("ana"));
    await store.web.issueLink(linkFor(ana, "old-link"), at);
    await store.web.issueLink(linkFor(ana, "old-used-link"), at);
    await store.web.redeemLink(
      hashOf("old-used-link"),
      plus(MINUTE),
      openingOf("used-link-session", plus(HOUR)),
    );
    await signIn(store, ana, "old-session", { expiresAt: plus(HOUR) });
    await signIn(store, ana, "live-session", { expiresAt: plus(3 * DAY) });

    const later = plus(2 * DAY);
    await store.web.issueLink({ ...linkFor(ana, "new-link"), expiresAt: plus(2 * DAY + 15 * MINUTE) }, later);

    const links = await opened.query<{ token_hash: string }>("SELECT token_hash FROM web_links");
    const sessions = await opened.query<{ token_hash: string }>("SELECT token_hash FROM web_sessions");
    expect(links.map((l) => l.token_hash)).toEqual([hashOf("new-link")]);
    expect(sessions.map((s) => s.token_hash)).toEqual([hashOf("live-session")]);
  });

  it("given a link expired or used a while ago, a sweep keeps it long enough to say so rather than unknown", async () => {
    const { store } = await open();
    const ana = await member(store, actor("ana"));
    await store.web.issueLink(linkFor(ana, "late"), at);
    await store.web.issueLink(linkFor(ana, "used"), at);
    await store.web.redeemLink(hashOf("used"), plus(MINUTE), openingOf("used-session"));
    await signIn(store, ana, "old-session", { expiresAt: plus(HOUR) });

    const later = plus(2 * HOUR);
    await store.web.issueLink(
      { ...linkFor(ana, "new-link"), expiresAt: plus(2 * HOUR + 15 * MINUTE) },
      later,
    );

    expect(await store.web.redeemLink(hashOf("late"), later, openingOf("late-session"))).toEqual({
      ok: false,
      why: "expired",
    });
    expect(await store.web.redeemLink(hashOf("used"), later, openingOf("used-again"))).toEqual({
      ok: false,
      why: "used",
    });
    expect(await store.web.session(hashOf("old-session"), later)).toBeUndefined();
  });
});
