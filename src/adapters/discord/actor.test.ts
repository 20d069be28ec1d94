import {
  Client,
  Collection,
  Events,
  type Guild,
  type Interaction,
  PermissionFlagsBits,
  PermissionsBitField,
} from "discord.js";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../core/ports/logger.js";
import { actorOf } from "./actor.js";
import { moderatorRoles, type ServerRoles, watchModeratorRoles } from "./moderator-role.js";

const guildId = "111111111111111111";
const otherGuildId = "222222222222222222";
const configuredName = "Quorum Moderator";

interface Role {
  id: string;
  name: string;
}

const moderators: Role = { id: "300000000000000001", name: configuredName };
const lookalike: Role = { id: "300000000000000002", name: "quorum moderator" };

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void =>
      void lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

/** Only what actorOf reads of an interaction. An uncached server's member carries role ids alone. */
function interactionBy(
  roles: Role[],
  options: { guild?: string; cached?: boolean; manageServer?: boolean } = {},
): Interaction {
  const cached = options.cached ?? true;
  const member = cached
    ? { roles: { cache: new Collection(roles.map((role) => [role.id, role])) }, displayName: "Ada" }
    : { roles: roles.map((role) => role.id) };
  return {
    guildId: options.guild ?? guildId,
    guild: cached ? { name: "Study Group" } : null,
    channelId: "400000000000000000",
    user: { id: "500000000000000000", username: "ada", globalName: null },
    member,
    memberPermissions: new PermissionsBitField(options.manageServer ? PermissionFlagsBits.ManageGuild : 0n),
  } as unknown as Interaction;
}

function server(roles: Role[], id = guildId): ServerRoles {
  return { id, roles: [{ id, name: "@everyone" }, ...roles] };
}

describe("actorOf: who moderates", () => {
  it("given a role named like the configured id, the member is not a moderator; the role with that id makes one", () => {
    const configuredId = "123456789012345678";
    const rule = { moderatorRoles: moderatorRoles(configuredId, recordingLogger().logger) };
    const namedLikeTheId = { id: "300000000000000003", name: configuredId };
    const theRole = { id: configuredId, name: "Helpers" };

    expect(actorOf(interactionBy([namedLikeTheId]), rule)?.isModerator).toBe(false);
    expect(actorOf(interactionBy([namedLikeTheId], { cached: false }), rule)?.isModerator).toBe(false);
    expect(actorOf(interactionBy([theRole]), rule)?.isModerator).toBe(true);
  });

  it("given the name held by two roles, no role grants moderator and a warning is logged", () => {
    const { logger, lines } = recordingLogger();
    const rule = { moderatorRoles: moderatorRoles(configuredName, logger) };
    rule.moderatorRoles.resolve(server([moderators, lookalike]));

    expect(actorOf(interactionBy([moderators]), rule)?.isModerator).toBe(false);
    expect(actorOf(interactionBy([lookalike]), rule)?.isModerator).toBe(false);
    // Manage Server keeps working without the role.
    expect(actorOf(interactionBy([], { manageServer: true }), rule)?.isModerator).toBe(true);
    expect(lines).toEqual([
      {
        level: "warn",
        fields: expect.objectContaining({ guild: guildId, roles: [moderators.id, lookalike.id] }),
        message: expect.stringContaining("set DISCORD_MODERATOR_ROLE to the role id"),
      },
    ]);
  });

  it("given the name held by one role at start-up, its id is logged and grants moderator even after a rename, and a role given the name later grants nothing", () => {
    const { logger, lines } = recordingLogger();
    const rule = { moderatorRoles: moderatorRoles(configuredName, logger) };
    rule.moderatorRoles.resolve(server([moderators]));

    expect(actorOf(interactionBy([moderators]), rule)?.isModerator).toBe(true);
    expect(actorOf(interactionBy([{ ...moderators, name: "Helpers" }]), rule)?.isModerator).toBe(true);
    expect(actorOf(interactionBy([lookalike]), rule)?.isModerator).toBe(false);
    expect(lines).toEqual([
      { level: "info", fields: { guild: guildId, role: moderators.id }, message: expect.any(String) },
    ]);
  });

  it("given no role of the name at start-up, one made with it later grants nothing and a warning says to use the role id", () => {
    const { logger, lines } = recordingLogger();
    const rule = { moderatorRoles: moderatorRoles(configuredName, logger) };
    rule.moderatorRoles.resolve(server([]));
    // A second look (a reconnect) changes nothing: the name is looked up once per server.
    rule.moderatorRoles.resolve(server([lookalike]));

    expect(actorOf(interactionBy([lookalike]), rule)?.isModerator).toBe(false);
    expect(lines).toEqual([
      {
        level: "warn",
        fields: expect.objectContaining({ guild: guildId, roles: [] }),
        message: expect.stringContaining("set DISCORD_MODERATOR_ROLE to the role id"),
      },
    ]);
  });

  it("given the name resolved in one server, it grants nothing in a server where it was refused or never looked up", () => {
    const rule = { moderatorRoles: moderatorRoles(configuredName, recordingLogger().logger) };
    rule.moderatorRoles.resolve(server([moderators]));
    const twice = [
      { id: "300000000000000004", name: configuredName },
      { id: "300000000000000005", name: configuredName },
    ];
    rule.moderatorRoles.resolve(server(twice, otherGuildId));

    expect(actorOf(interactionBy([moderators]), rule)?.isModerator).toBe(true);
    expect(actorOf(interactionBy(twice, { guild: otherGuildId }), rule)?.isModerator).toBe(false);
    const unseen = "333333333333333333";
    expect(actorOf(interactionBy([moderators], { guild: unseen }), rule)?.isModerator).toBe(false);
  });

  it("given an uncached server's member (role ids only), the id resolved from the name grants moderator", () => {
    const rule = { moderatorRoles: moderatorRoles(configuredName, recordingLogger().logger) };
    rule.moderatorRoles.resolve(server([moderators]));

    expect(actorOf(interactionBy([moderators], { cached: false }), rule)?.isModerator).toBe(true);
    expect(actorOf(interactionBy([lookalike], { cached: false }), rule)?.isModerator).toBe(false);
  });
});

describe("watchModeratorRoles", () => {
  /** Only what the watcher reads of a server. */
  function guild(id: string, roles: Role[]): Guild {
    const all = [{ id, name: "@everyone" }, ...roles];
    return {
      id,
      available: true,
      roles: { cache: new Collection(all.map((role) => [role.id, role])) },
    } as never;
  }

  it("given the servers at ready and one joined later, each is looked up when it arrives, and again after the bot left and rejoined", async () => {
    const { logger } = recordingLogger();
    const client = new Client({ intents: [] });
    try {
      const roles = watchModeratorRoles(client, configuredName, logger);
      const ready = { guilds: { cache: new Collection([[guildId, guild(guildId, [moderators])]]) } };
      client.emit(Events.ClientReady, ready as never);
      const joined = { id: "300000000000000006", name: configuredName };
      client.emit(Events.GuildCreate, guild(otherGuildId, [joined]));

      expect(roles.idIn(guildId)).toBe(moderators.id);
      expect(roles.idIn(otherGuildId)).toBe(joined.id);

      client.emit(Events.GuildDelete, guild(otherGuildId, [joined]));
      client.emit(
        Events.GuildCreate,
        guild(otherGuildId, [joined, { ...lookalike, id: "300000000000000007" }]),
      );
      expect(roles.idIn(otherGuildId)).toBeUndefined();
    } finally {
      await client.destroy();
    }
  });
});
