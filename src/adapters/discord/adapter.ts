import { Client, Events, GatewayIntentBits } from "discord.js";
import type { Core } from "../../core/dispatch.js";
import type { ChannelDirectory } from "../../core/ports/channels.js";
import type { Logger } from "../../core/ports/logger.js";
import type { ChatOutbox } from "../../core/ports/outbox.js";
import { discordChannels } from "./channels.js";
import { handleInteraction } from "./events/interaction.js";
import { watchModeratorRoles } from "./moderator-role.js";
import { discordOutbox } from "./outbox.js";
import { discordTrackRoles } from "./roles.js";

export interface DiscordOptions {
  token: string;
  /** Discord's REST base; another address in tests (a local fake). */
  apiUrl: string | undefined;
  /** A role id, or a name looked up once per server, whose members may run moderator commands. */
  moderatorRole: string;
  /** Work still running after this long is deferred ("thinking…") and the reply edited in later. */
  deferAfterMs: number;
  /** The gateway shards this process runs, of `count` across all processes; unset: discord.js's one shard. */
  shards?: { ids: number[]; count: number } | undefined;
  logger: Logger;
}

export interface DiscordAdapter {
  /** Scheduled posts and notices, for the scheduler's outbound queue. */
  outbox: ChatOutbox;
  /** Whether a channel is one of its server's: the dashboard's channel form asks too. */
  channels: ChannelDirectory;
  /** Connects to the gateway and starts answering interactions with this core. */
  start(core: Core): Promise<void>;
  /** True while the gateway session is up (discord.js reconnects by itself). */
  connected(): boolean;
  stop(): Promise<void>;
}

/**
 * Quorum on Discord. Only the Guilds intent: interactions arrive whatever the intents, and no
 * privileged intent (members, presences, message content) is needed.
 */
export function createDiscordAdapter(options: DiscordOptions): DiscordAdapter {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
    ...(options.shards ? { shards: options.shards.ids, shardCount: options.shards.count } : {}),
  });
  const roles = discordTrackRoles(client);
  const channels = discordChannels(client);
  const moderatorRoles = watchModeratorRoles(client, options.moderatorRole, logger);

  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  client.on(Events.Warn, (warning) => logger.warn({ warning }, "discord client warning"));
  client.on(Events.ShardDisconnect, (_event, shard) =>
    logger.warn({ shard }, "discord gateway disconnected"),
  );
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, "discord gateway resumed"));

  return {
    outbox: discordOutbox(client),
    channels,
    async start(core) {
      const served: Core = { ...core, roles, channels };
      client.on(Events.InteractionCreate, (interaction) => {
        const handled = handleInteraction(interaction, {
          core: served,
          moderatorRoles,
          deferAfterMs: options.deferAfterMs,
        });
        // Counted until its reply is sent, so a shutdown waits for it.
        void (core.gate ? core.gate.track(handled) : handled);
      });
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      const shards = [...client.ws.shards.keys()];
      logger.info(
        {
          user: client.user?.tag,
          guilds: client.guilds.cache.size,
          shards,
          shardCount: client.options.shardCount,
        },
        "discord connected",
      );
    },
    connected: () => client.isReady(),
    async stop() {
      await client.destroy();
    },
  };
}
