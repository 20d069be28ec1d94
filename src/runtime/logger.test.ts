import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { DiscordAPIError, type RepliableInteraction } from "discord.js";
import { describe, expect, it } from "vitest";
import { actor, tempDir, testCore } from "../../test/helpers.js";
import { reportFailure } from "../adapters/discord/events/respond.js";
import { slackLogger } from "../adapters/slack/logger.js";
import { handleText } from "../core/dispatch.js";
import { Grader } from "../core/grading/grader.js";
import { defaultLimits, type Sandbox } from "../core/sandbox.js";
import { createLogger, wantsPrettyLogs } from "./logger.js";
import { secretScrubber, TEXT_LIMIT } from "./logger-text.js";

const botToken = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";
/** Shaped like Discord's: base64 of "interaction:<id>:<secret>", about 200 characters. */
const interactionToken = Buffer.from(`interaction:123456789012345678:${"k7Qx_2Lm-9Zr".repeat(11)}`).toString(
  "base64url",
);
/** A shorter token of another shape, which only its place in a path gives away. */
const shortToken = "Zm9vYmFy.c2VjcmV0_LXRva2Vu";

/** A stream that keeps everything written to it, as the terminal or a log shipper would get it. */
function memoryStream(): { stream: Writable; output: () => string } {
  let written = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  return { stream, output: () => written };
}

function jsonLogger(level = "debug") {
  const { stream, output } = memoryStream();
  const logger = createLogger({
    level,
    pretty: false,
    secrets: [botToken, signingSecret],
    destination: stream,
  });
  const lines = () =>
    output()
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, output, lines };
}

/** 5,000 characters no two 40-character stretches of which are alike, as a learner's long query. */
function longQuery(): string {
  let query = "SELECT '";
  for (let i = 0; query.length < 5_000; i++) query += `learner-words-${i.toString(36).padStart(4, "0")} `;
  return query.slice(0, 5_000);
}

/** Whether more of `text` than a clipped prefix holds appears anywhere in `output`, in one piece. */
function leaksStretchOf(text: string, output: string): boolean {
  const stretch = TEXT_LIMIT + 1;
  for (let start = 0; start + stretch <= text.length; start += 25) {
    if (output.includes(text.slice(start, start + stretch))) return true;
  }
  return false;
}

describe("createLogger", () => {
  it("given a token in a nested field and in an error message, both come out [redacted]", () => {
    const { logger, lines } = jsonLogger();
    logger.error(
      {
        request: { headers: { authorization: `Bearer ${botToken}` }, method: "POST" },
        err: new Error(`auth.test refused ${botToken}`),
      },
      "slack call failed",
    );
    const [line] = lines();
    expect(line?.request).toEqual({ headers: { authorization: "[redacted]" }, method: "POST" });
    expect(line?.err).toMatchObject({ message: "auth.test refused [redacted]" });
    expect(line?.msg).toBe("slack call failed");
  });

  it("given the secrets in messages, unknown fields, arrays, stacks and causes, they appear nowhere in the output", () => {
    const { logger, output } = jsonLogger();
    const cause = new Error(`signature mismatch with ${signingSecret}`);
    logger.info(
      { note: `configured with ${botToken}`, list: [signingSecret, { deep: { deeper: botToken } }] },
      "a",
    );
    logger.warn({}, `starting with ${botToken} and ${signingSecret}`);
    logger.error({ err: new Error(`wrapped ${botToken}`, { cause }) }, "b");
    logger.error({ err: new AggregateError([cause], "several") }, "c");
    logger.info({ quoted: JSON.stringify({ secret: signingSecret }) }, "d");

    const written = output();
    expect(written).not.toContain(botToken);
    expect(written).not.toContain(signingSecret);
    expect(written.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(9);
  });

  it("given token-shaped strings that were never configured, they are redacted by their shape", () => {
    const { logger, output } = jsonLogger();
    const appToken = "xapp-1-A0123456789-1234567890123-abcdef0123456789";
    const userToken = "xoxp-11112222-33334444-55556666-abcdefabcdef";
    const discordToken = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";
    const webhook =
      "https://discord.com/api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb246MTIzNDU2Nzg5/messages";
    const responseUrl = "https://hooks.slack.com/commands/T0001/1234567890/AbCdEfGhIjKlMnOpQrStUvWx";
    logger.warn({ seen: [appToken, userToken, `Bot ${discordToken}`, webhook, responseUrl] }, "shapes");

    const written = output();
    for (const secret of [
      appToken,
      userToken,
      discordToken,
      "aW50ZXJhY3Rpb246MTIzNDU2Nzg5",
      "AbCdEfGhIjKlMnOpQrStUvWx",
    ]) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain("/webhooks/123456789012345678/[redacted]");
  });

  it("given a Discord interaction callback URL in an error, its token is redacted and the path kept", () => {
    const { logger, output, lines } = jsonLogger();
    const error = new DiscordAPIError(
      { code: 10062, message: "Unknown interaction" },
      10062,
      404,
      "POST",
      `https://discord.com/api/v10/interactions/123456789012345678/${interactionToken}/callback?with_response=false`,
      { body: { type: 4 } },
    );
    logger.error({ err: error }, "discord interaction failed");

    expect(output()).not.toContain(interactionToken.slice(0, 24));
    expect(lines()[0]?.err).toMatchObject({
      code: 10062,
      url: "https://discord.com/api/v10/interactions/123456789012345678/[redacted]/callback?with_response=false",
    });
  });

  it("given an interaction token alone, or in a callback path JSON-escaped or URL-encoded, none of it is written", () => {
    const { logger, output } = jsonLogger();
    logger.warn({ seen: interactionToken }, "a");
    logger.warn(
      {},
      `body {"url":"http:\\/\\/127.0.0.1:5\\/interactions\\/123456789012345678\\/${shortToken}\\/callback"}`,
    );
    logger.warn({ next: `%2Finteractions%2F123456789012345678%2F${shortToken}%2Fcallback` }, "c");

    expect(output()).not.toContain(interactionToken.slice(0, 24));
    expect(output()).not.toContain(shortToken);
    expect(output().match(/\[redacted\]/g)).toHaveLength(3);
  });

  it("given webhook URLs with or without the API prefix, JSON-escaped or URL-encoded, their tokens are redacted and the ids kept", () => {
    const { logger, output } = jsonLogger();
    const webhookToken = "Xy_9-abcDEF.ghi_JKL-mno";
    logger.warn(
      {
        edit: `http://127.0.0.1:4000/api/v10/webhooks/123456789012345678/${webhookToken}/messages/@original`,
        channel: `https://discord.com/api/webhooks/223456789012345678/${webhookToken}`,
        escaped: `{"url":"https:\\/\\/discord.com\\/api\\/v10\\/webhooks\\/323456789012345678\\/${webhookToken}"}`,
        encoded: `next=https%3A%2F%2Fdiscord.com%2Fapi%2Fwebhooks%2F423456789012345678%2F${webhookToken}&wait=true`,
      },
      "webhooks",
    );

    expect(output()).not.toContain(webhookToken);
    expect(output()).toContain("/api/v10/webhooks/123456789012345678/[redacted]/messages/@original");
    expect(output()).toContain("/api/webhooks/223456789012345678/[redacted]");
    expect(output()).toContain("%2Fwebhooks%2F423456789012345678%2F[redacted]&wait=true");
  });

  it("given Slack response_urls as actions and commands, on GovSlack, URL-encoded, JSON-escaped or at a local address, their secrets are redacted", () => {
    const { logger, output } = jsonLogger();
    const secret = "QwErTyUiOpAsDfGhJkLz1234";
    logger.warn(
      {
        action: `https://hooks.slack.com/actions/T0001/1234567890/${secret}`,
        gov: `https://hooks.slack-gov.com/commands/T0001/1234567890/${secret}`,
        form: `token=x&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F12345%2F${secret}&user_id=U1`,
        escaped: `{"response_url":"https:\\/\\/hooks.slack.com\\/actions\\/T0001\\/12345\\/${secret}"}`,
        otherHost: `http://127.0.0.1:3999/commands/T0ABC/998877/${secret}`,
      },
      "response urls",
    );
    logger.warn({ body: "x", response_url: `http://127.0.0.1:3999/response/7-${secret}` }, "a fake's");
    logger.warn({}, `posting to {"response_url":"http://127.0.0.1:3999/response/8-${secret}"} failed`);

    expect(output()).not.toContain(secret);
    expect(output()).toContain("hooks.slack.com/actions/[redacted]");
    expect(output()).toContain("/commands/T0ABC/998877/[redacted]");
  });

  it("given a crash report with an interaction callback URL, the report keeps the path without the token", () => {
    const report = `Quorum stopped: DiscordAPIError[10062]: Unknown interaction\n    at handle (https://discord.com/api/v10/interactions/123456789012345678/${interactionToken}/callback)`;

    const scrubbed = secretScrubber([])(report);

    expect(scrubbed).not.toContain(interactionToken.slice(0, 24));
    expect(scrubbed).toContain("/interactions/123456789012345678/[redacted]/callback");
  });

  it("given several calls, every line written is one JSON object", () => {
    const { logger, output, lines } = jsonLogger();
    logger.info({ databasePath: "/data/quorum.db" }, "database ready");
    logger.debug({ shard: 0 }, "discord gateway resumed");
    logger.error({ err: new Error("multi\nline\nmessage") }, "command failed");

    expect(output().endsWith("\n")).toBe(true);
    expect(lines().map((line) => line.msg)).toEqual([
      "database ready",
      "discord gateway resumed",
      "command failed",
    ]);
    expect(lines()[0]).toMatchObject({ level: 30, databasePath: "/data/quorum.db" });
  });

  it("given pretty, lines read as level and message, not JSON, and are redacted too", () => {
    const { stream, output } = memoryStream();
    const logger = createLogger({ level: "info", pretty: true, secrets: [botToken], destination: stream });
    logger.info({ port: 3000 }, "slack listening (HTTP mode)");
    logger.error({ err: new Error(`token ${botToken} refused`) }, "slack start failed");

    const written = output();
    expect(written).toMatch(/INFO.*slack listening \(HTTP mode\)/);
    expect(written).toMatch(/port: 3000/);
    expect(written).toMatch(/ERROR.*slack start failed/);
    expect(written).toContain("token [redacted] refused");
    expect(written).not.toContain(botToken);
    expect(written).not.toContain('{"level"');
  });

  it("given a file descriptor, each line is in the file as soon as the call returns", () => {
    const path = join(tempDir(), "quorum.log");
    const fd = openSync(path, "w");
    try {
      const logger = createLogger({ level: "info", pretty: false, secrets: [botToken], destination: fd });
      logger.warn({ token: botToken }, "last words before a crash");
      const [line] = readFileSync(path, "utf8").split("\n");
      expect(JSON.parse(line ?? "")).toMatchObject({ msg: "last words before a crash", token: "[redacted]" });
    } finally {
      closeSync(fd);
    }
  });

  it("given a level, lines below it are not written", () => {
    const { logger, lines } = jsonLogger("warn");
    logger.info({}, "quiet");
    logger.warn({}, "loud");
    expect(lines().map((line) => line.msg)).toEqual(["loud"]);
  });

  it("given the context the adapters log with a failure, it is kept as it is", () => {
    const { logger, lines } = jsonLogger();
    logger.error({ ref: "1a2b3c4d", command: "submit" }, "slack request failed");
    logger.error({ ref: "1a2b3c4d", view: "quorum:ask" }, "slack request failed");
    logger.error(
      { ref: "1a2b3c4d", action: "quorum:run:0", interaction: "1234" },
      "discord interaction failed",
    );
    logger.warn({ cohort: "spring", post: 7, reason: "channel_not_found", paused: true }, "post given up");

    expect(lines()).toMatchObject([
      { command: "submit" },
      { view: "quorum:ask" },
      { action: "quorum:run:0", interaction: "1234" },
      { cohort: "spring", post: 7, reason: "channel_not_found", paused: true },
    ]);
  });
});

describe("a learner's 5,000-character query on the logging paths", () => {
  const query = longQuery();

  it("given it in fields named for queries, bodies and views, it is logged as its length and hash", () => {
    const { logger, output, lines } = jsonLogger();
    logger.warn({ query }, "a");
    logger.warn({ submission: { sql: query } }, "b");
    logger.warn({ request: { body: { payload: query } } }, "c");
    logger.warn({ interaction: { options: [{ name: "query", value: query }] } }, "d");
    logger.warn({ view: { id: "V1", state: { values: { ask: { text: { value: query } } } } } }, "e");

    expect(output()).not.toContain(query);
    expect(leaksStretchOf(query, output())).toBe(false);
    expect(lines()[0]?.query).toMatch(/^\[5000 chars, sha256:[0-9a-f]{12}\]$/);
  });

  it("given a command whose error message quotes it, the failure log carries at most a clipped prefix", async () => {
    const { logger, output, lines } = jsonLogger();
    const { core } = testCore();
    // A sandbox with a bug: the learner's query throws, quoting it, as a database error would.
    const quoting: Sandbox = {
      engine: "sqlite",
      run: async (request) => {
        if (request.query !== query) {
          return { ok: true, result: { columns: [], rows: [] }, plan: null, truncated: false, elapsedMs: 1 };
        }
        throw new Error(`unrecognized token: "${request.query}"`);
      },
      close: async () => {},
    };
    const grader = new Grader({
      sandboxes: { sqlite: quoting },
      datasets: core.curriculum.bank.datasets,
      limits: defaultLimits,
      logger,
    });
    const reply = await handleText(
      { ...core, logger, grader },
      actor("ana"),
      `/submit store-customer-order-counts ${query}`,
    );

    expect(reply?.text).toMatch(/Something went wrong on our side \(ref \w+\)/);
    expect(lines().map((line) => line.msg)).toContain("command failed");
    expect(output()).not.toContain(query);
    expect(leaksStretchOf(query, output())).toBe(false);
  });

  it("given Bolt's debug lines with a request and a reply quoting it, they keep only their length and hash", () => {
    const { logger, output, lines } = jsonLogger();
    const bolt = slackLogger(logger);
    bolt.debug(
      `http request body: ${JSON.stringify({ channel: "C1", text: `The database said: ${query}` })}`,
    );
    bolt.debug(
      JSON.stringify({ type: "view_submission", view: { state: { values: { q: { text: query } } } } }),
    );
    bolt.error("An unexpected error occurred:", new Error(`failed on ${query}`));

    expect(output()).not.toContain(query);
    expect(leaksStretchOf(query, output())).toBe(false);
    expect(lines()[0]?.msg).toMatch(/^http request body: \[\d+ chars, sha256:[0-9a-f]{12}\]$/);
    expect(lines()[2]?.msg).toMatch(/^An unexpected error occurred: Error: failed on SELECT/);
  });

  it("given a Discord API error whose request body holds the reply quoting it, the report keeps its code and status, not the body", async () => {
    const { logger, output, lines } = jsonLogger();
    const error = new DiscordAPIError(
      { code: 50035, message: "Invalid Form Body" },
      50035,
      400,
      "PATCH",
      "https://discord.com/api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEy/messages/@original",
      { body: { content: `The database said: ${query}` } },
    );
    const replies: unknown[] = [];
    // Only what reportFailure touches on an interaction.
    const interaction = {
      deferred: false,
      replied: false,
      reply: async (notice: unknown) => void replies.push(notice),
    } as unknown as RepliableInteraction;
    await reportFailure(interaction, error, logger, { interaction: "1234" });

    expect(replies).toHaveLength(1);
    const [line] = lines();
    expect(line?.err).toMatchObject({
      type: "DiscordAPIError",
      code: 50035,
      status: 400,
      method: "PATCH",
      requestBody: "[redacted]",
    });
    expect(line?.err).not.toHaveProperty("rawError");
    expect(output()).not.toContain(query);
    expect(leaksStretchOf(query, output())).toBe(false);
  });
});

describe("wantsPrettyLogs", () => {
  it("given a terminal outside production, logs are pretty", () => {
    expect(wantsPrettyLogs({}, true)).toBe(true);
    expect(wantsPrettyLogs({ NODE_ENV: "development" }, true)).toBe(true);
  });

  it("given production or no terminal, logs are JSON", () => {
    expect(wantsPrettyLogs({ NODE_ENV: "production" }, true)).toBe(false);
    expect(wantsPrettyLogs({}, false)).toBe(false);
  });
});
