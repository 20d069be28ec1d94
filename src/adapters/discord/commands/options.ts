import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType,
} from "discord.js";
import { type ArgSpec, argSpecs } from "../../../core/commands/args.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { discordNames } from "./definitions.js";

/**
 * What both a slash command and an autocomplete request carry: the top-level name and the option tree.
 * APIChatInputApplicationCommandInteractionData and APIAutocompleteApplicationCommandInteractionData fit it.
 */
export interface CommandData {
  name: string;
  options?: readonly APIApplicationCommandInteractionDataOption[] | undefined;
}

interface Located {
  command: AnyCommand;
  /** The options given to the command itself, below any subcommand. */
  options: readonly APIApplicationCommandInteractionDataBasicOption[];
}

/** Finds which core command an interaction names: "/track join" arrives as track + subcommand join. */
function locate(commands: readonly AnyCommand[], data: CommandData): Located | undefined {
  const top = data.options ?? [];
  const subcommand = top.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
  // Subcommand groups are never registered, so one here means the commands are out of date.
  if (top.some((option) => option.type === ApplicationCommandOptionType.SubcommandGroup)) return undefined;
  const name = subcommand ? `${data.name} ${subcommand.name}` : data.name;
  for (const [command, discordName] of discordNames(commands)) {
    if (discordName !== name) continue;
    const options = subcommand
      ? (subcommand.options ?? [])
      : top.filter(
          (option): option is APIApplicationCommandInteractionDataBasicOption =>
            option.type !== ApplicationCommandOptionType.Subcommand,
        );
    return { command, options };
  }
  return undefined;
}

/** The option's value as text, as the core's zod schemas expect it; users and channels give their id. */
function textOf(option: APIApplicationCommandInteractionDataBasicOption): string {
  return String(option.value);
}

/** The core command an interaction runs and its raw arguments, or undefined when it is not one we know. */
export function readCommand(
  commands: readonly AnyCommand[],
  data: CommandData,
): { command: AnyCommand; args: Record<string, string> } | undefined {
  const located = locate(commands, data);
  if (!located) return undefined;
  const specs = argSpecs(located.command);
  const args: Record<string, string> = {};
  for (const option of located.options) {
    // Options the core no longer declares come from stale registrations; the rest still runs.
    if (specs.some((spec) => spec.name === option.name)) args[option.name] = textOf(option);
  }
  return { command: located.command, args };
}

/** The argument being typed in an autocomplete request, and what has been typed so far. */
export function focusedOption(
  commands: readonly AnyCommand[],
  data: CommandData,
): { command: AnyCommand; spec: ArgSpec; typed: string } | undefined {
  const located = locate(commands, data);
  if (!located) return undefined;
  const focused = located.options.find((option) => "focused" in option && option.focused === true);
  if (!focused) return undefined;
  const spec = argSpecs(located.command).find((s) => s.name === focused.name);
  if (!spec) return undefined;
  return { command: located.command, spec, typed: textOf(focused) };
}

/** The required multi-line argument left empty, which the bot asks for in a modal instead. */
export function missingMultiline(command: AnyCommand, args: Record<string, string>): ArgSpec | undefined {
  return argSpecs(command).find((spec) => spec.required && spec.multiline && !args[spec.name]?.trim());
}
