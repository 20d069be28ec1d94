import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { learnerHome } from "../../../core/services/home.js";
import { homeView } from "../render/home.js";
import type { SlackDeps } from "./context.js";

/** The App Home tab: the learner's cohort week, track, streak, points and rank, fresh on each visit. */
export async function publishHome(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  userId: string,
): Promise<void> {
  const actor = await deps.people.actor({ teamId, userId });
  const message = deps.localize(await learnerHome({ ...deps.core, actor }));
  await client.views.publish({ user_id: userId, view: homeView(message) });
}

export function onHomeOpened(app: App, deps: SlackDeps): void {
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    try {
      await publishHome(deps, client, body.team_id, event.user);
    } catch (error) {
      deps.core.logger.error({ err: error, user: event.user }, "slack home not published");
    }
  });
}
