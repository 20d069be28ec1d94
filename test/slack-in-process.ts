/**
 * The Slack adapter in the test's own process (HTTP mode) on a fake workspace, for adapter tests that hold
 * the core (its grader, its pictures) in their hands; the end-to-end suites run the real bot instead (e2e/slack-bot.ts).
 */
import { afterEach } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../src/adapters/slack/adapter.js";
import type { Core } from "../src/core/dispatch.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { type FakeSlack, type SlackSender, slackSender, startFakeSlack } from "./fakes/slack/index.js";

const signingSecret = "slack-signing-secret-for-in-process-tests";
let fake: FakeSlack | undefined;
let adapter: SlackAdapter | undefined;

afterEach(async () => {
  adapter?.stopAccepting();
  await adapter?.stop();
  await fake?.close();
  adapter = fake = undefined;
});

/** Starts a fake workspace and the adapter on it, serving `core`; both stop after the test. `slack` sends to the adapter as Slack would. */
export async function startSlackInProcess(core: Core): Promise<{ fake: FakeSlack; slack: SlackSender }> {
  const started = await startFakeSlack();
  fake = started;
  adapter = createSlackAdapter({
    botToken: "xoxb-fake-token",
    signingSecret,
    appToken: undefined,
    apiUrl: started.apiUrl,
    port: 0,
    moderators: [],
    logger: silentLogger,
  });
  await adapter.start(core);
  const slack = slackSender({
    botUrl: `http://127.0.0.1:${adapter.port()}/slack/events`,
    signingSecret,
    fake: started,
  });
  return { fake: started, slack };
}
