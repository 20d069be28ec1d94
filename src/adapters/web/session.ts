import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Core } from "../../core/dispatch.js";
import type { Actor, Identity } from "../../core/ports/identity.js";
import { type OpenedSession, SESSION_TTL_MS, sameToken, sessionOf } from "../../core/services/web-access.js";
import type { WebEnv } from "./env.js";
import { notice } from "./render.js";

/** The session cookie: `__Host-` pins it to this origin over https (Secure, path /, no Domain). */
export function cookieName(secure: boolean): string {
  return secure ? "__Host-quorum_session" : "quorum_session";
}

export function setSessionCookie(c: Context, opened: OpenedSession, secure: boolean): void {
  setCookie(c, cookieName(secure), opened.token, {
    httpOnly: true,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
    expires: opened.session.expiresAt,
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, cookieName(secure), { path: "/", secure, httpOnly: true, sameSite: "Lax" });
}

/** The actor the core sees for a signed-in browser: the member, with the rights the session holds. */
function actorOf(identity: Identity, isModerator: boolean): Actor {
  const { space, member } = identity;
  return {
    platform: space.platform,
    spaceExternalId: space.externalId,
    spaceName: space.name,
    userExternalId: member.externalId,
    displayName: member.displayName,
    isModerator,
  };
}

/** Every page past this needs a live session; a browser without one is told how to get a link. */
export function requireSession(core: Core, secure: boolean): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const token = getCookie(c, cookieName(secure));
    const session = await sessionOf(core, token);
    const identity = session && (await core.store.identities.byMemberId(session.memberId));
    if (!session || !token || !identity || identity.space.id !== session.spaceId) {
      if (token) clearSessionCookie(c, secure);
      return notice(c, 401, {
        heading: "Sign in from chat",
        text: "This page needs a dashboard session, and this browser has none (or it has ended).",
        hint: "Run /dashboard in your server or workspace: Quorum replies privately with a link that signs you in for 12 hours.",
      });
    }
    c.set("sessionToken", token);
    c.set("viewer", { session, identity, actor: actorOf(identity, session.isModerator) });
    await next();
    // Pages of a session are one person's: no cache on the way may keep them.
    c.header("cache-control", "no-store");
    return undefined;
  };
}

/**
 * Every form post carries the session's form token: another site can make a browser post here with
 * its cookie (SameSite=Lax stops only some of that), but cannot read the token from our pages.
 */
export function requireFormToken(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const body = await c.req.parseBody();
    const sent = body._csrf;
    const viewer = c.get("viewer");
    if (typeof sent !== "string" || !sameToken(sent, viewer.session.csrfToken)) {
      return notice(
        c,
        403,
        {
          heading: "That form had expired",
          text: "Nothing was changed: the form did not carry this session's token.",
          hint: "Go back, reload the page and send it again.",
        },
        { viewer },
      );
    }
    return next();
  };
}

/** Pages of a cohort's running: the platform's moderators only, as they were at the last command. */
export function requireModerator(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const viewer = c.get("viewer");
    if (!viewer.session.isModerator) {
      return notice(
        c,
        403,
        {
          heading: "For moderators",
          text: "These pages are for the moderators of this space.",
          hint: "Your own progress is under My progress. Rights follow the platform's: a new /dashboard link picks up a change.",
        },
        { viewer },
      );
    }
    return next();
  };
}
