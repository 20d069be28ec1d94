/**
 * The smallest Slack app, for the fake's own tests: it checks each request with Bolt's
 * `verifySlackRequest` (so the fake's signatures are judged by Slack's library, not by themselves),
 * answers 200 or 401, then hands the payload on, acknowledging before it works as Slack apps do.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySlackRequest } from "@slack/bolt";

/** One request the app got: whether Bolt's check accepted its signature, and what it said. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  verified: boolean;
  payload: Record<string, unknown>;
}

/** Starts the app on 127.0.0.1; `errors` collects what `react` threw, for the test to check. */
export async function startTinyApp(
  secret: string,
  react: (payload: Record<string, unknown>) => Promise<void>,
): Promise<{ server: Server; url: string; deliveries: Delivery[]; errors: unknown[] }> {
  const deliveries: Delivery[] = [];
  const errors: unknown[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let verified = true;
    try {
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          "x-slack-signature": String(request.headers["x-slack-signature"]),
          "x-slack-request-timestamp": Number(request.headers["x-slack-request-timestamp"]),
        },
      });
    } catch {
      verified = false;
    }
    const form = new URLSearchParams(body);
    const payload = (
      request.headers["content-type"] === "application/json"
        ? JSON.parse(body)
        : form.has("payload")
          ? JSON.parse(form.get("payload") ?? "{}")
          : Object.fromEntries(form)
    ) as Record<string, unknown>;
    deliveries.push({ headers: request.headers, verified, payload });
    if (!verified) return void response.writeHead(401).end();
    if (payload.type === "url_verification") {
      response.writeHead(200, { "content-type": "application/json" });
      return void response.end(JSON.stringify({ challenge: payload.challenge }));
    }
    response.writeHead(200).end();
    await react(payload).catch((error: unknown) => errors.push(error));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { server, url, deliveries, errors };
}
