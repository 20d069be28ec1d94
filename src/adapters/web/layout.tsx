import type { Child } from "hono/jsx";
import type { Viewer } from "./env.js";

export interface LayoutProps {
  title: string;
  /** Signed-in pages show the navigation and the sign-out button. */
  viewer?: Viewer | undefined;
  /** The navigation entry to mark as the current page. */
  current?: "cohorts" | "me" | "challenges";
  /** A notice after a form was saved (post, redirect, show). */
  notice?: string | undefined;
  children?: Child;
}

/** Every page's frame: skip link, header and navigation, one main landmark, nothing that needs JavaScript. */
export function Layout({ title, viewer, current, notice, children }: LayoutProps) {
  const here = (page: LayoutProps["current"]) => (page === current ? "page" : undefined);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${title} · Quorum`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">Quorum</span>
          {viewer && (
            <>
              <nav aria-label="Dashboard">
                <ul>
                  {viewer.session.isModerator && (
                    <li>
                      <a href="/cohorts" aria-current={here("cohorts")}>
                        Cohorts
                      </a>
                    </li>
                  )}
                  <li>
                    <a href="/me" aria-current={here("me")}>
                      My progress
                    </a>
                  </li>
                  <li>
                    <a href="/me/challenges" aria-current={here("challenges")}>
                      My challenges
                    </a>
                  </li>
                </ul>
              </nav>
              <form method="post" action="/signout" class="signout">
                <input type="hidden" name="_csrf" value={viewer.session.csrfToken} />
                <span class="muted">
                  {viewer.identity.member.displayName} · {viewer.identity.space.name}
                </span>{" "}
                <button type="submit">Sign out</button>
              </form>
            </>
          )}
        </header>
        <main id="main">
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
          {children}
        </main>
      </body>
    </html>
  );
}
