import type { App } from "@slack/bolt";
import { handleText } from "../../../core/dispatch.js";
import { problem } from "../../../core/messages.js";
import { replyOrReport, type SlackDeps } from "./context.js";

/** `/quorum <command> …`: the whole vocabulary as text, parsed by the core like a terminal line. */
export function onSlashCommand(app: App, deps: SlackDeps): void {
  app.command(deps.slashCommand, async ({ command, ack, respond, client }) => {
    // Slack allows 3 seconds; the reply follows through response_url.
    await ack();
    await replyOrReport(
      deps,
      client,
      { kind: "respond", respond, userId: command.user_id, channelId: command.channel_id },
      async () => {
        const actor = await deps.people.actor({
          teamId: command.team_id,
          teamName: command.team_domain,
          userId: command.user_id,
          userName: command.user_name,
          channelId: command.channel_id,
        });
        const line = command.text.trim() === "" ? "help" : command.text;
        return (
          (await handleText(deps.core, actor, line)) ??
          problem("Say what to do after the command.", `e.g. ${deps.slashCommand} help`)
        );
      },
      { command: command.text.split(/\s/)[0] },
    );
  });
}
