import { describe, expect, it } from "vitest";
import { type FakeSlack, formValues, type SlackSender } from "../../../test/fakes/slack/index.js";
import { realCurriculum, storedEventKeys, testCore } from "../../../test/helpers.js";
import { startSlackInProcess } from "../../../test/slack-in-process.js";
import { slackEventKey } from "./events/context.js";

/** The Slack adapter in this process (HTTP mode) on a fake workspace; every challenge attempt is graded wrong. */
async function start(): Promise<{ fake: FakeSlack; slack: SlackSender; databasePath: string }> {
  const failing = { grade: async () => ({ verdict: "fail" as const, feedback: "Not the expected rows." }) };
  const t = testCore("2026-03-04T10:00:00Z", { grader: failing });
  return { ...(await startSlackInProcess(t.core)), databasePath: t.database.path };
}

function singleChoiceItems() {
  return realCurriculum().bank.items.filter((i) => i.kind === "single");
}

function firstChallenge() {
  const challenge = realCurriculum().bank.challenges[0];
  if (!challenge) throw new Error("the curriculum has challenges");
  return challenge;
}

describe("Slack event keys", () => {
  it("given /quorum answer, a quiz button and a submitted form, each answer is stored under its request's trigger_id", async () => {
    const { fake, slack, databasePath } = await start();
    const ada = fake.user("ada");
    const general = fake.channel("general");
    const [first, second] = singleChoiceItems();
    if (first?.kind !== "single" || second?.kind !== "single") throw new Error("two single-choice items");

    const typed = await slack.slashCommand({
      user: ada,
      channel: general,
      text: `answer ${first.id} key:${first.answer}`,
    });
    expect((await typed.responses(1))[0]?.body.text).toMatch(/Right!/);

    const pressed = await slack.blockAction({
      user: ada,
      channel: general,
      actionId: "quorum:run:0",
      value: `/answer ${second.id} key:${second.answer}`,
    });
    expect((await pressed.responses(1))[0]?.body.text).toMatch(/Right!/);

    const challenge = firstChallenge();
    const asked = await slack.blockAction({
      user: ada,
      channel: general,
      actionId: "quorum:ask:0",
      value: `/submit ${challenge.id}`,
    });
    const form = await asked.openedView();
    const submitted = await slack.viewSubmission({
      user: ada,
      view: { id: form.id, callback_id: "quorum:ask", state: formValues(form.view, { text: "SELECT 1" }) },
    });
    const graded = await fake.waitFor(
      (call) => call.method === "chat.postEphemeral" && call.args.user === ada.id,
    );
    expect(String(graded.args.text)).toMatch(/Not yet\./);

    expect(storedEventKeys(databasePath)).toEqual([
      `slack:${typed.triggerId}`,
      `slack:${pressed.triggerId}`,
      `slack:${submitted.triggerId}`,
    ]);
  });

  it("given a /quorum submit delivered again with a fresh signature and no retry header, the second delivery stores nothing", async () => {
    const { fake, slack, databasePath } = await start();
    const ada = fake.user("ada");
    const challenge = firstChallenge();
    const sent = await slack.slashCommand({
      user: ada,
      channel: fake.channel("general"),
      text: `submit ${challenge.id} SELECT 1`,
    });
    expect((await sent.responses(1))[0]?.body.text).toMatch(/Not yet\./);
    const delivered = slack.lastSent;
    if (!delivered?.body) throw new Error("nothing was sent");

    // Signed at another second, as another process or a proxy's resend would see it: the signature guard lets it in.
    const contentType = delivered.headers?.["Content-Type"] ?? "application/x-www-form-urlencoded";
    // A second before the first signature's own, never the same second: an identical signature is a replay the guard drops.
    const first = Number(delivered.headers?.["X-Slack-Request-Timestamp"]);
    if (!Number.isInteger(first)) throw new Error("the first delivery carried no timestamp");
    const again = slack.signed(delivered.body, contentType, { timestamp: first - 1 });
    expect((await slack.raw(again)).status).toBe(200);
    await sent.responses(2);

    expect(storedEventKeys(databasePath)).toEqual([`slack:${sent.triggerId}`]);
  });

  it("given a request without a trigger_id, it carries no event key, so keyless requests never share one", () => {
    expect(slackEventKey("")).toBeNull();
    expect(slackEventKey(undefined)).toBeNull();
    expect(slackEventKey("13345224609.738474920.8088930838d88f008e0")).toBe(
      "slack:13345224609.738474920.8088930838d88f008e0",
    );
  });
});
