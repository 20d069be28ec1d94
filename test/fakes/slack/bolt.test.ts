import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type BlockAction, type ButtonAction, HTTPReceiver } from "@slack/bolt";
import type { Button } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeSlack,
  signRequest,
  silentSlackLogger,
  slackSender,
  startFakeSlack,
  webClientFor,
} from "./index.js";

const secret = "bolt-signing-secret";

let fake: FakeSlack | undefined;
let server: Server | undefined;
const listenerErrors: unknown[] = [];

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await fake?.close();
  fake = server = undefined;
  expect(listenerErrors.splice(0)).toEqual([]);
});

/**
 * A Bolt app in HTTP mode, configured as Quorum's is, on a free port of 127.0.0.1. The fake starts
 * first: Bolt checks its token with auth.test as soon as the app is made.
 */
async function startBoltApp(): Promise<{ fake: FakeSlack; app: App; botUrl: string }> {
  fake = await startFakeSlack();
  const logger = silentSlackLogger();
  const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: "/slack/events", logger });
  const app = new App({
    token: "xoxb-bolt-token",
    receiver,
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.error(async (error) => {
    listenerErrors.push(error);
  });
  const listening = createServer(receiver.requestListener);
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  const { port } = listening.address() as AddressInfo;
  return { fake, app, botUrl: `http://127.0.0.1:${port}/slack/events` };
}

describe("a Bolt app in HTTP mode, against the fake Slack", () => {
  it("checks its token with auth.test on start, and answers a slash command through response_url", async () => {
    const { fake, app, botUrl } = await startBoltApp();
    app.command("/quorum", async ({ ack, command, respond }) => {
      await ack();
      await respond({ response_type: "ephemeral", text: `You asked for ${command.text}` });
    });
    const sender = slackSender({ botUrl, signingSecret: secret, fake });

    const auth = await fake.waitFor((call) => call.method === "auth.test");
    const sent = await sender.slashCommand({
      user: fake.user("ada"),
      channel: fake.channel("general"),
      text: "week 3",
    });
    const [reply] = await sent.responses();

    expect(auth).toMatchObject({ token: "xoxb-bolt-token", answer: { ok: true } });
    expect(sent.status).toBe(200);
    expect(reply?.body).toEqual({ response_type: "ephemeral", text: "You asked for week 3" });
    expect(fake.messagesIn("C0GENERAL")).toEqual([
      expect.objectContaining({ text: "You asked for week 3", ephemeralTo: "U0ADA" }),
    ]);
  });

  it("turns away forged, stale and charset-suffixed requests before any listener runs", async () => {
    const { fake, app, botUrl } = await startBoltApp();
    let commandsSeen = 0;
    app.command("/quorum", async ({ ack }) => {
      commandsSeen += 1;
      await ack();
    });
    const sender = slackSender({ botUrl, signingSecret: secret, fake });
    const command = { user: "U0ADA", channel: "C0GENERAL", text: "help" };

    const forged = await sender.slashCommand(command, { secret: "guessed" });
    const stale = await sender.slashCommand(command, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const genuine = await sender.slashCommand(command);
    const body = "command=%2Fquorum&text=help&user_id=U0ADA&channel_id=C0GENERAL&team_id=T0QUORUM";
    const withCharset = await fetch(botUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        ...signRequest(body, secret),
      },
      body,
    });

    expect([forged.status, stale.status, genuine.status, withCharset.status]).toEqual([401, 401, 200, 400]);
    expect(commandsSeen).toBe(1);
  });

  it("opens a modal from a button press with the trigger_id, and publishes the Home tab when it is opened", async () => {
    const { fake, app, botUrl } = await startBoltApp();
    app.action<BlockAction<ButtonAction>>("quorum:ask", async ({ ack, body, action, client }) => {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: "modal",
          callback_id: "quorum:ask",
          private_metadata: action.value ?? "",
          title: { type: "plain_text", text: action.text.text },
          blocks: [{ type: "section", text: { type: "mrkdwn", text: "Type your answer" } }],
        },
      });
    });
    app.event("app_home_opened", async ({ event, client }) => {
      const blocks = [{ type: "section", text: { type: "mrkdwn", text: `Welcome <@${event.user}>` } }];
      await client.views.publish({ user_id: event.user, view: { type: "home", blocks } });
    });
    const sender = slackSender({ botUrl, signingSecret: secret, fake });
    const button: Button = {
      type: "button",
      action_id: "quorum:ask",
      value: "submit 3",
      text: { type: "plain_text", text: "Answer" },
    };
    await webClientFor(fake).chat.postMessage({
      channel: "C0STUDY",
      text: "Challenge 3",
      blocks: [{ type: "actions", elements: [button] }],
    });
    const [message] = fake.messagesIn("C0STUDY");
    if (!message) throw new Error("the button message was stored");

    const pressed = await sender.blockAction({ user: "U0ADA", actionId: "quorum:ask", message });
    const opened = await pressed.openedView();
    const home = await sender.appHomeOpened("U0GRACE");
    const published = await fake.until(() => fake.homeView("U0GRACE"), "Grace's Home tab");

    expect(opened.view).toMatchObject({
      callback_id: "quorum:ask",
      private_metadata: "submit 3",
      title: { text: "Answer" },
    });
    expect(home.status).toBe(200);
    expect(published).toMatchObject({ type: "home", blocks: [{ text: { text: "Welcome <@U0GRACE>" } }] });
  });
});
