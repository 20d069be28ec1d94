import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";

/** Bolt's and the Web API client's log lines, into the bot's own structured log. */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => parts.map((p) => (typeof p === "string" ? p : String(p))).join(" ");
  return {
    debug: (...parts: unknown[]) => logger.debug({ source: "slack" }, line(parts)),
    info: (...parts: unknown[]) => logger.info({ source: "slack" }, line(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source: "slack" }, line(parts)),
    error: (...parts: unknown[]) => logger.error({ source: "slack" }, line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
