import type { Hono } from "hono";
import type { Core } from "../../../core/dispatch.js";
import { myChallenges } from "../../../core/services/my-challenges.js";
import { myProgress } from "../../../core/services/my-progress.js";
import type { WebEnv } from "../env.js";
import { MyProgressPage } from "../pages/me.js";
import { MyChallengesPage } from "../pages/my-challenges.js";
import { page } from "../render.js";

/** A learner's own pages: only ever the signed-in member's progress and queries. */
export function learnerRoutes(app: Hono<WebEnv>, core: Core): void {
  app.get("/me", async (c) => {
    const viewer = c.get("viewer");
    const view = await myProgress(core, viewer.identity);
    return page(c, { title: "My progress", viewer, current: "me" }, <MyProgressPage view={view} />);
  });
  app.get("/me/challenges", async (c) => {
    const viewer = c.get("viewer");
    const view = await myChallenges(core, viewer.identity);
    return page(
      c,
      { title: "My challenges", viewer, current: "challenges" },
      <MyChallengesPage view={view} />,
    );
  });
}
