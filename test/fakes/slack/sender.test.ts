import type { Server } from "node:http";
import type { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeSlack,
  formValues,
  type SlackSender,
  signRequest,
  slackSender,
  startFakeSlack,
  webClientFor,
} from "./index.js";
import { startTinyApp } from "./tiny-app.js";

const secret = "test-signing-secret";

let fake: FakeSlack | undefined;
let receiver: { server: Server; errors: unknown[] } | undefined;

afterEach(async () => {
  receiver?.server.closeAllConnections();
  await new Promise((resolve) => receiver?.server.close(resolve) ?? resolve(undefined));
  await fake?.close();
  expect(receiver?.errors ?? []).toEqual([]);
  fake = receiver = undefined;
});

/** A fake Slack, a tiny app receiving its signed requests, a Web API client for the app to answer with. */
async function connect(
  react: (payload: Record<string, unknown>, client: WebClient) => Promise<void> = async () => {},
) {
  fake = await startFakeSlack();
  const client = webClientFor(fake);
  const started = await startTinyApp(secret, (payload) => react(payload, client));
  receiver = started;
  const sender: SlackSender = slackSender({ botUrl: started.url, signingSecret: secret, fake });
  return { fake, client, sender, deliveries: started.deliveries };
}

const modal = {
  type: "modal" as const,
  callback_id: "quorum:ask",
  title: { type: "plain_text" as const, text: "Quorum" },
  submit: { type: "plain_text" as const, text: "Send" },
  private_metadata: "submit 3",
  blocks: [
    {
      type: "input" as const,
      block_id: "answer",
      label: { type: "plain_text" as const, text: "Your query" },
      element: { type: "plain_text_input" as const, action_id: "text", multiline: true },
    },
  ],
};

/** The app posts a message with an "Answer" button into #study; returns it as the fake stored it. */
async function postButton(fake: FakeSlack, client: WebClient) {
  const button = {
    type: "button" as const,
    action_id: "quorum:ask",
    value: "submit 3",
    text: { type: "plain_text" as const, text: "Answer" },
  };
  await client.chat.postMessage({
    channel: "C0STUDY",
    text: "Challenge 3",
    blocks: [{ type: "actions", block_id: "ask-block", elements: [button] }],
  });
  const [message] = fake.messagesIn("C0STUDY");
  if (!message) throw new Error("the button message was stored");
  return message;
}

describe("signed requests from the fake Slack, received by a tiny app", () => {
  it("signs as Slack does: Bolt's check accepts it and refuses a forged secret or a stale timestamp", async () => {
    const { fake, sender, deliveries } = await connect();
    const command = { user: fake.user("ada"), channel: fake.channel("general"), text: "week" };
    const headers = signRequest("a=1", secret, 1_700_000_000);

    const genuine = await sender.slashCommand(command);
    const forged = await sender.slashCommand(command, { secret: "not-the-secret" });
    const stale = await sender.slashCommand(command, { timestamp: Math.floor(Date.now() / 1000) - 600 });

    expect(headers["X-Slack-Request-Timestamp"]).toBe("1700000000");
    expect(headers["X-Slack-Signature"]).toMatch(/^v0=[0-9a-f]{64}$/);
    expect([genuine.status, forged.status, stale.status]).toEqual([200, 401, 401]);
    expect(deliveries.map((delivery) => delivery.verified)).toEqual([true, false, false]);
  });

  it("sends a slash command form-encoded, and ties the app's response_url posts to it", async () => {
    const { fake, sender, deliveries } = await connect(async (payload) => {
      const reply = { response_type: "in_channel", text: `Week ${payload.text}`, blocks: [] };
      await fetch(String(payload.response_url), { method: "POST", body: JSON.stringify(reply) });
    });

    const sent = await sender.slashCommand({
      user: fake.user("ada"),
      channel: fake.channel("general"),
      text: "3",
    });
    const [reply] = await sent.responses();

    expect(deliveries[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(deliveries[0]?.payload).toMatchObject({
      command: "/quorum",
      text: "3",
      user_id: "U0ADA",
      user_name: "ada",
      channel_id: "C0GENERAL",
      team_id: "T0QUORUM",
      trigger_id: sent.triggerId,
      response_url: sent.responseUrl,
    });
    expect(reply).toMatchObject({ status: 200, body: { response_type: "in_channel", text: "Week 3" } });
    expect(fake.responses(sent.responseUrlId ?? "")).toHaveLength(1);
    expect(fake.messagesIn("C0GENERAL")).toEqual([
      expect.objectContaining({ text: "Week 3", via: "response_url", ephemeralTo: null }),
    ]);
  });

  it("presses a button on a stored message, and its trigger_id opens one modal only", async () => {
    const { fake, client, sender, deliveries } = await connect(async (payload) => {
      await client.views.open({ trigger_id: String(payload.trigger_id), view: modal });
      await client.views.open({ trigger_id: String(payload.trigger_id), view: modal }).catch(() => {});
    });
    const message = await postButton(fake, client);

    const sent = await sender.blockAction({ user: "U0ADA", message, actionId: "quorum:ask" });
    const opened = await sent.openedView();
    const reuse = await fake.waitFor((call) => call.method === "views.open" && !call.answer.ok);

    expect(deliveries[0]?.payload).toMatchObject({
      type: "block_actions",
      user: { id: "U0ADA", username: "ada" },
      channel: { id: "C0STUDY", name: "study" },
      container: { type: "message", message_ts: message.ts, channel_id: "C0STUDY" },
      message: { ts: message.ts, text: "Challenge 3" },
      response_url: sent.responseUrl,
      actions: [
        {
          action_id: "quorum:ask",
          block_id: "ask-block",
          value: "submit 3",
          type: "button",
          text: { text: "Answer" },
        },
      ],
    });
    expect(opened).toMatchObject({
      userId: "U0ADA",
      triggerId: sent.triggerId,
      view: { callback_id: "quorum:ask" },
    });
    expect(reuse.answer.error).toBe("exchanged_trigger_id");
  });

  it("refuses views.open with an expired or unknown trigger_id", async () => {
    const { fake, client, sender } = await connect();
    const sent = await sender.slashCommand({ user: "U0GRACE", channel: "C0STUDY", text: "ask" });
    fake.expireTrigger(sent.triggerId);

    await expect(client.views.open({ trigger_id: sent.triggerId, view: modal })).rejects.toMatchObject({
      data: { error: "expired_trigger_id" },
    });
    await expect(client.views.open({ trigger_id: "12.34.made-up", view: modal })).rejects.toMatchObject({
      data: { error: "expired_trigger_id" },
    });
  });

  it("will not press a button that is not on the message, and names the ones that are", async () => {
    const { fake, client, sender } = await connect();
    const message = await postButton(fake, client);

    await expect(sender.blockAction({ user: "U0ADA", message, actionId: "quorum:gone" })).rejects.toThrow(
      "no button quorum:gone to press; the buttons there are: quorum:ask.",
    );
  });

  it("submits a form the app opened, with what the person typed", async () => {
    const { fake, client, sender, deliveries } = await connect(async (payload) => {
      if (payload.type === "block_actions")
        await client.views.open({ trigger_id: String(payload.trigger_id), view: modal });
    });
    const pressed = await sender.blockAction({
      user: "U0ADA",
      message: await postButton(fake, client),
      actionId: "quorum:ask",
    });
    const opened = await pressed.openedView();

    const sent = await sender.viewSubmission({
      user: "U0ADA",
      view: {
        id: opened.id,
        callback_id: "quorum:ask",
        state: formValues(opened.view, { text: "SELECT 1;" }),
      },
    });

    expect(sent.status).toBe(200);
    expect(deliveries[1]?.payload).toMatchObject({
      type: "view_submission",
      user: { id: "U0ADA" },
      view: {
        id: opened.id,
        callback_id: "quorum:ask",
        private_metadata: "submit 3",
        state: { values: { answer: { text: { type: "plain_text_input", value: "SELECT 1;" } } } },
      },
    });
    expect(() => formValues(opened.view, { missing: "x" })).toThrow("its inputs are: text.");
  });

  it("lets a response_url replace the pressed message, five times at most", async () => {
    const { fake, client, sender } = await connect();
    const sent = await sender.blockAction({
      user: "U0ADA",
      message: await postButton(fake, client),
      actionId: "quorum:ask",
    });
    const post = (body: object) =>
      fetch(sent.responseUrl ?? "", { method: "POST", body: JSON.stringify(body) });

    const statuses = [(await post({ replace_original: true, text: "Answered" })).status];
    for (let extra = 0; extra < 5; extra += 1) statuses.push((await post({ text: `note ${extra}` })).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.messagesIn("C0STUDY")[0]).toMatchObject({ text: "Answered", blocks: [], edited: true });
    expect(
      fake
        .messagesIn("C0STUDY")
        .slice(1)
        .map((message) => message.ephemeralTo),
    ).toEqual(Array(4).fill("U0ADA"));
  });

  it("presses a button on the Home tab without a channel or response_url, as Slack does", async () => {
    const { client, sender, deliveries } = await connect();
    const button = {
      type: "button" as const,
      action_id: "quorum:quiz",
      value: "quiz",
      text: { type: "plain_text" as const, text: "Quiz" },
    };
    const published = await client.views.publish({
      user_id: "U0ADA",
      view: { type: "home", blocks: [{ type: "actions", elements: [button] }] },
    });

    const sent = await sender.blockAction({ user: "U0ADA", actionId: "quorum:quiz", onHome: true });

    expect(deliveries[0]?.payload).toMatchObject({
      container: { type: "view", view_id: published.view?.id },
      view: { type: "home" },
    });
    expect(deliveries[0]?.payload).not.toHaveProperty("response_url");
    expect(deliveries[0]?.payload).not.toHaveProperty("channel");
    await expect(sent.responses()).rejects.toThrow("button quorum:quiz was sent without a response_url");
  });

  it("sends app_home_opened in an event_callback envelope, with retry headers when asked", async () => {
    const { sender, deliveries } = await connect();

    const answer = await sender.appHomeOpened("U0ADA", { retryNum: 1, retryReason: "http_timeout" });

    expect(answer.status).toBe(200);
    expect(deliveries[0]?.headers).toMatchObject({
      "content-type": "application/json",
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    expect(deliveries[0]?.payload).toMatchObject({
      type: "event_callback",
      team_id: "T0QUORUM",
      event_id: expect.stringMatching(/^Ev/),
      event: { type: "app_home_opened", user: "U0ADA", tab: "home" },
    });
  });

  it("checks the app's URL with url_verification", async () => {
    const { sender } = await connect();

    const answer = await sender.urlVerification();

    expect(answer.json).toEqual({ challenge: answer.challenge });
  });

  it("fails a wait for replies with a message that lists what the app did send", async () => {
    const { sender } = await connect(async (_payload, client) => {
      await client.chat.postMessage({ channel: "C0GENERAL", text: "posted instead" });
    });

    const sent = await sender.slashCommand({ user: "U0ADA", channel: "C0GENERAL", text: "help" });

    await expect(sent.responses(1, 50)).rejects.toThrow(
      /waited 50 ms for 1 post\(s\) to the response_url of slash command \/quorum help, in vain\.\n[\s\S]*chat\.postMessage → ok/,
    );
  });
});
