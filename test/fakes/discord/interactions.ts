/**
 * What Discord sends the bot when someone uses it (INTERACTION_CREATE): the envelope every
 * interaction shares, and the data of a slash command or an autocomplete keystroke (buttons and
 * modals: components.ts). Option types come from the command the bot registered (so a `user` option
 * carries a resolved user), or from the JavaScript value when it registered nothing by that name.
 */
import {
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  InteractionType,
  Locale,
} from "discord.js";
import { interactionToken, snowflake } from "./ids.js";
import { apiChannel, apiUser, interactionMember } from "./payloads.js";
import type { FakeUser, InteractionState, World } from "./world.js";

export type OptionValue = string | number | boolean | FakeUser;

/** Who uses the bot, and where. */
export interface Actor {
  user: FakeUser;
  /** Defaults to the first server; null means a direct message with the bot. */
  guildId?: string | null;
  /** Defaults to the server's first channel (or the DM channel). */
  channelId?: string;
  /** Their permissions in the channel; default `memberPermissions` (the owner: all). */
  permissions?: string;
  /** Replaces their role ids in the server; otherwise they keep the roles they have there. */
  roles?: string[];
  locale?: Locale;
  /**
   * Discord has already forgotten the interaction (answered too late): its callback answers 404
   * Unknown interaction (10062) and its webhook 404 Unknown Webhook.
   */
  expired?: boolean;
}

export interface SlashInput extends Actor {
  name: string;
  group?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
}

export interface AutocompleteInput extends SlashInput {
  /** The option being typed; its partial text is `options[focused]` (default ""). */
  focused: string;
}

/** An interaction ready to send, and its record for the REST routes. */
export interface Built {
  payload: Record<string, unknown>;
  state: InteractionState;
}

interface OptionPayload {
  type: ApplicationCommandOptionType;
  name: string;
  value?: string | number | boolean;
  focused?: boolean;
  options?: OptionPayload[];
}

/** The parts every interaction shares: ids, token, who and where, permissions. */
export function envelope(world: World, actor: Actor, type: InteractionType, label: string): Built {
  const guildId = actor.guildId === undefined ? ([...world.guilds.keys()][0] ?? null) : actor.guildId;
  const id = snowflake();
  const token = interactionToken(id);
  const channelId =
    actor.channelId ?? (guildId === null ? undefined : world.guild(guildId).config.channels[0]?.id);
  const channel =
    guildId === null && channelId === undefined
      ? world.openDm(actor.user)
      : world.channels.get(channelId ?? "");
  if (!channel || (guildId !== null && channel.guildId !== guildId)) {
    throw new Error(
      `Fake Discord: ${guildId === null ? "the DMs have" : `guild ${guildId} has`} no channel ${channelId}`,
    );
  }
  const where =
    guildId === null
      ? {
          user: apiUser(actor.user),
          context: InteractionContextType.BotDM,
          // A server-installed app used in its own DMs names guild "0" as the installation.
          authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: "0" },
          app_permissions: "0",
        }
      : {
          guild_id: guildId,
          guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
          guild_locale: Locale.EnglishUS,
          member: interactionMember(
            world.join(guildId, actor.user, actor.roles),
            actor.permissions ?? world.defaultPermissions(guildId, actor.user.id),
          ),
          context: InteractionContextType.Guild,
          authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guildId },
          app_permissions: world.botPermissions(guildId),
        };
  world.users.set(actor.user.id, actor.user);
  const state: InteractionState = {
    id,
    token,
    label,
    type,
    guildId,
    channelId: channel.id,
    callback: null,
    originalMessageId: null,
    originalEdits: 0,
  };
  const payload: Record<string, unknown> = {
    id,
    application_id: world.applicationId,
    type,
    token,
    version: 1,
    channel: apiChannel(world, channel),
    channel_id: channel.id,
    locale: actor.locale ?? Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
    ...where,
  };
  return { payload, state };
}

/** The command the bot registered under that name, in the server or globally. */
function registeredCommand(world: World, name: string, guildId: string | null) {
  const scopes = guildId === null ? ["global"] : [guildId, "global"];
  return scopes
    .flatMap((scope) => world.commands.get(scope) ?? [])
    .find((command) => command.name === name && command.type === ApplicationCommandType.ChatInput);
}

/** The option definitions of the command (and subcommand) the bot registered under that name. */
function definitionsFor(
  world: World,
  input: SlashInput,
  guildId: string | null,
): APIApplicationCommandOption[] {
  let options: APIApplicationCommandOption[] = registeredCommand(world, input.name, guildId)?.options ?? [];
  for (const level of [input.group, input.subcommand]) {
    if (level === undefined) continue;
    const nested = options.find((option) => option.name === level);
    options = nested && "options" in nested ? ((nested.options ?? []) as APIApplicationCommandOption[]) : [];
  }
  return options;
}

type Resolved = Required<Pick<APIInteractionDataResolved, "users" | "members" | "channels" | "roles">>;

/** Adds what an option names (a user, a channel, a role) to `resolved`, as Discord does. */
function resolveMention(world: World, guildId: string | null, type: number, id: string, resolved: Resolved) {
  const guild = guildId === null ? undefined : world.guild(guildId);
  if (type === ApplicationCommandOptionType.User) {
    const user = world.users.get(id);
    if (user) resolved.users[id] = apiUser(user);
    const member = guild?.members.get(id);
    if (member && guildId) {
      const { user: _user, ...withoutUser } = interactionMember(
        member,
        world.defaultPermissions(guildId, id),
      );
      resolved.members[id] = withoutUser;
    }
  }
  const channel = type === ApplicationCommandOptionType.Channel ? world.channels.get(id) : undefined;
  if (channel) {
    resolved.channels[id] = { id, name: channel.name, type: ChannelType.GuildText, permissions: "0" };
  }
  const role = type === ApplicationCommandOptionType.Role ? guild?.roles.find((r) => r.id === id) : undefined;
  if (role) resolved.roles[id] = role;
}

function commandData(world: World, input: SlashInput, guildId: string | null, focused?: string) {
  const definitions = definitionsFor(world, input, guildId);
  const resolved: Resolved = { users: {}, members: {}, channels: {}, roles: {} };
  const values = { ...input.options };
  if (focused !== undefined) values[focused] ??= "";
  let options: OptionPayload[] = Object.entries(values).map(([name, raw]) => {
    const type = definitions.find((d) => d.name === name)?.type ?? typeOf(raw);
    if (typeof raw === "object") world.users.set(raw.id, raw);
    const value = typeof raw === "object" ? raw.id : raw;
    resolveMention(world, guildId, type, String(value), resolved);
    const numeric =
      type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number;
    if (name === focused) {
      // While typing, the focused option's value is the raw text, whatever its type.
      return { type, name, value: String(value), focused: true };
    }
    return { type, name, value: numeric ? Number(value) : value };
  });
  if (input.subcommand !== undefined) {
    options = [{ type: ApplicationCommandOptionType.Subcommand, name: input.subcommand, options }];
  }
  if (input.group !== undefined) {
    options = [{ type: ApplicationCommandOptionType.SubcommandGroup, name: input.group, options }];
  }
  return {
    id: registeredCommand(world, input.name, guildId)?.id ?? snowflake(),
    name: input.name,
    type: ApplicationCommandType.ChatInput,
    options,
    resolved,
    ...(guildId ? { guild_id: guildId } : {}),
  };
}

function typeOf(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === "object") return ApplicationCommandOptionType.User;
  if (typeof value === "boolean") return ApplicationCommandOptionType.Boolean;
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function commandLabel(input: SlashInput): string {
  return ["/" + input.name, input.group, input.subcommand].filter((part) => part !== undefined).join(" ");
}

export function slash(world: World, input: SlashInput): Built {
  const built = envelope(world, input, InteractionType.ApplicationCommand, commandLabel(input));
  built.payload.data = commandData(world, input, built.state.guildId);
  return built;
}

export function autocomplete(world: World, input: AutocompleteInput): Built {
  const label = `autocomplete ${commandLabel(input)} (${input.focused})`;
  const built = envelope(world, input, InteractionType.ApplicationCommandAutocomplete, label);
  const { resolved: _resolved, ...data } = commandData(world, input, built.state.guildId, input.focused);
  built.payload.data = data;
  return built;
}
