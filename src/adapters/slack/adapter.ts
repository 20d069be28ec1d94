import type { Server } from "node:http";
import { App, HTTPReceiver } from "@slack/bolt";
import type { Core } from "../../core/dispatch.js";
import type { ChannelDirectory } from "../../core/ports/channels.js";
import type { Logger } from "../../core/ports/logger.js";
import type { ChatOutbox } from "../../core/ports/outbox.js";
import { SlackPeople } from "./actor.js";
import { slackChannels } from "./channels.js";
import { slackCommandNames } from "./command-text.js";
import { onActions } from "./events/actions.js";
import { onSlashCommand } from "./events/commands.js";
import type { SlackDeps } from "./events/context.js";
import { onHomeOpened } from "./events/home.js";
import { slackLogger } from "./logger.js";
import { slackOutbox } from "./outbox.js";
import { EVENTS_PATH, listen, portOf, receiverLimits } from "./receiver.js";

export interface SlackOptions {
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret: string | undefined;
  /** Socket Mode when set: no public URL needed. */
  appToken: string | undefined;
  /** The Web API base; another address in tests (a local fake). */
  apiUrl: string | undefined;
  port: number;
  /** User ids allowed moderator commands besides admins and owners. */
  moderators: readonly string[];
  logger: Logger;
}

export interface SlackAdapter {
  /** Whether a channel is one of its workspace's: the dashboard's channel form asks too. */
  channels: ChannelDirectory;
  outbox: ChatOutbox;
  /** Checks the token (auth.test), then listens: Socket Mode, or HTTP on the port at /slack/events. */
  start(core: Core): Promise<void>;
  /** The HTTP port actually bound (0 in the options picks a free one), undefined in Socket Mode. */
  port(): number | undefined;
  /** True while requests can reach the app: listening in HTTP mode, connected in Socket Mode. */
  connected(): boolean;
  /** Stops taking new connections; requests already taken are counted by the core's gate. */
  stopAccepting(): void;
  /** Closes every connection (Socket Mode: disconnects); call once the gate has settled. */
  stop(): Promise<void>;
}

export const SLASH_COMMAND = "/quorum";

/** Quorum on Slack with Bolt: one slash command, buttons, forms and the App Home tab. */
export function createSlackAdapter(options: SlackOptions): SlackAdapter {
  const logger = slackLogger(options.logger);
  const appToken = options.appToken;
  const socketMode = appToken !== undefined;
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret ?? "",
        endpoints: EVENTS_PATH,
        logger,
        bodyLimit: receiverLimits.bodyBytes,
      });
  const app = new App({
    token: options.botToken,
    logger,
    // Initialised in start(), so a bad token is an error there rather than an unhandled rejection.
    deferInitialization: true,
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      // A reply is useless after a few seconds; scheduled posts are retried by the outbound queue.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    },
    ...(appToken !== undefined ? { socketMode: true, appToken } : receiver ? { receiver } : {}),
  });
  let server: Server | undefined;
  let socketOpen = false;
  const channels = slackChannels(app.client);

  return {
    outbox: slackOutbox(app.client, channels),
    channels,
    async start(core) {
      const deps: SlackDeps = {
        core: { ...core, channels },
        people: new SlackPeople(app.client, { moderators: options.moderators }),
        localize: slackCommandNames(core.commands, SLASH_COMMAND),
        slashCommand: SLASH_COMMAND,
      };
      // Slack retries an event it thinks went unanswered; the first delivery already did the work.
      app.use(async (args) => {
        if (Number.isInteger(args.context.retryNum)) {
          options.logger.info(
            { retry: args.context.retryNum, reason: args.context.retryReason },
            "slack retry skipped",
          );
          if ("ack" in args && typeof args.ack === "function") await args.ack();
          return;
        }
        // Counted until the listener has finished (reply sent), so a shutdown waits for it.
        await (core.gate ? core.gate.track(args.next()) : args.next());
      });
      onSlashCommand(app, deps);
      onActions(app, deps);
      onHomeOpened(app, deps);
      app.error(async (error) => options.logger.error({ err: error }, "slack listener failed"));

      await app.init();
      if (receiver) {
        server = await listen({
          receiver,
          signingSecret: options.signingSecret ?? "",
          logger: options.logger,
          port: options.port,
          firstTime: (signature, forgetAfterMs) =>
            core.store.requests.firstTime(`slack:${signature}`, new Date(), new Date(forgetAfterMs)),
        });
        options.logger.info({ port: portOf(server), path: EVENTS_PATH }, "slack listening (HTTP mode)");
      } else {
        await app.start();
        socketOpen = true;
        options.logger.info({}, "slack connected (Socket Mode)");
      }
    },
    port: () => (server ? portOf(server) : undefined),
    connected: () => (server ? server.listening : socketOpen),
    stopAccepting() {
      // Idle keep-alive connections close now; busy ones end when their request is answered.
      server?.close();
      server?.closeIdleConnections();
    },
    async stop() {
      if (server) {
        const closing = server;
        const closed = new Promise<void>((resolve) => {
          if (!closing.listening) resolve();
          else closing.close(() => resolve());
        });
        // Bolt answers each request at its ack, so by now no connection carries an unanswered one.
        closing.closeAllConnections();
        await closed;
      } else if (socketMode && socketOpen) {
        socketOpen = false;
        await app.stop();
      }
    },
  };
}
