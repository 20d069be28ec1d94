import type { App } from "@slack/bolt";
import { type Core, handleText } from "../../../core/dispatch.js";
import { type Message, problem } from "../../../core/messages.js";
import type { Actor } from "../../../core/ports/identity.js";
import { replyOrReport, type SlackDeps, slackEventKey } from "./context.js";

/**
 * The reply to `/quorum <text>`, not yet localized: the text is a command line; no text asks for help.
 * `eventKey` identifies the request (see slackEventKey).
 */
export async function slashCommandReply(
  core: Core,
  actor: Actor,
  text: string,
  slashCommand: string,
  eventKey: string | null = null,
): Promise<Message> {
  const line = text.trim() === "" ? "help" : text;
  return (
    (await handleText(core, actor, line, eventKey)) ??
    problem("Say what to do after the command.", `e.g. ${slashCommand} help`)
  );
}

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
        const key = slackEventKey(command.trigger_id);
        return slashCommandReply(deps.core, actor, command.text, deps.slashCommand, key);
      },
      { command: command.text.split(/\s/)[0] },
    );
  });
}
