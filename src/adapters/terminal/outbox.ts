import type { ChatOutbox } from "../../core/ports/outbox.js";
import type { TerminalConsole } from "./console.js";
import { saveAttachments } from "./files/save.js";
import { printable, renderMessage } from "./render/text.js";

/** Posts and moderator notices print in the local channel; nothing here can fail but the terminal. */
export function terminalOutbox(terminal: TerminalConsole, filesDir: string): ChatOutbox {
  let sent = 0;
  return {
    async send(target, message) {
      const header = printable(`📣 #${target.channelExternalId}`);
      const saved = saveAttachments(message, filesDir);
      terminal.print(`${header}\n${renderMessage(message, { color: terminal.color, saved })}\n`);
      sent++;
      return { ok: true, messageId: `terminal-${sent}` };
    },
    async notify(target, message) {
      terminal.print(
        `🔔 to ${printable(target.userExternalId)}\n${renderMessage(message, { color: terminal.color })}\n`,
      );
      return { ok: true, messageId: null };
    },
  };
}
