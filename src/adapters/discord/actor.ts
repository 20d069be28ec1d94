import { type Interaction, PermissionFlagsBits } from "discord.js";
import type { Actor } from "../../core/ports/identity.js";
import type { ModeratorRoles } from "./moderator-role.js";

/** What decides who moderates, beyond Manage Server: a role the server gives its moderators. */
export interface ModeratorRule {
  /** The configured role as a role id per server; members holding it may run moderator commands. */
  moderatorRoles: ModeratorRoles;
}

/** By role id only: a role's name is anyone's to choose, so it never grants anything here. */
function holdsRole(interaction: Interaction, rule: ModeratorRule): boolean {
  const member = interaction.member;
  const roleId = interaction.guildId ? rule.moderatorRoles.idIn(interaction.guildId) : undefined;
  if (!member || !roleId) return false;
  // A cached member has a role manager; an uncached one only role ids.
  return Array.isArray(member.roles) ? member.roles.includes(roleId) : member.roles.cache.has(roleId);
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
