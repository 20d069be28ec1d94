import type { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack, webClientFor } from "./index.js";

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake Slack and a real Web API client pointed at it. */
async function connect(options: FakeSlackOptions = {}): Promise<{ fake: FakeSlack; client: WebClient }> {
  fake = await startFakeSlack(options);
  return { fake, client: webClientFor(fake) };
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("the fake Slack Web API, called by a real WebClient", () => {
  it("answers auth.test with the workspace and the bot user, and records the call with its token", async () => {
    const { fake, client } = await connect();

    const identity = await client.auth.test();

    expect(identity).toMatchObject({
      ok: true,
      team_id: "T0QUORUM",
      user_id: fake.bot.userId,
      bot_id: "B0QUORUM",
    });
    expect(fake.calls).toEqual([
      expect.objectContaining({ seq: 1, method: "auth.test", token: "xoxb-fake-token", encoding: "form" }),
    ]);
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("tells owners and admins apart in users.info and refuses strangers with user_not_found", async () => {
    const { fake, client } = await connect();

    const owner = await client.users.info({ user: fake.user("olive").id });
    const admin = await client.users.info({ user: fake.user("adrian").id });
    const member = await client.users.info({ user: fake.user("ada").id });

    expect(owner.user).toMatchObject({ is_owner: true, is_admin: true, tz: "UTC" });
    expect(admin.user).toMatchObject({ is_owner: false, is_admin: true, tz: "Asia/Tokyo" });
    expect(member.user).toMatchObject({
      is_admin: false,
      real_name: "Ada Lovelace",
      profile: { display_name: "ada" },
      tz: "Europe/London",
    });
    await expect(client.users.info({ user: "U0NOBODY" })).rejects.toMatchObject({
      data: { ok: false, error: "user_not_found" },
    });
  });

  it("keeps posts per channel, sends a post to a user id into their DM, and edits with chat.update", async () => {
    const { fake, client } = await connect();
    const ada = fake.user("ada");

    const posted = await client.chat.postMessage({
      channel: "C0GENERAL",
      text: "Week 3",
      blocks: [section("*Week 3*")],
    });
    const direct = await client.chat.postMessage({ channel: ada.id, text: "Your streak is 4 days" });
    await client.chat.update({ channel: "C0GENERAL", ts: posted.ts ?? "", text: "Week 3 (updated)" });

    expect(posted.channel).toBe("C0GENERAL");
    expect(fake.messagesIn("C0GENERAL")).toEqual([
      expect.objectContaining({ text: "Week 3 (updated)", blocks: [section("*Week 3*")], edited: true }),
    ]);
    expect(direct.channel).toBe("D0ADA");
    expect(fake.directMessagesTo(ada.id).map((message) => message.text)).toEqual(["Your streak is 4 days"]);
    expect(fake.callsNamed("chat.postMessage")[0]?.args).toMatchObject({ blocks: [section("*Week 3*")] });
  });

  it("shows an ephemeral message to one person only", async () => {
    const { fake, client } = await connect();

    const sent = await client.chat.postEphemeral({
      channel: "C0STUDY",
      user: "U0GRACE",
      text: "Only you see this",
    });

    expect(sent.message_ts).toEqual(expect.any(String));
    expect(fake.messagesIn("C0STUDY")).toEqual([
      expect.objectContaining({
        text: "Only you see this",
        ephemeralTo: "U0GRACE",
        via: "chat.postEphemeral",
      }),
    ]);
  });

  it("refuses unknown channels, channels the bot is not in, and blocks that break Slack's limits", async () => {
    const { client } = await connect({
      channels: [
        { id: "C0GENERAL", name: "general" },
        { id: "C0LOCKED", name: "locked", botIsMember: false },
      ],
    });

    await expect(client.chat.postMessage({ channel: "C0MISSING", text: "hi" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    await expect(client.chat.postMessage({ channel: "C0LOCKED", text: "hi" })).rejects.toMatchObject({
      data: { error: "not_in_channel" },
    });
    await expect(
      client.chat.postMessage({ channel: "C0GENERAL", text: "long", blocks: [section("x".repeat(3001))] }),
    ).rejects.toMatchObject({
      data: {
        error: "invalid_blocks",
        errors: ["blocks[0] (section): its text is 3001 characters, more than 3000"],
      },
    });
  });

  it("runs filesUploadV2 end to end: upload URL, the bytes, then the file shared into the channel", async () => {
    const { fake, client } = await connect();
    const picture = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

    const result = await client.files.uploadV2({
      channel_id: "C0STUDY",
      file: picture,
      filename: "leaderboard.png",
      alt_text: "Leaderboard",
      initial_comment: "This week's leaders",
    });

    expect(result.ok).toBe(true);
    const [upload] = fake.uploads;
    expect(upload).toMatchObject({
      filename: "leaderboard.png",
      declaredLength: picture.length,
      altText: "Leaderboard",
      completed: true,
      channelId: "C0STUDY",
      initialComment: "This week's leaders",
    });
    expect(Buffer.from(upload?.bytes ?? [])).toEqual(picture);
    expect(fake.received.map((entry) => (entry.kind === "api" ? entry.method : entry.kind))).toEqual([
      "files.getUploadURLExternal",
      "upload",
      "files.completeUploadExternal",
    ]);
    expect(fake.messagesIn("C0STUDY")).toEqual([
      expect.objectContaining({
        text: "This week's leaders",
        files: [
          { id: upload?.fileId, name: "leaderboard.png", title: "leaderboard.png", length: picture.length },
        ],
      }),
    ]);
  });

  it("opens a DM with conversations.open, where uploads can then go", async () => {
    const { fake, client } = await connect();

    const opened = await client.conversations.open({ users: "U0GRACE" });
    await client.files.uploadV2({
      channel_id: opened.channel?.id ?? "",
      content: "a,b\n1,2\n",
      filename: "export.csv",
    });

    expect(opened.channel?.id).toBe("D0GRACE");
    expect(fake.directMessagesTo("U0GRACE")[0]?.files.map((file) => file.name)).toEqual(["export.csv"]);
  });

  it("describes channels and DMs with conversations.info, with their team, and refuses a user id with channel_not_found", async () => {
    const elsewhere = { id: "C0THEIRS", name: "theirs", teamId: "T0OTHER" };
    const { client } = await connect({ channels: [{ id: "C0STUDY", name: "study" }, elsewhere] });

    const study = await client.conversations.info({ channel: "C0STUDY" });
    const theirs = await client.conversations.info({ channel: "C0THEIRS" });
    const dm = await client.conversations.info({ channel: "D0GRACE" });

    expect(study.channel).toMatchObject({ is_channel: true, is_im: false, context_team_id: "T0QUORUM" });
    expect(theirs.channel).toMatchObject({ context_team_id: "T0OTHER", shared_team_ids: ["T0OTHER"] });
    expect(dm.channel).toMatchObject({ is_channel: false, is_im: true, user: "U0GRACE" });
    await expect(client.conversations.info({ channel: "U0GRACE" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
  });

  it("stores a Home tab per person with views.publish, replacing it on the next publish", async () => {
    const { fake, client } = await connect();
    const home = (text: string) => ({ type: "home" as const, blocks: [section(text)] });

    const first = await client.views.publish({ user_id: "U0ADA", view: home("Week 1") });
    const second = await client.views.publish({ user_id: "U0ADA", view: home("Week 2") });

    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView("U0ADA")).toMatchObject({ type: "home", blocks: [section("Week 2")] });
    expect(fake.homeView("U0GRACE")).toBeUndefined();
    await expect(client.views.publish({ user_id: "U0NOBODY", view: home("x") })).rejects.toMatchObject({
      data: { error: "user_not_found" },
    });
  });

  it("records calls to methods it does not know, answering unknown_method", async () => {
    const { fake, client } = await connect();

    await expect(client.apiCall("reactions.add", { name: "tada" })).rejects.toMatchObject({
      data: { ok: false, error: "unknown_method" },
    });

    expect(fake.calls).toEqual([
      expect.objectContaining({ method: "reactions.add", args: { name: "tada" } }),
    ]);
  });

  it("checks the token: none is not_authed, another than the configured one is invalid_auth", async () => {
    const { fake } = await connect({ token: "xoxb-right" });

    await expect(webClientFor(fake, "xoxb-wrong").auth.test()).rejects.toMatchObject({
      data: { error: "invalid_auth" },
    });
    const anonymous = await fetch(`${fake.apiUrl}auth.test`, { method: "POST" });
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ ok: false, error: "not_authed" });
    await expect(webClientFor(fake, "xoxb-right").auth.test()).resolves.toMatchObject({ ok: true });
  });

  it("also takes JSON bodies with a Bearer token, as Slack does", async () => {
    const { fake } = await connect();

    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: "Bearer xoxb-json", "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "C0GENERAL", text: "from JSON", blocks: [section("JSON")] }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: "C0GENERAL" });
    expect(fake.calls[0]).toMatchObject({
      token: "xoxb-json",
      encoding: "json",
      args: { text: "from JSON" },
    });
  });

  it("fails a method's next call with an error a test queued", async () => {
    const { client, fake } = await connect();
    fake.failNext("chat.postMessage", "channel_not_found");

    await expect(client.chat.postMessage({ channel: "C0GENERAL", text: "first" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    await expect(client.chat.postMessage({ channel: "C0GENERAL", text: "second" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("fails a wait with a message that lists what the bot did send", async () => {
    const { fake, client } = await connect();
    await client.auth.test();

    await expect(fake.waitFor((call) => call.method === "chat.postMessage", 50)).rejects.toThrow(
      /waited 50 ms for a matching Web API call, in vain\.\nIt received 1 request from the bot:\n {2}#1 auth\.test → ok/,
    );
  });
});
