import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { stats } from "../../core/commands/stats.js";
import { type Core, invoke } from "../../core/dispatch.js";
import { webAssetsDir } from "../../paths.js";
import { requireCohort } from "./cohort-guard.js";
import type { WebEnv, WebOptions } from "./env.js";
import { notice } from "./render.js";
import { learnerRoutes } from "./routes/learner.js";
import { moderatorRoutes } from "./routes/moderator.js";
import { scheduleRoutes } from "./routes/schedule.js";
import { signInRoutes } from "./routes/signin.js";
import { requireFormToken, requireModerator, requireSession } from "./session.js";

/** A form's fields are short; anything bigger is not one of ours. */
const MAX_FORM_BYTES = 16 * 1024;

function asset(name: string, type: string): { body: string; type: string } {
  return { body: readFileSync(join(webAssetsDir, name), "utf8"), type };
}

/** The dashboard: an adapter of the core like Discord and Slack, rendering the same services as HTML. */
export function createWebApp(core: Core, options: WebOptions): Hono<WebEnv> {
  const secure = new URL(options.publicUrl).protocol === "https:";
  const assets: Record<string, { body: string; type: string }> = {
    "app.css": asset("app.css", "text/css; charset=utf-8"),
    "app.js": asset("app.js", "text/javascript; charset=utf-8"),
  };
  const app = new Hono<WebEnv>();
  // Commands a page runs see the platforms' channel checks, as they do from chat.
  const served: Core = options.channels ? { ...core, channels: options.channels } : core;

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: "DENY",
      referrerPolicy: "same-origin",
      strictTransportSecurity: secure ? "max-age=15552000" : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) =>
        notice(c, 413, { heading: "Too much", text: "That form sent more than a form of ours holds." }),
    }),
  );

  app.get("/assets/:name", (c) => {
    const found = assets[c.req.param("name")];
    if (!found) return c.notFound();
    c.header("content-type", found.type);
    c.header("cache-control", "public, max-age=3600");
    return c.body(found.body);
  });

  signInRoutes(app, core, secure);

  // A trailing "/*" also matches the bare path ("/cohorts/*" takes "/cohorts"): one registration each, so each check runs once.
  const signedIn = requireSession(core, secure);
  for (const path of ["/", "/me/*", "/cohorts/*"]) app.use(path, signedIn, requireFormToken());
  app.use("/cohorts/*", requireModerator());
  app.use("/cohorts/:cohortId/*", requireCohort(core));

  app.get("/", (c) => c.redirect(c.get("viewer").session.isModerator ? "/cohorts" : "/me", 303));

  learnerRoutes(app, core);
  moderatorRoutes(app, core);
  scheduleRoutes(app, served, secure);

  app.get("/cohorts/:cohortId/members.csv", async (c) => {
    const viewer = c.get("viewer");
    // The very file /stats csv attaches in chat.
    const reply = await invoke(core, viewer.actor, stats, { export: "csv" }, null, {
      cohortId: c.get("cohort").id,
    });
    const file = reply.files?.[0];
    if (!file)
      return notice(c, 409, { heading: "No file", text: reply.text ?? "Nothing to download." }, { viewer });
    c.header("content-type", `${file.mimeType}; charset=utf-8`);
    c.header("content-disposition", `attachment; filename="${file.name.replace(/[^\w.-]/g, "-")}"`);
    return c.body(new TextDecoder().decode(file.data));
  });

  app.notFound((c) =>
    notice(c, 404, { heading: "Not found", text: "There is no page at this address.", hint: "Start from /" }),
  );
  app.onError((error, c) => {
    const ref = crypto.randomUUID().slice(0, 8);
    core.logger.error({ err: error, ref, path: c.req.path }, "dashboard page failed");
    return notice(c, 500, {
      heading: "Something went wrong",
      text: `Something went wrong on our side (ref ${ref}).`,
      hint: "Please try again in a moment.",
    });
  });
  return app;
}
