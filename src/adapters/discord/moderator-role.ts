import { type Client, Events, type Guild } from "discord.js";
import type { Logger } from "../../core/ports/logger.js";

/** A Discord id: 17–20 digits. A configured value of this shape is a role id, never a name. */
const SNOWFLAKE = /^\d{17,20}$/;

/** What the lookup needs of a server: its id and its roles. */
export interface ServerRoles {
  id: string;
  roles: Iterable<{ id: string; name: string }>;
}

/**
 * The role whose members moderate, as one role id per server. Interactions are matched by id only:
 * a name is looked up once per server, so a role someone makes or renames later never takes it over.
 */
export interface ModeratorRoles {
  /** The role id that grants moderator in this server; undefined when none does. */
  idIn(guildId: string): string | undefined;
  /** Looks the configured name up among the server's roles, unless it was already; logs the outcome. */
  resolve(server: ServerRoles): void;
  /** Forgets a server the bot left, so joining it again looks the name up afresh. */
  forget(guildId: string): void;
}

/** The moderator role from DISCORD_MODERATOR_ROLE: a role id as it is, or a name resolved per server. */
export function moderatorRoles(configured: string, logger: Logger): ModeratorRoles {
  if (SNOWFLAKE.test(configured)) {
    return { idIn: () => configured, resolve: () => {}, forget: () => {} };
  }
  const wanted = configured.toLowerCase();
  // Per server: the role id, or null when the name was refused there.
  const resolved = new Map<string, string | null>();
  return {
    idIn: (guildId) => resolved.get(guildId) ?? undefined,
    resolve(server) {
      if (resolved.has(server.id)) return;
      // @everyone (whose id is the server's) is every member, never a moderator role.
      const named = [...server.roles].filter(
        (role) => role.id !== server.id && role.name.toLowerCase() === wanted,
      );
      const [only] = named;
      if (named.length === 1 && only) {
        resolved.set(server.id, only.id);
        logger.info({ guild: server.id, role: only.id }, "discord moderator role found by name");
        return;
      }
      resolved.set(server.id, null);
      const refused = { guild: server.id, name: configured, roles: named.map((role) => role.id) };
      if (named.length === 0) {
        logger.warn(
          { ...refused, reason: "no role has this name" },
          "discord moderator role refused here: no role has that name; set DISCORD_MODERATOR_ROLE to the role id",
        );
      } else {
        logger.warn(
          { ...refused, reason: "several roles have this name" },
          "discord moderator role refused here: several roles have that name; set DISCORD_MODERATOR_ROLE to the role id",
        );
      }
    },
    forget: (guildId) => void resolved.delete(guildId),
  };
}

function rolesOf(guild: Guild): ServerRoles {
  return { id: guild.id, roles: guild.roles.cache.values() };
}

/**
 * The moderator roles of the servers this client is in: looked up when it is ready, when a server
 * that was unavailable then comes back, and when it joins one. The state is held here, not on the client.
 */
export function watchModeratorRoles(client: Client, configured: string, logger: Logger): ModeratorRoles {
  const roles = moderatorRoles(configured, logger);
  client.once(Events.ClientReady, (ready) => {
    for (const guild of ready.guilds.cache.values()) if (guild.available) roles.resolve(rolesOf(guild));
  });
  client.on(Events.GuildAvailable, (guild) => {
    // Before ready, the ready handler does every server at once.
    if (client.isReady()) roles.resolve(rolesOf(guild));
  });
  client.on(Events.GuildCreate, (guild) => roles.resolve(rolesOf(guild)));
  client.on(Events.GuildDelete, (guild) => roles.forget(guild.id));
  return roles;
}
