/**
 * The JSON objects Discord sends about users, members, channels, servers and messages, built from the
 * fake's state. The types come from discord-api-types (re-exported by discord.js), so the compiler
 * checks that each object carries every field the real API promises.
 */
import {
  type APIAttachment,
  type APIDMChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APITextChannel,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  MessageType,
} from "discord.js";
import type { ChannelState, FakeUser, GuildState, Member, StoredMessage, World } from "./world.js";

/** Discord's flag enums have no member for "none", yet 0 is what it sends when no flag is set. */
export const noFlags = 0 as never;

export function apiUser(user: FakeUser, bot = false): APIUser {
  return {
    id: user.id,
    username: user.username,
    // Usernames without a #1234 tag report the discriminator "0".
    discriminator: "0",
    global_name: user.globalName ?? null,
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}

export function apiMember(member: Member, bot = false): APIGuildMember {
  return {
    user: apiUser(member.user, bot),
    nick: null,
    avatar: null,
    roles: member.roles,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: noFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A member as an interaction carries it: with their permissions in the channel. */
export function interactionMember(member: Member, permissions: string): APIInteractionGuildMember {
  return { ...apiMember(member), user: apiUser(member.user), permissions };
}

export function apiChannel(world: World, channel: ChannelState): APITextChannel | APIDMChannel {
  if (channel.recipient) {
    return {
      id: channel.id,
      type: ChannelType.DM,
      name: null,
      recipients: [apiUser(channel.recipient)],
      last_message_id: null,
      flags: noFlags,
    };
  }
  const guild = world.guild(channel.guildId ?? "");
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: guild.config.id,
    name: channel.name,
    position: guild.config.channels.findIndex((c) => c.id === channel.id),
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: noFlags,
  };
}

/** What the bot learns about a server when it connects (GUILD_CREATE). */
export function guildCreate(world: World, guild: GuildState): GatewayGuildCreateDispatchData {
  const { config } = guild;
  const channels = config.channels.flatMap((c) => {
    const state = world.channels.get(c.id);
    const channel = state && apiChannel(world, state);
    return channel?.type === ChannelType.GuildText ? [channel] : [];
  });
  const bot = guild.members.get(world.botUser.id);
  return {
    id: config.id,
    name: config.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: config.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    mfa_level: GuildMFALevel.None,
    nsfw_level: GuildNSFWLevel.Default,
    premium_tier: GuildPremiumTier.None,
    premium_progress_bar_enabled: false,
    system_channel_id: config.channels[0]?.id ?? null,
    system_channel_flags: noFlags,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    application_id: null,
    hub_type: null,
    incidents_data: null,
    preferred_locale: Locale.EnglishUS,
    features: [],
    emojis: [],
    stickers: [],
    roles: guild.roles,
    joined_at: bot?.joinedAt ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    // With only the Guilds intent Discord sends just the bot's own member here.
    members: bot ? [apiMember(bot, true)] : [],
    channels,
    threads: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** READY for one session: the servers of its shard (every server when it named none). */
export function ready(
  world: World,
  sessionId: string,
  resumeUrl: string,
  shard: [id: number, count: number] | null,
  guildIds: string[],
): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...apiUser(world.botUser, true), verified: true, mfa_enabled: false, flags: noFlags },
    // Servers arrive unavailable here and fill in with one GUILD_CREATE each.
    guilds: guildIds.map((id) => ({ id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: shard ?? [0, 1],
    application: { id: world.applicationId, flags: noFlags, flags_new: "0" },
  };
}

export function apiMessage(world: World, message: StoredMessage, attachmentBase: string): APIMessage {
  const { body } = message;
  const attachments: APIAttachment[] = message.files.map((file) => {
    const url = `${attachmentBase}/${message.channelId}/${file.id}/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      filename: file.name,
      content_type: file.contentType,
      size: file.size,
      url,
      proxy_url: url,
    };
  });
  const fromInteraction = message.interactionToken !== null;
  return {
    id: message.id,
    channel_id: message.channelId,
    author: apiUser(world.botUser, true),
    content: body.content ?? "",
    timestamp: message.createdAt,
    edited_timestamp: message.editedAt,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments,
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: fromInteraction ? MessageType.ChatInputCommand : MessageType.Default,
    flags: body.flags ?? 0,
    ...(fromInteraction ? { webhook_id: world.applicationId, application_id: world.applicationId } : {}),
  };
}
