/**
 * The Discord adapter in the test's own process on a fake Discord, for adapter tests that hold the core
 * (its grader, its pictures) in their hands; the end-to-end suites run the real bot instead (e2e/discord-bot.ts).
 */
import { afterEach } from "vitest";
import { createDiscordAdapter, type DiscordAdapter } from "../src/adapters/discord/adapter.js";
import type { Core } from "../src/core/dispatch.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { deployToEveryServer } from "./e2e/discord-bot.js";
import { type FakeDiscord, startFakeDiscord } from "./fakes/discord/index.js";

const token = "fake-discord-token-for-tests";
let fake: FakeDiscord | undefined;
let adapter: DiscordAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
  adapter = fake = undefined;
});

/** Starts a fake Discord and the adapter on it, serving `core`; both stop after the test. */
export async function startDiscordInProcess(core: Core): Promise<FakeDiscord> {
  const started = await startFakeDiscord();
  fake = started;
  await deployToEveryServer(started);
  adapter = createDiscordAdapter({
    token,
    apiUrl: started.apiUrl,
    moderatorRole: "Quorum Moderator",
    deferAfterMs: 1_000,
    logger: silentLogger,
  });
  await adapter.start(core);
  await started.ready;
  return started;
}
