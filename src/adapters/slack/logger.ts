import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../core/ports/logger.js";
import { clip, describeText } from "../../runtime/logger-text.js";

/**
 * Lines where Bolt and the Web API client print what was sent or received (at debug level, and every
 * event in developer mode): requests carry learners' queries and replies quote them back.
 */
const bodyLine = /^(http request body:|http request result:)/;

/** A Bolt line as it is logged: bodies as their length and hash, anything else cut if long. */
function slackLogLine(parts: readonly unknown[]): string {
  const line = parts.map((p) => (typeof p === "string" ? p : String(p))).join(" ");
  if (line.startsWith("{")) return `event body: ${describeText(line)}`;
  const label = bodyLine.exec(line)?.[0];
  return label ? `${label} ${describeText(line.slice(label.length).trim())}` : clip(line);
}

/** Bolt's and the Web API client's log lines, into the bot's own structured log. */
export function slackLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug({ source: "slack" }, slackLogLine(parts)),
    info: (...parts: unknown[]) => logger.info({ source: "slack" }, slackLogLine(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source: "slack" }, slackLogLine(parts)),
    error: (...parts: unknown[]) => logger.error({ source: "slack" }, slackLogLine(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
