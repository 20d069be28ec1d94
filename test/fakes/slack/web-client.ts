/** A real Web API client pointed at the fake, quiet, and failing at once as the bot's does. */
import { type Logger, LogLevel, WebClient } from "@slack/web-api";

/** Drops what the Slack libraries log; a test reads the fake's record instead. */
export function silentSlackLogger(): Logger {
  let level = LogLevel.ERROR;
  const ignore = () => {};
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: ignore,
  };
}

export function webClientFor(fake: { apiUrl: string }, token = "xoxb-fake-token"): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentSlackLogger(),
  });
}
