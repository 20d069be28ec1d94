/**
 * The HTTP front for Bolt's receiver: everything a stranger can send is settled here, before Bolt
 * sees a request. Only a POST to the events path, with a fresh timestamp, a body under the limit and
 * a signature that matches, reaches Bolt, and only once.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import type { HTTPReceiver } from "@slack/bolt";
import type { Logger } from "../../core/ports/logger.js";
import { answer, guardedServer, listenOn, pathOf } from "../../runtime/http-guard.js";
import { BodyBudget, readBody } from "./request-body.js";

/** Slack's own advice: a request more than five minutes from now, either way, may be a replay. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

export const EVENTS_PATH = "/slack/events";

export interface ReceiverLimits {
  /** Slack's payloads are a few kilobytes; a message's blocks echoed back stay far below this. */
  bodyBytes: number;
  /** Bytes held at once for all requests whose signature is not checked yet. */
  unverifiedBytes: number;
}

export const receiverLimits: ReceiverLimits = { bodyBytes: 512 * 1024, unverifiedBytes: 16 * 1024 * 1024 };

/** Whether the request's timestamp is within the window of `nowMs`; missing or malformed is not. */
export function timestampFresh(request: Pick<IncomingMessage, "headers">, nowMs: number): boolean {
  const seconds = requestSeconds(request);
  return seconds !== undefined && Math.abs(nowMs / 1000 - seconds) <= TIMESTAMP_WINDOW_SECONDS;
}

function requestSeconds(request: Pick<IncomingMessage, "headers">): number | undefined {
  const header = request.headers["x-slack-request-timestamp"];
  if (typeof header !== "string" || !/^\d{1,12}$/.test(header)) return undefined;
  return Number(header);
}

/** The one `v0=<64 lowercase hex>` signature header, or undefined for any other shape or a repeat. */
function signatureOf(request: Pick<IncomingMessage, "headers">): string | undefined {
  const header = request.headers["x-slack-signature"];
  return typeof header === "string" && /^v0=[0-9a-f]{64}$/.test(header) ? header : undefined;
}

/** Slack's v0 signature over `v0:<timestamp>:<body>`, compared in constant time. */
function signatureMatches(secret: string, seconds: number, body: Buffer, signature: string): boolean {
  const digest = createHmac("sha256", secret).update(`v0:${seconds}:`).update(body).digest("hex");
  return timingSafeEqual(Buffer.from(`v0=${digest}`), Buffer.from(signature));
}

/**
 * Whether Bolt can take the body: it parses it the same way (a form, whose `payload` is JSON, or
 * JSON) and assumes an object; `null` or a list would make it throw where no one catches.
 */
export function bodyUsable(body: Buffer, contentType: string | undefined): boolean {
  const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
  try {
    const text = body.toString();
    if (contentType === "application/x-www-form-urlencoded") {
      const { payload } = parseQuery(text);
      return typeof payload !== "string" || isObject(JSON.parse(payload));
    }
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Only a number marks a redelivery; anything else in the header is dropped, so the request runs. */
function normaliseRetry(req: IncomingMessage): boolean {
  const header = req.headers["x-slack-retry-num"];
  if (typeof header === "string" && /^\d{1,4}$/.test(header)) return true;
  delete req.headers["x-slack-retry-num"];
  delete req.headers["x-slack-retry-reason"];
  return false;
}

export interface FrontOptions {
  receiver: Pick<HTTPReceiver, "requestListener">;
  signingSecret: string;
  logger: Logger;
  limits?: ReceiverLimits;
  now?: () => number;
  /** Shared with a test that watches how much is held. */
  budget?: BodyBudget;
  /**
   * Whether a request's signature is offered for the first time by any process (the core's request
   * store), remembered until `forgetAfterMs`, when the timestamp check turns a replay away by itself.
   */
  firstTime(signature: string, forgetAfterMs: number): Promise<boolean>;
}

/** The request handler in front of Bolt. */
export function slackFront(
  options: FrontOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limits = options.limits ?? receiverLimits;
  const now = options.now ?? Date.now;
  const budget = options.budget ?? new BodyBudget(limits.unverifiedBytes);
  const refuse = (res: ServerResponse, status: number, text: string) =>
    answer(res, status, text, { connection: "close" });

  return async (req, res) => {
    if (pathOf(req) !== EVENTS_PATH) {
      answer(res, 404, `not found; Slack's requests go to POST ${EVENTS_PATH}`);
      return;
    }
    if (req.method !== "POST") {
      answer(res, 405, `${req.method ?? "this method"} is not allowed; Slack sends POST`, { allow: "POST" });
      return;
    }
    const seconds = requestSeconds(req);
    if (seconds === undefined || !timestampFresh(req, now())) {
      refuse(res, 401, "stale, future-dated or missing request timestamp");
      return;
    }
    const signature = signatureOf(req);
    if (!signature) {
      refuse(res, 401, "missing or malformed signature");
      return;
    }
    const read = await readBody(req, limits.bodyBytes, budget);
    if (!read.ok) {
      refuse(res, read.status, read.reason);
      return;
    }
    if (!signatureMatches(options.signingSecret, seconds, read.body, signature)) {
      refuse(res, 401, "signature does not match");
      return;
    }
    if (!bodyUsable(read.body, req.headers["content-type"])) {
      answer(res, 400, "the body is not a Slack payload");
      return;
    }
    const retry = normaliseRetry(req);
    // A replay reaching this or another process behind the same load balancer runs nothing.
    const forgetAfterMs = seconds * 1000 + TIMESTAMP_WINDOW_SECONDS * 1000;
    let first: boolean;
    try {
      first = await options.firstTime(signature, forgetAfterMs);
    } catch (error) {
      options.logger.error({ err: error }, "slack request not checked for replay");
      answer(res, 503, "cannot take requests right now; try again");
      return;
    }
    if (!first && !retry) {
      options.logger.info({}, "slack replay skipped");
      res.writeHead(200).end();
      return;
    }
    // Bolt reads a body it finds already read from here, then checks the signature itself too.
    Object.assign(req, { rawBody: read.body });
    options.receiver.requestListener(req, res);
  };
}

/** Listens for Slack on the port with the listener limits; every request goes through the front. */
export async function listen(options: FrontOptions & { port: number; host?: string }): Promise<Server> {
  const server = guardedServer(slackFront(options), { logger: options.logger, listener: "slack" });
  await listenOn(server, options.port, options.host);
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
