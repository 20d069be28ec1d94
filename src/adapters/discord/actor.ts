import { type Interaction, PermissionFlagsBits } from "discord.js";
import type { Actor } from "../../core/ports.js";

/** What decides who moderates, beyond Manage Server: a role the server gives its moderators. */
export interface ModeratorRule {
  /** A role name (any case) or role id; members holding it may run moderator commands. */
  moderatorRole: string;
}

function holdsRole(interaction: Interaction, rule: ModeratorRule): boolean {
  const member = interaction.member;
  if (!member) return false;
  const wanted = rule.moderatorRole.toLowerCase();
  // A cached member has Role objects; an uncached one only role ids.
  if (Array.isArray(member.roles)) return member.roles.includes(rule.moderatorRole);
  return member.roles.cache.some(
    (role) => role.id === rule.moderatorRole || role.name.toLowerCase() === wanted,
  );
}

/**
 * The person behind an interaction, as the core sees them. Moderator is decided here, on every
 * interaction, from the permissions Discord sends with it (Manage Server) or the configured role.
 */
export function actorOf(interaction: Interaction, rule: ModeratorRule): Actor | undefined {
  const guildId = interaction.guildId;
  if (!guildId) return undefined;
  const managesServer = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
  const member = interaction.member;
  const nick = member && !Array.isArray(member.roles) && "displayName" in member ? member.displayName : null;
  const actor: Actor = {
    platform: "discord",
    spaceExternalId: guildId,
    spaceName: interaction.guild?.name ?? guildId,
    userExternalId: interaction.user.id,
    displayName: nick ?? interaction.user.globalName ?? interaction.user.username,
    isModerator: managesServer || holdsRole(interaction, rule),
  };
  if (interaction.channelId) actor.channelExternalId = interaction.channelId;
  return actor;
}
