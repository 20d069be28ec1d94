import type {
  APIModalInteractionResponseCallbackData,
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  CommandInteractionOption,
  Interaction,
  ModalSubmitInteraction,
} from "discord.js";
import { argSpecs } from "../../../core/commands/args.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { type Core, handleText, invoke } from "../../../core/dispatch.js";
import { problem } from "../../../core/messages.js";
import type { Actor } from "../../../core/ports/identity.js";
import { suggest } from "../../../core/services/suggest.js";
import { actorOf, type ModeratorRule } from "../actor.js";
import { type CommandData, focusedOption, missingMultiline, readCommand } from "../commands/options.js";
import { customIdFor } from "../render/custom-id.js";
import { modalFor, parseCustomId } from "../render/modal.js";
import { type ResponseTiming, reportFailure, respondWith } from "./respond.js";

export interface InteractionDeps extends ResponseTiming, ModeratorRule {
  /** The core as this adapter serves it (with Discord's track roles). */
  core: Core;
}

/** Quotes a value that holds spaces, so the core's line parser reads it back as one argument. */
function quoted(value: string): string {
  if (!/\s/.test(value) && value !== "") return value;
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/**
 * The text line for a command and the arguments given so far, in the order they are typed;
 * undefined when an argument is left out before a given one, since a line is positional.
 */
export function commandLine(command: AnyCommand, args: Record<string, string>): string | undefined {
  const words = [`/${command.name}`];
  let gap = false;
  for (const spec of argSpecs(command)) {
    const value = args[spec.name];
    if (value === undefined) gap = true;
    else if (gap) return undefined;
    else words.push(quoted(value));
  }
  return words.join(" ");
}

/** discord.js's option objects carry the same name/type/value tree Discord sent. */
function commandData(interaction: ChatInputCommandInteraction | AutocompleteInteraction): CommandData {
  const plain = (options: readonly CommandInteractionOption[]): CommandData["options"] =>
    options.map((option) => ({
      name: option.name,
      type: option.type,
      ...(option.value === undefined ? {} : { value: option.value }),
      ...(option.focused ? { focused: true } : {}),
      ...(option.options ? { options: plain(option.options) } : {}),
    })) as CommandData["options"];
  return { name: interaction.commandName, options: plain(interaction.options.data) };
}

/** "your query (SQL, …)" → "Your query": a form's label is short (45 characters on Discord). */
function fieldLabel(description: string): string {
  const short = description.split(" (")[0] ?? description;
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/** The interaction's id, which Discord never reuses; prefixed so no other platform's id can equal it. */
export function eventKeyOf(interaction: Interaction): string {
  return `discord:${interaction.id}`;
}

const outsideServer = problem("Quorum works inside a server.", "Run it in a channel of your server.");
const staleCommand = problem(
  "This command is not one Quorum knows any more.",
  "The server's commands may be out of date: an operator runs npm run discord:deploy.",
);

/** A slash command's outcome: a form for a missing multi-line argument, a core command, or a stale one. */
export type SlashPlan =
  | { kind: "stale" }
  | { kind: "form"; modal: APIModalInteractionResponseCallbackData }
  | { kind: "run"; command: AnyCommand; args: Record<string, string> };

export function planSlashCommand(commands: readonly AnyCommand[], data: CommandData): SlashPlan {
  const found = readCommand(commands, data);
  if (!found) return { kind: "stale" };
  const { command, args } = found;
  const asked = missingMultiline(command, args);
  const line = asked && commandLine(command, args);
  // Slash options are one line, so a query is asked for in a form; a line too long for the form's
  // custom_id is run as it is, and the core says what is wrong.
  if (asked && line && customIdFor({ kind: "ask", line })) {
    const modal = modalFor({ line, title: line, label: fieldLabel(asked.description), multiline: true });
    return { kind: "form", modal };
  }
  return { kind: "run", command, args };
}

async function onSlashCommand(
  interaction: ChatInputCommandInteraction,
  actor: Actor,
  deps: InteractionDeps,
): Promise<void> {
  const plan = planSlashCommand(deps.core.commands, commandData(interaction));
  if (plan.kind === "stale") return await respondWith(interaction, async () => staleCommand, true, deps);
  if (plan.kind === "form") return void (await interaction.showModal(plan.modal));
  const { command, args } = plan;
  const privateHint = command.replies === "private";
  return await respondWith(
    interaction,
    () => invoke(deps.core, actor, command, args, eventKeyOf(interaction)),
    privateHint,
    deps,
  );
}

async function onButton(interaction: ButtonInteraction, actor: Actor, deps: InteractionDeps): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) return await respondWith(interaction, async () => staleCommand, true, deps);
  if (parsed.kind === "ask") {
    // The custom id holds only the command line; the form's words come from the message it sits on.
    const title = interaction.message.embeds[0]?.title ?? "Quorum";
    const button = interaction.component;
    const label = ("label" in button ? button.label : undefined) ?? "Your answer";
    await interaction.showModal(modalFor({ line: parsed.line, title, label, multiline: true }));
    return;
  }
  // Whoever presses, the answer is theirs alone: a channel's daily question answers each person privately.
  return await respondWith(
    interaction,
    async () => (await handleText(deps.core, actor, parsed.line, eventKeyOf(interaction))) ?? staleCommand,
    true,
    deps,
  );
}

async function onModalSubmit(
  interaction: ModalSubmitInteraction,
  actor: Actor,
  deps: InteractionDeps,
): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (parsed?.kind !== "ask") {
    return await respondWith(interaction, async () => staleCommand, true, deps);
  }
  const text = interaction.fields.getTextInputValue("text");
  return await respondWith(
    interaction,
    async () =>
      (await handleText(deps.core, actor, `${parsed.line} ${text}`, eventKeyOf(interaction))) ?? staleCommand,
    true,
    deps,
  );
}

/** The values Discord offers while an argument is typed; none for an argument without suggestions. */
export async function autocompleteChoices(
  core: Core,
  actor: Actor,
  data: CommandData,
): Promise<ApplicationCommandOptionChoiceData[]> {
  const focused = focusedOption(core.commands, data);
  const source = focused?.spec.suggest;
  if (!focused || !source) return [];
  const found = await suggest(core, actor, source, focused.typed);
  const integer = focused.spec.type === "integer";
  return found.map((s) => ({ name: s.label, value: integer ? Number(s.value) : s.value }));
}

async function onAutocomplete(
  interaction: AutocompleteInteraction,
  actor: Actor,
  deps: InteractionDeps,
): Promise<void> {
  await interaction.respond(await autocompleteChoices(deps.core, actor, commandData(interaction)));
}

/**
 * One interaction in, one reply out. Transport only: the core decides everything; any failure
 * becomes a private notice with a reference id and a log line, never a crash.
 */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  const actor = actorOf(interaction, deps);
  try {
    if (interaction.isAutocomplete()) {
      if (actor) return await onAutocomplete(interaction, actor, deps);
      return void (await interaction.respond([]));
    }
    if (!interaction.isRepliable()) return;
    if (!actor) return await respondWith(interaction, async () => outsideServer, true, deps);
    if (interaction.isChatInputCommand()) return await onSlashCommand(interaction, actor, deps);
    if (interaction.isButton()) return await onButton(interaction, actor, deps);
    if (interaction.isModalSubmit()) return await onModalSubmit(interaction, actor, deps);
  } catch (error) {
    if (interaction.isRepliable()) {
      await reportFailure(interaction, error, deps.core.logger, { interaction: interaction.id });
    } else {
      deps.core.logger.error({ err: error, interaction: interaction.id }, "discord autocomplete failed");
    }
  }
}
