import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../../test/helpers.js";
import { type Core, handleText, invoke } from "../dispatch.js";
import type { Message } from "../messages.js";
import type { Actor } from "../ports/identity.js";
import { redeemSignIn, sessionOf } from "../services/web-access.js";
import { scheduleShow } from "./schedule-show.js";

const BASE = "https://quorum.test";

const all = (message: Message | undefined) =>
  [message?.title, message?.text, message?.footer].filter(Boolean).join("\n");

/** A core whose HTTP listener serves the dashboard at BASE. */
function dashboardOn() {
  const test = testCore();
  const core: Core = { ...test.core, settings: { ...test.core.settings, dashboardUrl: BASE } };
  return { ...test, core };
}

/** Runs /dashboard for `who` and gives back the token of the link it replied with. */
async function linkToken(core: Core, who: Actor): Promise<string> {
  const reply = await handleText(core, who, "/dashboard");
  const url = reply?.links?.[0]?.url ?? "";
  const match = /^https:\/\/quorum\.test\/signin\/([A-Za-z0-9_-]{43})$/.exec(url);
  if (!match?.[1]) throw new Error(`no sign-in link in ${JSON.stringify(reply)}`);
  return match[1];
}

/** Signs `who` in through a /dashboard link, as opening it in a browser would; the cookie's token. */
async function signIn(core: Core, who: Actor): Promise<string> {
  const opened = await redeemSignIn(core, await linkToken(core, who));
  if (!opened.ok) throw new Error(`link refused: ${opened.error}`);
  return opened.value.token;
}

describe("/dashboard", () => {
  it("given the dashboard off, says so and how an operator turns it on, and writes nothing", async () => {
    const { core, database } = testCore();
    const before = tableCounts(database);

    for (const line of ["/dashboard", "/dashboard open"]) {
      const reply = await handleText(core, actor("ana"), line);
      expect(reply?.tone).toBe("error");
      expect(reply?.visibility).toBe("private");
      expect(all(reply)).toMatch(/dashboard is off/);
      expect(all(reply)).toMatch(/HTTP_PORT/);
      expect(all(reply)).toMatch(/PUBLIC_URL/);
      expect(reply?.links).toBeUndefined();
    }
    expect(tableCounts(database)).toEqual(before);
  });

  it("given the dashboard on, replies privately with a one-time link that opens a session of that member and space", async () => {
    const { core } = dashboardOn();
    const reply = await handleText(core, actor("ana"), "/dashboard");
    expect(reply?.visibility).toBe("private");
    const url = reply?.links?.[0]?.url ?? "";
    expect(url).toMatch(/^https:\/\/quorum\.test\/signin\/[A-Za-z0-9_-]{43}$/);
    expect(reply?.text).toContain(url);
    expect(all(reply)).toMatch(/within 15 minutes; it works once/);
    expect(all(reply)).not.toMatch(/every cohort/);

    const opened = await redeemSignIn(core, url.slice(`${BASE}/signin/`.length));
    if (!opened.ok) throw new Error(`link refused: ${opened.error}`);
    const ana = await core.store.identities.find(actor("ana"));
    expect(opened.value.session).toMatchObject({
      spaceId: ana?.space.id,
      memberId: ana?.member.id,
      isModerator: false,
    });
    expect(await redeemSignIn(core, url.slice(`${BASE}/signin/`.length))).toEqual({
      ok: false,
      error: "used",
    });
  });

  it("given a moderator, the link opens a session with moderator rights, and /dashboard open does the same", async () => {
    const { core } = dashboardOn();
    const reply = await handleText(core, actor("mod"), "/dashboard open");
    expect(all(reply)).toMatch(/every cohort of this space/);

    const session = await sessionOf(core, await signIn(core, actor("mod")));
    const mod = await core.store.identities.find(actor("mod"));
    expect(session).toMatchObject({ spaceId: mod?.space.id, memberId: mod?.member.id, isModerator: true });
  });

  it("given two browsers signed in and a link not yet used, /dashboard signout ends both and cancels the link", async () => {
    const { core } = dashboardOn();
    const laptop = await signIn(core, actor("ana"));
    const phone = await signIn(core, actor("ana"));
    const unused = await linkToken(core, actor("ana"));
    const bo = await signIn(core, actor("bo"));

    const reply = await handleText(core, actor("ana"), "/dashboard signout");
    expect(reply?.visibility).toBe("private");
    expect(all(reply)).toMatch(/Signed out of the dashboard in 2 browsers/);

    expect(await sessionOf(core, laptop)).toBeUndefined();
    expect(await sessionOf(core, phone)).toBeUndefined();
    expect(await redeemSignIn(core, unused)).toEqual({ ok: false, error: "unknown" });
    expect(await sessionOf(core, bo)).toMatchObject({ isModerator: false });
    expect(all(await handleText(core, actor("ana"), "/dashboard signout"))).toMatch(
      /no dashboard session open/,
    );
  });

  it("given someone never seen, /dashboard signout says there was nothing to end and writes nothing", async () => {
    const { core, database } = dashboardOn();
    const before = tableCounts(database);
    expect(all(await handleText(core, actor("zoe"), "/dashboard signout"))).toMatch(
      /no dashboard session open/,
    );
    expect(tableCounts(database)).toEqual(before);
  });

  it("given a moderator demoted on the platform, their next command of any kind takes the rights from their sessions and links", async () => {
    const { core } = dashboardOn();
    const cookie = await signIn(core, actor("mod"));
    const pending = await linkToken(core, actor("mod"));
    const demoted = actor("mod", { isModerator: false });

    await handleText(core, demoted, "/help");

    expect(await sessionOf(core, cookie)).toMatchObject({ isModerator: false });
    const opened = await redeemSignIn(core, pending);
    expect(opened.ok && opened.value.session.isModerator).toBe(false);
    // Made a moderator again, the next command gives the rights back.
    await handleText(core, actor("mod"), "/roadmap");
    expect(await sessionOf(core, cookie)).toMatchObject({ isModerator: true });
  });
});

describe("a dashboard page's cohort scope", () => {
  /** Two cohorts in the space ("spring" with ana, "summer" with mod) and one in another space. */
  async function cohorts() {
    const test = dashboardOn();
    const { core } = test;
    await handleText(core, actor("mod"), "/cohort create spring 2026-03-02");
    await handleText(core, actor("ana"), "/cohort join spring");
    await handleText(core, actor("mod"), "/cohort create summer 2026-03-02");
    const elsewhere = actor("owner", { spaceExternalId: "elsewhere", isModerator: true });
    await handleText(core, elsewhere, "/cohort create autumn 2026-03-02");
    const id = async (who: Actor, name: string) => {
      const space = (await core.store.identities.find(who))?.space.id;
      const cohort = space === undefined ? undefined : await core.store.cohorts.findByName(space, name);
      if (!cohort) throw new Error(`no cohort ${name}`);
      return cohort.id;
    };
    return {
      ...test,
      spring: await id(actor("mod"), "spring"),
      summer: await id(actor("mod"), "summer"),
      autumn: await id(elsewhere, "autumn"),
    };
  }

  const show = (core: Core, who: Actor, cohortId: number) =>
    invoke(core, who, scheduleShow, {}, null, { cohortId });

  it("given a cohort of another space, refuses it even to a moderator", async () => {
    const { core, autumn } = await cohorts();
    const reply = await show(core, actor("mod"), autumn);
    expect(reply.tone).toBe("error");
    expect(all(reply)).toMatch(/There is no such cohort here/);
    expect(all(reply)).not.toMatch(/autumn/);
  });

  it("given a cohort that does not exist, refuses it", async () => {
    const { core } = await cohorts();
    expect(all(await show(core, actor("mod"), 9_999))).toMatch(/There is no such cohort here/);
  });

  it("given a learner, shows their own cohort and refuses another cohort of the same space", async () => {
    const { core, spring, summer } = await cohorts();
    expect((await show(core, actor("ana"), spring)).title).toBe("Schedule · spring");
    const refused = await show(core, actor("ana"), summer);
    expect(all(refused)).toMatch(/There is no such cohort here/);
    expect(all(refused)).not.toMatch(/summer/);
  });

  it("given a moderator, shows any cohort of their space, not only the one they are in", async () => {
    const { core, spring, summer } = await cohorts();
    expect((await show(core, actor("mod"), spring)).title).toBe("Schedule · spring");
    expect((await show(core, actor("mod"), summer)).title).toBe("Schedule · summer");
  });

  it("given a moderator demoted on the platform, a cohort they are not in is refused to them", async () => {
    const { core, spring } = await cohorts();
    const reply = await show(core, actor("mod", { isModerator: false }), spring);
    expect(all(reply)).toMatch(/There is no such cohort here/);
  });

  it("given no scope, a command from chat acts on the caller's own cohort", async () => {
    const { core } = await cohorts();
    expect((await handleText(core, actor("ana"), "/schedule show"))?.title).toBe("Schedule · spring");
    expect((await handleText(core, actor("mod"), "/schedule show"))?.title).toBe("Schedule · summer");
  });
});
