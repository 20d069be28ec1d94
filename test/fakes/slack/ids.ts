import { randomBytes } from "node:crypto";

let counter = 0;

/** The next number in this process, so ids and message timestamps never repeat. */
function next(): number {
  counter += 1;
  return counter;
}

/**
 * A message timestamp as Slack writes it ("1700000000.000123"): seconds, then six digits that keep
 * messages sent in the same second apart. Slack uses it as the message's id.
 */
export function messageTs(): string {
  const seconds = Math.floor(Date.now() / 1000);
  return `${seconds}.${String(next() % 1_000_000).padStart(6, "0")}`;
}

/** An id shaped like Slack's: one capital letter for the kind (V view, F file), then capitals and digits. */
export function slackId(kind: "V" | "F" | "E" | "H"): string {
  return `${kind}0${next().toString(36).toUpperCase().padStart(4, "0")}${randomBytes(3).toString("hex").toUpperCase()}`;
}

/** A trigger id as Slack hands them out: opaque, dotted, unguessable. */
export function triggerId(): string {
  return `${Date.now()}.${next()}.${randomBytes(10).toString("hex")}`;
}

/** The tail of a response_url; unguessable like Slack's, so tests cannot reuse one by accident. */
export function responseUrlId(): string {
  return `${next()}-${randomBytes(8).toString("hex")}`;
}
