import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { handleText } from "../../../core/dispatch.js";
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
    const parsed = parseAction(action.action_id, action.value ?? "");
    const userId = body.user.id;
    const channelId = body.channel?.id;
    if (parsed?.kind === "ask") {
      // A trigger id lasts 3 seconds: the form opens before anything slow.
      await client.views.open({
        trigger_id: body.trigger_id,
        view: modalView({
          line: parsed.line,
          title: "Quorum",
          label: action.text.text,
          multiline: true,
          ...(channelId ? { channelId } : {}),
        }),
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
        if (!parsed) return stale;
        const actor = await deps.people.actor({ teamId, userId, userName: body.user.name, channelId });
        return (await handleText(deps.core, actor, parsed.line, slackEventKey(body.trigger_id))) ?? stale;
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
        const line = `${submitted.line} ${submitted.text}`;
        return (await handleText(deps.core, actor, line, slackEventKey(body.trigger_id))) ?? stale;
      },
      { view: "quorum:ask" },
    );
  });
}
