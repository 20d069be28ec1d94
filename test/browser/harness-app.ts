/**
 * A tiny Hono app shaped like the dashboard will be (server-rendered pages, forms that post and redirect,
 * no inline JavaScript, a strict CSP), for harness.test.ts to prove the browser harness on.
 */
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";

export const contentSecurityPolicy = "default-src 'self'; script-src 'self'; frame-ancestors 'none'";
export const sessionCookie = "quorum_session";
export const standingsCsv = "learner,points\nAda,42\nGrace,37\n";
/** A host the pages must never reach (`.invalid` never resolves anywhere). */
export const elsewhere = "http://elsewhere.invalid";

/** Escaped markup, as hono's `html` template returns it. */
type Markup = ReturnType<typeof html>;

function page(title: string, body: Markup): Markup {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`;
}

export function harnessApp(): Hono {
  const app = new Hono();

  app.use(async (c, next) => {
    await next();
    // The page about leaks stands for a page whose CSP was forgotten, so only the route guard can stop it.
    if (c.req.path !== "/no-csp/leaky") c.header("Content-Security-Policy", contentSecurityPolicy);
  });

  app.get("/", (c) =>
    c.html(
      page(
        "Join the study group",
        html`<form method="post" action="/join">
  <label for="name">Your name</label>
  <input id="name" name="name" autocomplete="name" required />
  <button type="submit">Join</button>
</form>
<p><a href="/standings.csv">Download the standings</a></p>`,
      ),
    ),
  );

  app.post("/join", async (c) => {
    const { name: field } = await c.req.parseBody();
    const name = typeof field === "string" ? field : "";
    setCookie(c, sessionCookie, encodeURIComponent(name), {
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/",
      maxAge: 3600,
    });
    // 303: the browser follows with a GET, so a reload does not post the form again.
    return c.redirect("/welcome", 303);
  });

  app.get("/welcome", (c) => {
    const session = getCookie(c, sessionCookie);
    if (session === undefined) return c.redirect("/", 303);
    return c.html(
      page("Welcome", html`<p>Signed in as <strong>${decodeURIComponent(session)}</strong>.</p>`),
    );
  });

  app.get("/standings.csv", (c) =>
    c.body(standingsCsv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="standings.csv"',
    }),
  );

  // An inline script the CSP must block, and a same-origin one it must allow.
  app.get("/scripts", (c) =>
    c.html(
      page(
        "Scripts",
        html`<p>Only the script served from this origin runs.</p>
<script>document.title = "inline script ran";</script>
<script src="/marker.js"></script>`,
      ),
    ),
  );
  app.get("/marker.js", (c) =>
    c.body('document.documentElement.dataset.sameOriginScript = "ran";', 200, {
      "Content-Type": "text/javascript; charset=utf-8",
    }),
  );

  // Two serious violations: an image without alternative text and a field without a label.
  app.get("/inaccessible", (c) =>
    c.html(
      page(
        "Inaccessible",
        html`<img src="/standings.png" />
<form method="get" action="/"><input name="q" /><button type="submit">Search</button></form>`,
      ),
    ),
  );

  app.get("/no-csp/leaky", (c) =>
    c.html(
      page("Leaky", html`<img src="${elsewhere}/pixel.png" alt="" /><p>Loads an image from elsewhere.</p>`),
    ),
  );

  return app;
}
