import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsJSONBody,
} from "discord.js";
import { type ArgSpec, argSpecs } from "../../../core/commands/args.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { TOTAL_WEEKS } from "../../../core/rules/schedule.js";

/** Discord's limit for every description: commands, subcommands and options. */
export const DESCRIPTION_LIMIT = 100;

/** Told on a required multi-line argument that Discord shows as optional. */
export const FORM_HINT = " (leave empty to type it in a form)";

function shorten(text: string, limit = DESCRIPTION_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

const namesCache = new WeakMap<readonly AnyCommand[], Map<AnyCommand, string>>();

/**
 * The words a command has on Discord: its own name, except for a group's root ("challenge" beside
 * "challenge list"), which Discord cannot run with options, so its alias inside the group is used.
 */
export function discordNames(commands: readonly AnyCommand[]): Map<AnyCommand, string> {
  const cached = namesCache.get(commands);
  if (cached) return cached;
  const names = new Map<AnyCommand, string>();
  for (const command of commands) {
    const words = command.name.split(" ");
    if (words.length > 2) {
      throw new Error(
        `Command "${command.name}" has more than two words; Discord's subcommand groups are not supported.`,
      );
    }
    const isGroupRoot =
      words.length === 1 && commands.some((other) => other.name.startsWith(`${command.name} `));
    if (!isGroupRoot) {
      names.set(command, command.name);
      continue;
    }
    const alias = command.aliases?.find((a) => a.split(" ").length === 2 && a.startsWith(`${command.name} `));
    if (!alias) {
      throw new Error(
        `Command "${command.name}" is also a group with subcommands, and Discord cannot give a group options ` +
          `of its own: give it an alias inside the group, e.g. aliases: ["${command.name} open"].`,
      );
    }
    names.set(command, alias);
  }
  const taken = new Map<string, AnyCommand>();
  for (const [command, name] of names) {
    const other = taken.get(name);
    if (other) {
      throw new Error(`Commands "${other.name}" and "${command.name}" both map to /${name} on Discord.`);
    }
    taken.set(name, command);
  }
  namesCache.set(commands, names);
  return names;
}

/** The option a core argument becomes; a suggestion source becomes autocomplete, enums become choices. */
function optionOf(spec: ArgSpec): APIApplicationCommandBasicOption {
  // The bot asks for a missing multi-line text in a modal, so Discord must let it be left out.
  const askedInForm = spec.required && spec.multiline;
  const base = {
    name: spec.name,
    description: askedInForm
      ? shorten(spec.description, DESCRIPTION_LIMIT - FORM_HINT.length) + FORM_HINT
      : shorten(spec.description),
    required: spec.required && !askedInForm,
  };
  if (spec.refers === "user") return { ...base, type: ApplicationCommandOptionType.User };
  if (spec.refers === "channel") {
    return { ...base, type: ApplicationCommandOptionType.Channel, channel_types: [ChannelType.GuildText] };
  }
  if (spec.type === "integer") {
    const integer = {
      ...base,
      type: ApplicationCommandOptionType.Integer as const,
      ...(spec.suggest === "week" ? { min_value: 1, max_value: TOTAL_WEEKS } : {}),
    };
    // Discord refuses autocomplete together with fixed choices, so choices win.
    if (spec.choices) {
      return { ...integer, choices: spec.choices.map((c) => ({ name: c, value: Number(c) })) };
    }
    return spec.suggest ? { ...integer, autocomplete: true } : integer;
  }
  const string = { ...base, type: ApplicationCommandOptionType.String as const };
  if (spec.choices) return { ...string, choices: spec.choices.map((c) => ({ name: c, value: c })) };
  return spec.suggest ? { ...string, autocomplete: true } : string;
}

/** Discord wants every required option before the optional ones; the core's order is kept otherwise. */
function optionsOf(command: AnyCommand): APIApplicationCommandBasicOption[] {
  const options = argSpecs(command).map(optionOf);
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
}

function subcommandOf(command: AnyCommand, name: string): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description: shorten(command.summary),
    options: optionsOf(command),
  };
}

function groupDescription(root: string, subcommands: readonly string[]): string {
  return shorten(`${root.charAt(0).toUpperCase()}${root.slice(1)}: ${subcommands.join(", ")}`);
}

/**
 * The slash commands Discord registers, derived from the core's definitions: "track join" becomes the
 * subcommand join of /track; a one-word command becomes a top-level command with its options.
 */
export function slashCommands(commands: readonly AnyCommand[]): RESTPutAPIApplicationCommandsJSONBody {
  const names = discordNames(commands);
  const groups = new Map<string, { command: AnyCommand; words: string[] }[]>();
  for (const command of commands) {
    const words = (names.get(command) ?? command.name).split(" ");
    const root = words[0] ?? command.name;
    const group = groups.get(root) ?? [];
    group.push({ command, words });
    groups.set(root, group);
  }

  return [...groups].map(([root, members]): RESTPostAPIChatInputApplicationCommandsJSONBody => {
    const single = members.length === 1 && members[0]?.words.length === 1 ? members[0].command : undefined;
    let description: string;
    let options: APIApplicationCommandOption[];
    if (single) {
      description = shorten(single.summary);
      options = optionsOf(single);
    } else {
      const subcommands = members.map(({ command, words }) => {
        const name = words[1];
        // Unreachable while discordNames maps every group root to an alias inside the group.
        if (!name) throw new Error(`Command "${command.name}" has no subcommand name on Discord.`);
        return subcommandOf(command, name);
      });
      description = groupDescription(
        root,
        subcommands.map((s) => s.name),
      );
      options = subcommands;
    }
    // Discord sets permissions per top-level command: a group that mixes moderator and everyone
    // subcommands stays visible to all, and the core's dispatcher refuses non-moderators at run time.
    const moderatorsOnly = members.every(({ command }) => command.audience === "moderator");
    return {
      type: ApplicationCommandType.ChatInput,
      name: root,
      description,
      options,
      default_member_permissions: moderatorsOnly ? String(PermissionFlagsBits.ManageGuild) : null,
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    };
  });
}
