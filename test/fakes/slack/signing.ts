/** How Slack signs what it sends an app, so the bot can tell it from a forgery. */
import { createHmac } from "node:crypto";

export interface SignatureHeaders {
  "X-Slack-Request-Timestamp": string;
  "X-Slack-Signature": string;
}

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Slack's v0 signature: HMAC-SHA256 with the app's signing secret over `v0:<timestamp>:<body>`,
 * hex-encoded behind `v0=`. `timestamp` is in seconds; pass an old or future one to test rejection.
 */
export function signRequest(
  body: string,
  secret: string,
  timestamp: number = nowInSeconds(),
): SignatureHeaders {
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "X-Slack-Request-Timestamp": String(timestamp), "X-Slack-Signature": `v0=${digest}` };
}
