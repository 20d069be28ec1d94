import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDiscordAdapter } from "../src/adapters/discord/adapter.js";
import { deployCommands } from "../src/adapters/discord/commands/deploy.js";
import { renderMessage as discordRender } from "../src/adapters/discord/render/message.js";
import { createSlackAdapter } from "../src/adapters/slack/adapter.js";
import { renderBlocks } from "../src/adapters/slack/render/blocks.js";
import { renderMessage as terminalRender } from "../src/adapters/terminal/render/text.js";
import { commands } from "../src/core/commands/registry.js";
import { handleText } from "../src/core/dispatch.js";
import type { Message } from "../src/core/messages.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { openDatabase } from "../src/db/client.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { fakeUser, memberPermissions, startFakeDiscord } from "../test/fakes/discord/index.js";
import { slackSender, startFakeSlack } from "../test/fakes/slack/index.js";
import { fixedClock } from "../test/fixed-clock.js";
import { benchLearner, commandCore } from "./core.js";
import { type BenchOptions, measure, percentiles, printTable, type Row } from "./measure.js";

function tripLine(name: string, t: { p50: number; p99: number }, base: { p50: number; p99: number }): void {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1).padStart(6)}×`;
  console.log(
    `  ${name.padEnd(44)} p50 ${t.p50.toFixed(2).padStart(6)} ms ${ratio(t.p50, base.p50)}   p99 ${t.p99.toFixed(2).padStart(6)} ms ${ratio(t.p99, base.p99)}`,
  );
}

/** One JSON request over loopback HTTP, answered at once: the floor under any platform round trip. */
async function loopbackBaseline(rounds: number) {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const body = JSON.stringify({ type: 2, data: { name: "week", options: [{ name: "week", value: 7 }] } });
  try {
    return await percentiles(rounds, () => fetch(url, { method: "POST", body }).then((r) => r.text()));
  } finally {
    server.close();
  }
}

/**
 * What an adapter adds to the core: rendering a reply for each platform, and whole round trips
 * against the local fakes (Discord: gateway event in, HTTP callback out; Slack: signed request in,
 * response_url out).
 */
export async function benchAdapters({ quick }: BenchOptions): Promise<void> {
  // Quick: a quarter of the round trips and smaller batches.
  const rounds = quick ? 50 : 200;
  const batch = (perBatch: number) =>
    quick ? { batches: 5, perBatch: perBatch / 4, warmup: 20 } : { perBatch };
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-adapters-"));
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load: run npm run curriculum:check");
  const database = openDatabase(join(dir, "bench.db"));
  try {
    const core = commandCore(database, loaded.curriculum, fixedClock("2026-04-15T10:00:00Z"));
    await handleText(core, benchLearner(0), "/cohort create bench 2026-03-02 Europe/Berlin");
    const week = (await handleText(core, benchLearner(0), "/week 7")) as Message;

    const handle = await measure(() => handleText(core, benchLearner(0), "/week 7"), batch(100));
    const renders: [string, () => unknown][] = [
      ["terminal: rendered as text", () => terminalRender(week, { color: false })],
      ["discord: rendered as embeds and buttons", () => discordRender(week, { ephemeral: false })],
      ["slack: rendered as Block Kit", () => renderBlocks(week)],
    ];
    const measured: Row[] = [{ name: "core: /week 7 handled (baseline)", perOpMs: handle.perOpMs, ratio: 1 }];
    for (const [name, fn] of renders) {
      const result = await measure(fn, batch(200));
      measured.push({ name, perOpMs: result.perOpMs, ratio: result.perOpMs / handle.perOpMs });
    }
    printTable("Adapters: rendering one module reply (/week 7)", "core: /week 7 handled", measured);

    const fake = await startFakeDiscord();
    const guildId = fake.guilds[0]?.id ?? "";
    const token = "bench-discord-token";
    await deployCommands({
      token,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      guildId,
      commands,
    });
    const discord = createDiscordAdapter({
      token,
      apiUrl: fake.apiUrl,
      moderatorRole: "Quorum Moderator",
      deferAfterMs: 1000,
      logger: silentLogger,
    });
    try {
      await discord.start(core);
      await fake.ready;
      const ada = fakeUser("ada");
      const base = await loopbackBaseline(rounds);
      const slash =
        (name: string, options: Record<string, number> = {}) =>
        () =>
          fake.slash({ user: ada, permissions: memberPermissions, name, options }).final();
      const weekTrip = await percentiles(rounds, slash("week", { week: 7 }));
      const roadmapTrip = await percentiles(rounds, slash("roadmap"));
      console.log(
        `\nDiscord: a slash command answered through the local fake  (ratio = ÷ one loopback HTTP request, ${rounds} rounds each)`,
      );
      tripLine("baseline: loopback HTTP request", base, base);
      tripLine("/week 7 (event → embeds callback)", weekTrip, base);
      tripLine("/roadmap", roadmapTrip, base);
      console.log(`  Discord allows 3,000 ms; replies still running after 1,000 ms are deferred first.`);
    } finally {
      await discord.stop();
      await fake.close();
    }

    const slackFake = await startFakeSlack();
    const secret = "bench-slack-signing-secret";
    const slack = createSlackAdapter({
      botToken: "xoxb-bench-token",
      signingSecret: secret,
      appToken: undefined,
      apiUrl: slackFake.apiUrl,
      port: 0,
      moderators: [],
      logger: silentLogger,
    });
    try {
      await slack.start(core);
      const sender = slackSender({
        botUrl: `http://127.0.0.1:${slack.port()}/slack/events`,
        signingSecret: secret,
        fake: slackFake,
      });
      const ada = slackFake.user("ada");
      const channel = slackFake.channel("general");
      const base = await loopbackBaseline(rounds);
      const command = (text: string) => async () => {
        const sent = await sender.slashCommand({ user: ada, channel, text });
        await sent.responses();
      };
      const weekTrip = await percentiles(rounds, command("week 7"));
      const roadmapTrip = await percentiles(rounds, command("roadmap"));
      console.log(
        `\nSlack: /quorum answered through the local fake, signed request in, response_url out  (ratio = ÷ one loopback HTTP request, ${rounds} rounds each)`,
      );
      tripLine("baseline: loopback HTTP request", base, base);
      tripLine("/quorum week 7 (ack, then Block Kit reply)", weekTrip, base);
      tripLine("/quorum roadmap", roadmapTrip, base);
      console.log(`  Slack allows 3,000 ms for the acknowledgement, which is sent before any work.`);
    } finally {
      await slack.stop();
      await slackFake.close();
    }
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
