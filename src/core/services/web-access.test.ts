import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../../test/helpers.js";
import type { WebAccessStore } from "../ports/web-access.js";
import {
  endSession,
  hashToken,
  issueSignInLink,
  LINK_TTL_MS,
  newToken,
  redeemSignIn,
  SESSION_TTL_MS,
  sameToken,
  sessionOf,
} from "./web-access.js";

const BASE = "https://quorum.test";
const start = "2026-03-04T10:00:00Z";
const plus = (ms: number) => new Date(new Date(start).getTime() + ms);

/** A real SQLite store, a fixed clock, and the calls that reached the store's sign-in part. */
function setup() {
  const { core, database, clock } = testCore(start);
  const store = core.store;
  const calls: string[] = [];
  const web = new Proxy(store.web, {
    get(target, name: keyof WebAccessStore) {
      calls.push(name);
      return target[name];
    },
  });
  const rowsOf = (table: "web_links" | "web_sessions") =>
    database.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
  return { deps: { store: { web }, clock }, store, clock, calls, rowsOf };
}

const tokenOf = (url: string) => url.slice(`${BASE}/signin/`.length);

describe("dashboard tokens", () => {
  it("given new tokens, each is 43 URL-safe characters and no two are alike", () => {
    const tokens = Array.from({ length: 200 }, newToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("given a token, its hash is the SHA-256 in hex, the same every time and different from another's", async () => {
    expect(await hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const token = newToken();
    expect(await hashToken(token)).toBe(await hashToken(token));
    expect(await hashToken(token)).not.toBe(await hashToken(newToken()));
  });

  it("given two tokens, sameToken is true only for the same characters", () => {
    const token = newToken();
    expect(sameToken(token, `${token}`)).toBe(true);
    expect(sameToken(token, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBe(false);
    expect(sameToken(token, `${token.endsWith("A") ? "B" : "A"}${token.slice(1)}`)).toBe(false);
    expect(sameToken(token, token.slice(0, -1))).toBe(false);
    expect(sameToken(token, "")).toBe(false);
    expect(sameToken("", "")).toBe(true);
  });
});

describe("signing in with a link", () => {
  it("given a link and the session it opens, the store keeps only their hashes, never a token", async () => {
    const { deps, store, rowsOf } = setup();
    const ana = await store.identities.ensure(actor("ana"), plus(0));
    const link = await issueSignInLink(deps, ana, false, BASE);
    const linkToken = tokenOf(link.url);
    expect(link.url).toMatch(/^https:\/\/quorum\.test\/signin\/[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toEqual(plus(LINK_TTL_MS));

    const opened = await redeemSignIn(deps, linkToken);
    if (!opened.ok) throw new Error(`not redeemed: ${opened.error}`);

    const stored = JSON.stringify([rowsOf("web_links"), rowsOf("web_sessions")]);
    expect(stored).not.toContain(linkToken);
    expect(stored).not.toContain(opened.value.token);
    expect(rowsOf("web_links").map((r) => r.token_hash)).toEqual([await hashToken(linkToken)]);
    expect(rowsOf("web_sessions").map((r) => r.token_hash)).toEqual([await hashToken(opened.value.token)]);
  });

  it("given a link redeemed, it opens a session of that member and space with the link's rights, once", async () => {
    const { deps, store } = setup();
    const mod = await store.identities.ensure(actor("mod"), plus(0));
    const link = await issueSignInLink(deps, mod, true, BASE);

    const opened = await redeemSignIn(deps, tokenOf(link.url));
    if (!opened.ok) throw new Error(`not redeemed: ${opened.error}`);
    expect(opened.value.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.value.session).toMatchObject({
      spaceId: mod.space.id,
      memberId: mod.member.id,
      isModerator: true,
      expiresAt: plus(SESSION_TTL_MS),
    });
    expect(opened.value.session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(opened.value.session.csrfToken).not.toBe(opened.value.token);
    expect(await sessionOf(deps, opened.value.token)).toEqual(opened.value.session);

    expect(await redeemSignIn(deps, tokenOf(link.url))).toEqual({ ok: false, error: "used" });
  });

  it("given a link opened after its minutes ran out, it is refused as expired", async () => {
    const { deps, store, clock } = setup();
    const ana = await store.identities.ensure(actor("ana"), plus(0));
    const link = await issueSignInLink(deps, ana, false, BASE);

    clock.set(plus(LINK_TTL_MS));
    expect(await redeemSignIn(deps, tokenOf(link.url))).toEqual({ ok: false, error: "expired" });
  });

  it("given a session, it lasts its hours and ends on sign-out", async () => {
    const { deps, store, clock } = setup();
    const ana = await store.identities.ensure(actor("ana"), plus(0));
    const first = await redeemSignIn(deps, tokenOf((await issueSignInLink(deps, ana, false, BASE)).url));
    const second = await redeemSignIn(deps, tokenOf((await issueSignInLink(deps, ana, false, BASE)).url));
    if (!first.ok || !second.ok) throw new Error("not redeemed");

    await endSession(deps, first.value.token);
    expect(await sessionOf(deps, first.value.token)).toBeUndefined();
    clock.set(plus(SESSION_TTL_MS - 1));
    expect(await sessionOf(deps, second.value.token)).toMatchObject({ memberId: ana.member.id });
    clock.set(plus(SESSION_TTL_MS));
    expect(await sessionOf(deps, second.value.token)).toBeUndefined();
  });

  it("given a malformed token, it is refused without a call to the store; a well-formed unknown one costs one", async () => {
    const { deps, calls } = setup();
    const malformed = ["", "short", `${newToken()}x`, `${newToken().slice(0, 42)}!`, "../".repeat(15)];
    for (const token of malformed) {
      expect(await redeemSignIn(deps, token), token).toEqual({ ok: false, error: "unknown" });
      expect(await sessionOf(deps, token), token).toBeUndefined();
    }
    expect(await sessionOf(deps, undefined)).toBeUndefined();
    expect(calls).toEqual([]);

    expect(await redeemSignIn(deps, newToken())).toEqual({ ok: false, error: "unknown" });
    expect(calls).toEqual(["redeemLink"]);
  });
});
