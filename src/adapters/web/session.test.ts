import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../../test/helpers.js";
import type { Core } from "../../core/dispatch.js";
import { issueSignInLink } from "../../core/services/web-access.js";
import { createWebApp } from "./app.js";
import { cookieName } from "./session.js";

/** What @hono/node-server gives a request: the socket the rate limit keys on. */
const fromLoopback = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };

async function signInThrough(core: Core, publicUrl: string): Promise<Response> {
  const identity = await core.store.identities.ensure(actor("mod"), core.clock.now());
  const link = await issueSignInLink(core, identity, true, publicUrl);
  const app = createWebApp(core, { publicUrl });
  return app.request(new URL(link.url).pathname, {}, fromLoopback);
}

/** The Set-Cookie header's attributes, lower-cased by name, for the cookie called `name`. */
function cookieAttributes(response: Response, name: string): Map<string, string> {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  if (!header) throw new Error(`No ${name} cookie in ${response.headers.getSetCookie().join(" | ")}`);
  const [, ...attributes] = header.split(";").map((part) => part.trim());
  return new Map(
    attributes.map((attribute) => {
      const [key = "", value = ""] = attribute.split("=");
      return [key.toLowerCase(), value];
    }),
  );
}

describe("the session cookie a sign-in link sets", () => {
  it("given an https PUBLIC_URL, the cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax on path / for 12 hours", async () => {
    const { core } = testCore();

    const response = await signInThrough(core, "https://quorum.example.org");

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    const attributes = cookieAttributes(response, "__Host-quorum_session");
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
    expect(attributes.get("max-age")).toBe(String(12 * 3_600));
    expect(attributes.has("domain")).toBe(false);
  });

  it("given an http PUBLIC_URL, the cookie is quorum_session and not Secure, so a browser on plain http keeps it", async () => {
    const { core } = testCore();

    const response = await signInThrough(core, "http://127.0.0.1:8080");

    expect(response.status).toBe(303);
    const attributes = cookieAttributes(response, "quorum_session");
    expect(attributes.has("secure")).toBe(false);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
  });

  it("given the https cookie sent back, the app reads it under its __Host- name and lets the page through", async () => {
    const { core } = testCore();
    const publicUrl = "https://quorum.example.org";
    const signedIn = await signInThrough(core, publicUrl);
    const cookie = signedIn.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    expect(cookie.startsWith(`${cookieName(true)}=`)).toBe(true);

    const app = createWebApp(core, { publicUrl });
    const page = await app.request("/me", { headers: { cookie } }, fromLoopback);
    const withoutCookie = await app.request("/me", {}, fromLoopback);

    expect(page.status).toBe(200);
    expect(withoutCookie.status).toBe(401);
  });
});
