import type { ChatOutbox } from "../../core/ports.js";
import type { TerminalConsole } from "./console.js";
import { renderMessage } from "./render/text.js";

/** Posts and moderator notices print in the local channel; nothing here can fail but the terminal. */
export function terminalOutbox(terminal: TerminalConsole): ChatOutbox {
  let sent = 0;
  return {
    async send(target, message) {
      const header = `📣 #${target.channelExternalId}`;
      terminal.print(`${header}\n${renderMessage(message, { color: terminal.color })}\n`);
      sent++;
      return { ok: true, messageId: `terminal-${sent}` };
    },
    async notify(target, message) {
      terminal.print(
        `🔔 to ${target.userExternalId}\n${renderMessage(message, { color: terminal.color })}\n`,
      );
      return { ok: true, messageId: null };
    },
  };
}
