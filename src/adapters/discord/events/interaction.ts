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
import { tryActionFor } from "../../../core/commands/action.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { actionForm, type Core, handleAction, invoke } from "../../../core/dispatch.js";
import { problem } from "../../../core/messages.js";
import type { Actor } from "../../../core/ports/identity.js";
import { suggest } from "../../../core/services/suggest.js";
import { actorOf, type ModeratorRule } from "../actor.js";
import { type CommandData, focusedOption, missingMultiline, readCommand } from "../commands/options.js";
import { customIdFor, parseCustomId } from "../render/custom-id.js";
import { modalFor, readModalText } from "../render/modal.js";
import { type ResponseTiming, reportFailure, respondWith } from "./respond.js";

export interface InteractionDeps extends ResponseTiming, ModeratorRule {
  /** The core as this adapter serves it (with Discord's track roles). */
  core: Core;
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

export function planSlashCommand(core: Pick<Core, "commands" | "curriculum">, data: CommandData): SlashPlan {
  const found = readCommand(core.commands, data);
  if (!found) return { kind: "stale" };
  const { command, args } = found;
  const asked = missingMultiline(command, args);
  const action = asked && tryActionFor(command, args);
  const words = action && actionForm(core, action);
  // Slash options are one line, so a query is asked for in a form; an action too long for the form's
  // custom_id, or one with an option left out before the query, is run as it is and the core says what is wrong.
  if (action && words && customIdFor({ mode: "ask", action })) {
    return { kind: "form", modal: modalFor({ action, ...words }) };
  }
  return { kind: "run", command, args };
}

async function onSlashCommand(
  interaction: ChatInputCommandInteraction,
  actor: Actor,
  deps: InteractionDeps,
): Promise<void> {
  const plan = planSlashCommand(deps.core, commandData(interaction));
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
  const parsed = parseCustomId(interaction.customId, deps.core.commands);
  if (parsed?.mode === "ask") {
    // The form's words come from the core, for the action the button carries.
    const words = actionForm(deps.core, parsed.action);
    if (words) return void (await interaction.showModal(modalFor({ action: parsed.action, ...words })));
  }
  // Whoever presses, the answer is theirs alone: a channel's daily question answers each person privately.
  return await respondWith(
    interaction,
    async () =>
      (parsed?.mode === "run" &&
        (await handleAction(deps.core, actor, parsed.action, eventKeyOf(interaction)))) ||
      staleCommand,
    true,
    deps,
  );
}

async function onModalSubmit(
  interaction: ModalSubmitInteraction,
  actor: Actor,
  deps: InteractionDeps,
): Promise<void> {
  const parsed = parseCustomId(interaction.customId, deps.core.commands);
  const typed = readModalText(interaction.fields.components);
  return await respondWith(
    interaction,
    async () =>
      (parsed?.mode === "ask" &&
        (await handleAction(deps.core, actor, parsed.action, eventKeyOf(interaction), typed))) ||
      staleCommand,
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
