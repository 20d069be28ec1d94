import { getConnInfo } from "@hono/node-server/conninfo";
import type { Hono } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import type { Core } from "../../../core/dispatch.js";
import { endSession, redeemSignIn } from "../../../core/services/web-access.js";
import type { WebEnv } from "../env.js";
import { notice } from "../render.js";
import { clearSessionCookie, requireFormToken, requireSession, setSessionCookie } from "../session.js";

/** Link previewers fetch what is posted in chat; they must not use up a one-time link. */
const PREVIEWERS =
  /slackbot|discordbot|twitterbot|facebookexternalhit|linkedinbot|whatsapp|telegrambot|skypeuripreview|embedly|googlebot|bingbot/i;

/** Sign-in links one address may open per minute before it is told to wait. */
const SIGN_INS_PER_MINUTE = 10;

const refusals = {
  unknown: {
    status: 404,
    heading: "Not a sign-in link",
    text: "This link does not sign anyone in: it may be mistyped or cut short.",
  },
  used: {
    status: 410,
    heading: "This link was already used",
    text: "A sign-in link works once, and this one has signed a browser in already.",
  },
  expired: {
    status: 410,
    heading: "This link has expired",
    text: "A sign-in link works for 15 minutes after /dashboard gave it.",
  },
} as const;

/** Opening a link from /dashboard: a session cookie, then a clean address; sign-out ends it. */
export function signInRoutes(app: Hono<WebEnv>, core: Core, secure: boolean): void {
  app.use(
    "/signin/*",
    rateLimiter<WebEnv>({
      windowMs: 60_000,
      limit: SIGN_INS_PER_MINUTE,
      standardHeaders: "draft-7",
      keyGenerator: (c) => getConnInfo(c).remote.address ?? "unknown",
      handler: (c) =>
        notice(c, 429, {
          heading: "Too many sign-in attempts",
          text: "This address has tried too many sign-in links in the last minute.",
          hint: "Wait a minute, then open your newest link from /dashboard.",
        }),
    }),
  );

  app.get("/signin/:token", async (c) => {
    if (PREVIEWERS.test(c.req.header("user-agent") ?? "")) {
      return notice(c, 200, {
        heading: "Quorum dashboard",
        text: "Open this link in your browser to sign in.",
      });
    }
    const redeemed = await redeemSignIn(core, c.req.param("token"));
    if (!redeemed.ok) {
      const refusal = refusals[redeemed.error];
      return notice(c, refusal.status, {
        heading: refusal.heading,
        text: refusal.text,
        hint: "Run /dashboard in chat for a new link.",
      });
    }
    setSessionCookie(c, redeemed.value, secure);
    c.header("cache-control", "no-store");
    return c.redirect("/", 303);
  });

  app.post("/signout", requireSession(core, secure), requireFormToken(), async (c) => {
    await endSession(core, c.get("sessionToken"));
    clearSessionCookie(c, secure);
    return c.redirect("/signed-out", 303);
  });

  app.get("/signed-out", (c) =>
    notice(c, 200, {
      heading: "Signed out",
      text: "This browser is signed out of the dashboard.",
      hint: "Sign in again with /dashboard in chat; /dashboard signout there ends every browser's session.",
    }),
  );
}
