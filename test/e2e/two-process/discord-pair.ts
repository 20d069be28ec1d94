/**
 * Two bot processes on one PostgreSQL database, each running one of two Discord gateway shards of
 * one fake Discord, with cohorts whose module schedule fires every few seconds: scheduled posts
 * stream out while a test kills, stops and restarts the process sending them.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployCommands } from "../../../src/adapters/discord/commands/deploy.js";
import { commands } from "../../../src/core/commands/registry.js";
import { type OpenPostgres, openPostgres } from "../../../src/db/postgres/client.js";
import { createPostgresStore } from "../../../src/db/postgres/store.js";
import {
  type FakeDiscord,
  type FakeGuild,
  fakeGuild,
  fakeUser,
  guildIdOnShard,
  moderatorPermissions,
  type StoredMessage,
  startFakeDiscord,
} from "../../fakes/discord/index.js";
import { postgresDatabase, type TestDatabase } from "../../postgres/database.js";
import { RunningBot, startBot } from "../bot.js";

const token = "fake-discord-token-for-tests";
export const moderator = { user: fakeUser("morgan"), permissions: moderatorPermissions };

/** Seconds between module fires: each is a "week", so a cohort runs its last weeks in seconds. */
export const FIRE_EVERY_S = 3;
/** The week before the first fire: fires then post week 17 to 20 and the wrap-up. */
const WEEK_BEFORE = 16;
/** Fires left per cohort, each with its boards: boards of 16 to 20, modules 17 to 20, the wrap-up. */
export const POSTS_PER_COHORT = 10;
const LEASE_S = 3;

export interface PostRow {
  id: number;
  cohortId: number;
  kind: string;
  week: number;
  status: string;
  externalMessageId: string | null;
}

export interface DiscordPair {
  fake: FakeDiscord;
  /** Each cohort's id in the database and the channel it posts to. */
  cohorts: { id: number; guildId: string; channelId: string }[];
  /** The running process of each shard, if running. */
  bots: [RunningBot | undefined, RunningBot | undefined];
  /** Starts (or starts again) shard `shard`'s process and waits for it to connect. */
  launch(shard: 0 | 1, env?: Record<string, string>): Promise<RunningBot>;
  /** The shard whose process holds the right to send Discord posts now, if a running one does. */
  sender(): Promise<0 | 1 | undefined>;
  posts(): Promise<PostRow[]>;
  /** Rows of a check written in SQL. */
  query<T>(statement: string, values?: unknown[]): Promise<T[]>;
  /** Every process killed by its pid (continued first if stopped), the fake closed, the database dropped. */
  stop(): Promise<void>;
}

/** The nonce the Discord outbox gives part `part` of post `postId` (the same derivation). */
export function nonceOfPost(postId: number, part = 0): string {
  return createHash("sha256").update(`quorum-post-${postId}#${part}`).digest("base64url").slice(0, 25);
}

/** The bot's messages in a channel, oldest first: what members of the server see. */
export function channelPosts(fake: FakeDiscord, channelId: string): StoredMessage[] {
  return fake.messagesIn(channelId).filter((m) => !m.ephemeral && m.interactionToken === null);
}

/** Cohorts across two shards' servers, due `startInS` seconds from now and every FIRE_EVERY_S after. */
export async function startDiscordPair(cohortCount: number, startInS: number): Promise<DiscordPair> {
  const guilds: FakeGuild[] = Array.from({ length: cohortCount }, (_, i) =>
    fakeGuild({ id: guildIdOnShard(i % 2, 2), name: `Study group ${i}`, ownerId: moderator.user.id }),
  );
  const fake = await startFakeDiscord({ guilds });
  const folder = mkdtempSync(join(tmpdir(), "quorum-two-process-"));
  let database: TestDatabase | undefined;
  let admin: OpenPostgres | undefined;
  const bots: DiscordPair["bots"] = [undefined, undefined];
  const stop = async () => {
    for (const bot of bots) {
      const pid = bot?.bot.child.pid;
      if (pid === undefined || bot?.bot.child.exitCode !== null || bot.bot.child.signalCode !== null)
        continue;
      bot.bot.child.kill("SIGCONT");
      bot.bot.child.kill("SIGKILL");
      await bot.exited;
    }
    await admin?.close();
    await fake.close();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    database = await postgresDatabase();
    admin = await openPostgres(database.url);
    const store = createPostgresStore(admin);
    const firstFire = Math.ceil((Date.now() + startInS * 1000) / (FIRE_EVERY_S * 1000)) * FIRE_EVERY_S * 1000;
    const cohorts: DiscordPair["cohorts"] = [];
    for (const [i, guild] of guilds.entries()) {
      const channelId = guild.channels[0]?.id ?? "";
      const now = new Date();
      const { space, member } = await store.identities.ensure(
        {
          platform: "discord",
          spaceExternalId: guild.id,
          spaceName: guild.name,
          userExternalId: moderator.user.id,
          displayName: moderator.user.username,
          isModerator: true,
          channelExternalId: channelId,
        },
        now,
      );
      const made = await store.cohorts.create({
        spaceId: space.id,
        name: `cohort-${i}`,
        startDate: "2026-01-05",
        timezone: "UTC",
        channelExternalId: channelId,
        createdBy: member.id,
        at: now,
        // A "week" every few seconds (croner reads a sixth field as seconds), the last five weeks left.
        moduleSchedule: {
          kind: "module",
          cron: `*/${FIRE_EVERY_S} * * * * *`,
          spec: `every ${FIRE_EVERY_S} s`,
          timezone: "UTC",
          anchorAt: new Date(firstFire - 1),
          anchorWeek: WEEK_BEFORE,
          pausedAt: null,
          nextFireAt: new Date(firstFire),
        },
      });
      if (!made.ok) throw new Error(made.error);
      cohorts.push({ id: made.value.id, guildId: guild.id, channelId });
      await deployCommands({
        token,
        applicationId: fake.applicationId,
        apiUrl: fake.apiUrl,
        guildId: guild.id,
        commands,
      });
    }
    const url = database.url;
    const pool = admin.pool;
    const launch = async (shard: 0 | 1, env: Record<string, string> = {}) => {
      const running = new RunningBot(
        startBot({
          DISCORD_TOKEN: token,
          DISCORD_APPLICATION_ID: fake.applicationId,
          DISCORD_API_URL: fake.apiUrl,
          DISCORD_SHARDS: String(shard),
          DISCORD_SHARD_COUNT: "2",
          DATABASE_URL: url,
          DATABASE_PATH: join(folder, `unused-${shard}.db`),
          SENDER_LEASE_SECONDS: String(LEASE_S),
          LOG_LEVEL: "info",
          ...env,
        }),
      );
      bots[shard] = running;
      await running.waitForLog((log) => (log.includes('"discord connected"') ? true : undefined), "connect");
      return running;
    };
    return {
      fake,
      cohorts,
      bots,
      launch,
      async sender() {
        const found = await pool.query<{ owner: string; live: boolean }>(
          "SELECT owner, lease_until > now() AS live FROM senders WHERE platform = 'discord'",
        );
        const row = found.rows[0];
        if (!row?.live) return undefined;
        const pid = Number(row.owner.split(":").at(-2));
        const shard = bots.findIndex((bot) => bot?.bot.child.pid === pid);
        return shard === 0 || shard === 1 ? shard : undefined;
      },
      async posts() {
        const found = await pool.query<PostRow>(
          `SELECT id, cohort_id AS "cohortId", kind, week, status, external_message_id AS "externalMessageId"
           FROM posts ORDER BY cohort_id, due_at, id`,
        );
        return found.rows;
      },
      async query<T>(statement: string, values: unknown[] = []) {
        return (await pool.query(statement, values)).rows as T[];
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
