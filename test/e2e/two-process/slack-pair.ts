/**
 * Two real bots in Slack HTTP mode on one PostgreSQL database and one fake Slack, behind a
 * round-robin balancer (balancer.ts) whose one URL the fake's signed requests go to; each bot can
 * also be reached directly (its own sender), signalled, stopped and restarted (bot-process.ts).
 *
 *   const two = await startTwoSlackBots({ databaseUrl: database.url, env: { QUORUM_CLOCK_START } });
 *   const [bot1, bot2] = two.bots;
 *   await two.slack.slashCommand({ … });       // through the balancer: bot1, bot2, bot1, …
 *   await bot2.slack.blockAction({ … });       // straight to bot2
 *   bot1.signal("SIGKILL"); await bot1.exited(); // killed: the balancer skips it until it runs again
 *   await bot1.start();                         // a new process on the same database (another port)
 *   bot2.signal("SIGSTOP");                     // paused: its requests get 504 from the balancer…
 *   two.balancer.setDown("bot2", true);         // …unless a health check takes it out of turn
 *   bot1.logs(); bot2.pid();                    // every process's log; the current pid
 *   await two.stop();                           // SIGCONT, SIGTERM, SIGKILL after 10 s: by pid
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type FakeSlack,
  type FakeSlackChannel,
  type FakeSlackUser,
  type Person,
  type Place,
  type SlackSender,
  slackSender,
  startFakeSlack,
} from "../../fakes/slack/index.js";
import { RunningBot, startBot } from "../bot.js";
import { blocksText, botToken, boundPort, signingSecret } from "../slack-bot.js";
import { type Balancer, startBalancer } from "./balancer.js";
import { type BotName, BotProcess, folderFor, startBoth, stopRunning } from "./bot-process.js";

export interface TwoSlackBotsOptions {
  /** The shared database, e.g. postgresDatabase().url. */
  databaseUrl: string;
  users?: FakeSlackUser[];
  channels?: FakeSlackChannel[];
  /** More environment for both bots, e.g. QUORUM_CLOCK_START. */
  env?: Record<string, string>;
}

export interface TwoSlackBots {
  fake: FakeSlack;
  balancer: Balancer;
  /** Signs requests and sends them to the balancer's one Request URL. */
  slack: SlackSender;
  bots: readonly [BotProcess, BotProcess];
  bot(name: BotName): BotProcess;
  /** #general, where the suites work by default. */
  channelId: string;
  /** Stops both bots (each by pid, also when the other fails to stop), the balancer and the fake. */
  stop(): Promise<void>;
}

/**
 * Starts a fake Slack, two bots in HTTP mode on `databaseUrl` (at once, as a deployment's replicas
 * would: they migrate one after another) and a round-robin balancer in front of them.
 */
export async function startTwoSlackBots(options: TwoSlackBotsOptions): Promise<TwoSlackBots> {
  const fake = await startFakeSlack({
    token: botToken,
    ...(options.users ? { users: options.users } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
  });
  const folder = mkdtempSync(join(tmpdir(), "quorum-two-process-"));
  const channelId = fake.channels[0]?.id;
  const make = (name: BotName) => {
    const own = folderFor(folder, name);
    return new BotProcess(
      name,
      async (env) => {
        const running = new RunningBot(startBot(env));
        try {
          return { running, port: await running.waitForLog(boundPort, "listen") };
        } catch (error) {
          await stopRunning(running);
          throw error;
        }
      },
      (port) => slackSender({ botUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, fake }),
      {
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: "0",
        DATABASE_URL: options.databaseUrl,
        DATABASE_PATH: join(own, "quorum.db"),
        FILES_DIR: join(own, "files"),
        LOG_LEVEL: "info",
        ...options.env,
      },
    );
  };
  const bots = [make("bot1"), make("bot2")] as const;
  let balancer: Balancer | undefined;
  const stop = async () => {
    const results = await Promise.allSettled(bots.map((bot) => bot.stop()));
    await balancer?.close();
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  };
  try {
    if (!channelId) throw new Error("The fake needs a channel.");
    await startBoth(bots);
    balancer = await startBalancer(bots);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const slack = slackSender({ botUrl: balancer.url("/slack/events"), signingSecret, fake });
  return {
    fake,
    balancer,
    slack,
    bots,
    bot: (name) => (name === "bot1" ? bots[0] : bots[1]),
    channelId,
    stop,
  };
}

/** `/quorum <text>` sent with `slack` (the balancer's or one bot's), and its first reply's text. */
export async function ask(
  slack: SlackSender,
  user: Person,
  text: string,
  channel: Place,
): Promise<{ text: string; status: number }> {
  const sent = await slack.slashCommand({ user, channel, text });
  if (sent.status !== 200) throw new Error(`/quorum ${text} was answered ${sent.status}: ${sent.body}`);
  const [post] = await sent.responses(1);
  if (!post) throw new Error(`/quorum ${text} got no reply`);
  return { text: blocksText(post.body.blocks ?? []) || (post.body.text ?? ""), status: sent.status };
}
