import type { AnyCommand } from "../../core/commands/command.js";
import type { Message } from "../../core/messages.js";

/**
 * The core names commands as "/quiz"; on Slack they all live under one slash command, so the
 * replies say "/quorum quiz". Only words that start a command are touched, never paths or URLs.
 */
export function slackCommandNames(commands: readonly AnyCommand[], slashCommand: string) {
  const roots = [...new Set(commands.map((c) => c.name.split(" ")[0] ?? c.name))];
  const pattern = new RegExp(`(^|[\\s(\`"'“])/(${roots.join("|")})(?=$|[\\s\`.,;:!?)"'”])`, "g");
  const rewrite = (text: string) => text.replace(pattern, `$1${slashCommand} $2`);
  return (message: Message): Message => ({
    ...message,
    ...(message.text === undefined ? {} : { text: rewrite(message.text) }),
    ...(message.footer === undefined ? {} : { footer: rewrite(message.footer) }),
    ...(message.fields ? { fields: message.fields.map((f) => ({ ...f, value: rewrite(f.value) })) } : {}),
    ...(message.sections ? { sections: message.sections.map((s) => ({ ...s, text: rewrite(s.text) })) } : {}),
  });
}
