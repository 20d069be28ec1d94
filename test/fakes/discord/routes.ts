/**
 * Every REST route the fake serves, in the order they are tried. Anything else answers 404 and is
 * recorded with `route: null`.
 */
import { type APIApplicationCommand, type APIRole, GatewayDispatchEvents } from "discord.js";
import { snowflake } from "./ids.js";
import { apiChannel, apiMember, apiMessage, apiUser } from "./payloads.js";
import type { MessageBody } from "./requests.js";
import { discordError, ok, type Reply, type Route, type RouteContext } from "./rest.js";
import { interactionRoutes } from "./routes-interactions.js";
import type { GuildState, World } from "./world.js";

const unknownChannel = discordError(404, 10003, "Unknown Channel");
const unknownGuild = discordError(404, 10004, "Unknown Guild");
const unknownMember = discordError(404, 10007, "Unknown Member");
const unknownMessage = discordError(404, 10008, "Unknown Message");
const unknownRole = discordError(404, 10011, "Unknown Role");
const missingPermissions = discordError(403, 50013, "Missing Permissions");

function attachments(context: RouteContext): string {
  return `${context.origin}/attachments`;
}

/** Runs `then` with the server the route names, or answers Unknown Guild. */
function inGuild(context: RouteContext, then: (guild: GuildState) => Reply): Reply {
  const guild = context.world.guilds.get(context.params.guild ?? "");
  return guild ? then(guild) : unknownGuild;
}

/** Checks a member role change the way Discord does, then applies `change` to the member's roles. */
function changeMemberRole(context: RouteContext, change: (roles: string[], role: string) => string[]): Reply {
  return inGuild(context, (guild) => {
    if (guild.config.botCanManageRoles === false) return missingPermissions;
    const member = guild.members.get(context.params.user ?? "");
    if (!member) return unknownMember;
    const role = context.params.role ?? "";
    if (!guild.roles.some((r) => r.id === role)) return unknownRole;
    member.roles = change(member.roles, role);
    return ok();
  });
}

/** Stores a full command list (PUT replaces them all), keeping the ids of commands that stay. */
function registerCommands(
  world: World,
  scope: string,
  body: unknown,
  guildId?: string,
): APIApplicationCommand[] {
  const previous = world.commands.get(scope) ?? [];
  const sent = (Array.isArray(body) ? body : []) as Partial<APIApplicationCommand>[];
  const stored = sent.map(
    (command): APIApplicationCommand => ({
      ...command,
      id: previous.find((p) => p.name === command.name && p.type === (command.type ?? 1))?.id ?? snowflake(),
      application_id: world.applicationId,
      type: command.type ?? 1,
      name: command.name ?? "",
      description: command.description ?? "",
      default_member_permissions: command.default_member_permissions ?? null,
      version: snowflake(),
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    }),
  );
  world.commands.set(scope, stored);
  return stored;
}

function rightApplication(context: RouteContext): boolean {
  return context.params.application === context.world.applicationId;
}

const unknownApplication = discordError(404, 10002, "Unknown Application");

export const routes: Route[] = [
  {
    method: "GET",
    pattern: "/gateway/bot",
    handle: ({ origin, world }) =>
      ok({
        url: `${origin.replace(/^http/, "ws")}/gateway`,
        // Discord recommends about one shard per 1,000 servers.
        shards: Math.max(1, Math.ceil(world.guilds.size / 1000)),
        // As most bots get: one IDENTIFY per 5 s, so discord.js starts a process's shards 5 s apart.
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
  },
  { method: "GET", pattern: "/users/@me", handle: ({ world }) => ok(apiUser(world.botUser, true)) },
  {
    method: "GET",
    pattern: "/users/:user",
    handle({ world, params }) {
      const user = world.users.get(params.user ?? "");
      return user ? ok(apiUser(user)) : discordError(404, 10013, "Unknown User");
    },
  },
  {
    // Opens (or finds) the bot's direct-message channel with someone.
    method: "POST",
    pattern: "/users/@me/channels",
    handle({ world, body }) {
      const user = world.users.get(String((body as { recipient_id?: unknown } | null)?.recipient_id));
      if (!user) return discordError(400, 50033, "Invalid Recipient(s)");
      return ok(apiChannel(world, world.openDm(user)));
    },
  },
  {
    method: "GET",
    pattern: "/channels/:channel",
    handle({ world, params }) {
      const channel = world.channels.get(params.channel ?? "");
      return channel ? ok(apiChannel(world, channel)) : unknownChannel;
    },
  },
  {
    method: "POST",
    pattern: "/channels/:channel/messages",
    handle(context) {
      const { world, params } = context;
      const channel = world.channels.get(params.channel ?? "");
      if (!channel) return unknownChannel;
      if (channel.recipient && world.closedDms.has(channel.recipient.id)) {
        return discordError(403, 50007, "Cannot send messages to this user");
      }
      if (!channel.botCanSend) return discordError(403, 50001, "Missing Access");
      const body = (context.body ?? {}) as MessageBody;
      // Discord answers a repeated nonce with the message it already made, when asked to enforce it.
      const repeated = body.enforce_nonce === true ? world.withNonce(channel.id, body.nonce) : undefined;
      if (repeated) return ok(apiMessage(world, repeated, attachments(context)));
      const message = world.post(channel.id, body, context.files);
      return ok(apiMessage(world, message, attachments(context)));
    },
  },
  {
    method: "PATCH",
    pattern: "/channels/:channel/messages/:message",
    handle(context) {
      const message = context.world.messages.get(context.params.message ?? "");
      if (!message || message.channelId !== context.params.channel) return unknownMessage;
      context.world.edit(message, (context.body ?? {}) as MessageBody, context.files);
      return ok(apiMessage(context.world, message, attachments(context)));
    },
  },
  {
    method: "DELETE",
    pattern: "/channels/:channel/messages/:message",
    handle({ world, params }) {
      const message = world.messages.get(params.message ?? "");
      if (!message || message.channelId !== params.channel) return unknownMessage;
      world.messages.delete(message.id);
      return ok();
    },
  },
  {
    method: "GET",
    pattern: "/guilds/:guild/roles",
    handle: (context) => inGuild(context, (guild) => ok(guild.roles)),
  },
  {
    method: "POST",
    pattern: "/guilds/:guild/roles",
    handle: (context) =>
      inGuild(context, (guild) => {
        if (guild.config.botCanManageRoles === false) return missingPermissions;
        const role = context.world.createRole(guild.config.id, (context.body ?? {}) as Partial<APIRole>);
        // With the Guilds intent Discord also tells the bot over the gateway.
        context.gateway.notify(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guild.config.id, role });
        return ok(role);
      }),
  },
  {
    method: "GET",
    pattern: "/guilds/:guild/members/:user",
    handle: (context) =>
      inGuild(context, (guild) => {
        const member = guild.members.get(context.params.user ?? "");
        return member ? ok(apiMember(member, member.user.id === context.world.botUser.id)) : unknownMember;
      }),
  },
  {
    method: "PUT",
    pattern: "/guilds/:guild/members/:user/roles/:role",
    handle: (context) =>
      changeMemberRole(context, (roles, role) => (roles.includes(role) ? roles : [...roles, role])),
  },
  {
    method: "DELETE",
    pattern: "/guilds/:guild/members/:user/roles/:role",
    handle: (context) => changeMemberRole(context, (roles, role) => roles.filter((r) => r !== role)),
  },
  {
    method: "PUT",
    pattern: "/applications/:application/commands",
    handle: (context) =>
      rightApplication(context)
        ? ok(registerCommands(context.world, "global", context.body))
        : unknownApplication,
  },
  {
    method: "GET",
    pattern: "/applications/:application/commands",
    handle: (context) =>
      rightApplication(context) ? ok(context.world.commands.get("global") ?? []) : unknownApplication,
  },
  {
    method: "PUT",
    pattern: "/applications/:application/guilds/:guild/commands",
    handle: (context) =>
      !rightApplication(context)
        ? unknownApplication
        : inGuild(context, (guild) =>
            ok(registerCommands(context.world, guild.config.id, context.body, guild.config.id)),
          ),
  },
  {
    method: "GET",
    pattern: "/applications/:application/guilds/:guild/commands",
    handle: (context) =>
      !rightApplication(context)
        ? unknownApplication
        : inGuild(context, (guild) => ok(context.world.commands.get(guild.config.id) ?? [])),
  },
  ...interactionRoutes,
];
