import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { actionForm, handleAction } from "../../../core/dispatch.js";
import { problem } from "../../../core/messages.js";
import type { ReplyTarget } from "../deliver.js";
import { parseAction } from "../render/blocks.js";
import { modalView, readSubmission } from "../render/modal.js";
import { replyOrReport, type SlackDeps, slackEventKey } from "./context.js";
import { publishHome } from "./home.js";

const stale = problem("That button no longer does anything.", "Run the command again.");

/** Buttons (quiz choices, the challenge's Submit, App Home shortcuts) and the forms they open. */
export function onActions(app: App, deps: SlackDeps): void {
  // A link button opens its page in the browser; Slack still wants the press acknowledged.
  app.action(/^link:/, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(/^quorum:/, async ({ ack, body, action, respond, client }) => {
    await ack();
    const parsed = parseAction(action.action_id, action.value ?? "", deps.core.commands);
    const userId = body.user.id;
    const channelId = body.channel?.id;
    // The form's words come from the core, for the action the button carries.
    const words = parsed?.mode === "ask" ? actionForm(deps.core, parsed.action) : undefined;
    if (parsed && words) {
      // A trigger id lasts 3 seconds: the form opens before anything slow.
      await client.views.open({
        trigger_id: body.trigger_id,
        view: modalView({ action: parsed.action, ...words, ...(channelId ? { channelId } : {}) }),
      });
      return;
    }
    const target: ReplyTarget =
      body.response_url && channelId
        ? { kind: "respond", respond, userId, channelId }
        : channelId
          ? { kind: "ephemeral", channelId, userId }
          : { kind: "direct", userId };
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    await replyOrReport(
      deps,
      client,
      target,
      async () => {
        if (parsed?.mode !== "run") return stale;
        const actor = await deps.people.actor({ teamId, userId, userName: body.user.name, channelId });
        return (await handleAction(deps.core, actor, parsed.action, slackEventKey(body.trigger_id))) ?? stale;
      },
      { action: action.action_id },
    );
    // A press on the Home tab refreshes it, so points and streak show the answer just given.
    if (body.view?.type === "home") await publishHome(deps, client, teamId, userId);
  });

  // A callback id alone matches submissions only (Bolt), so the body is a view_submission.
  app.view<ViewSubmitAction>("quorum:ask", async ({ ack, view, body, client }) => {
    const submitted = readSubmission(view);
    await ack();
    const userId = body.user.id;
    const channelId = submitted?.channelId;
    const target: ReplyTarget = channelId
      ? { kind: "ephemeral", channelId, userId }
      : { kind: "direct", userId };
    await replyOrReport(
      deps,
      client,
      target,
      async () => {
        if (!submitted) return stale;
        const actor = await deps.people.actor({
          teamId: body.team?.id ?? body.user.team_id ?? "",
          userId,
          userName: body.user.name,
          channelId,
        });
        const eventKey = slackEventKey(body.trigger_id);
        return (await handleAction(deps.core, actor, submitted.action, eventKey, submitted.text)) ?? stale;
      },
      { view: "quorum:ask" },
    );
  });
}
