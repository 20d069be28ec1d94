import type { z } from "zod";
import type { Action, ChoiceInput } from "../messages.js";
import { type ArgSpec, argSpecs } from "./args.js";
import type { AnyCommand, Command, CommandContext } from "./command.js";

/** The arguments an action may give a command: any of its own, as text. */
export type ActionArgs<Input extends z.ZodObject> = { [Name in keyof z.input<Input>]?: string };

/**
 * The action that runs `command` with `args`, its arguments in the order the command declares them
 * (adapters write them by place); undefined when one is left out before a given one.
 */
export function tryActionFor(
  command: AnyCommand,
  args: Readonly<Record<string, string>>,
): Action | undefined {
  const ordered: Record<string, string> = {};
  let gap = false;
  for (const spec of argSpecs(command)) {
    const value = args[spec.name];
    if (value === undefined) gap = true;
    else if (gap) return undefined;
    else ordered[spec.name] = value;
  }
  return { command: command.name, args: ordered };
}

/** The action for a choice the core offers; a left-out argument before a given one is a bug, so it throws. */
export function actionFor<Input extends z.ZodObject>(
  command: Pick<Command<Input>, "name" | "input">,
  args: ActionArgs<Input>,
): Action {
  const action = tryActionFor(command as AnyCommand, args as Record<string, string>);
  if (!action)
    throw new RangeError(`An action for /${command.name} leaves out an argument before a given one`);
  return action;
}

/** The argument a form fills: the first one the action leaves out. */
function formArg(command: AnyCommand, action: Action): ArgSpec | undefined {
  return argSpecs(command).find((spec) => action.args[spec.name] === undefined);
}

/** "your query (SQL, …)" → "Your query": a form's label is short (45 characters on Discord). */
function fieldLabel(description: string): string {
  const short = description.split(" (")[0] ?? description;
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/** The words of the form that asks for what the action leaves out; undefined when it leaves nothing out. */
export function formFor(
  command: AnyCommand,
  action: Action,
  ctx: Pick<CommandContext, "curriculum">,
): ChoiceInput | undefined {
  const asked = formArg(command, action);
  if (!asked) return undefined;
  return (
    command.form?.(action.args, ctx) ?? {
      title: `/${command.name}`,
      label: fieldLabel(asked.description),
      multiline: asked.multiline,
    }
  );
}

/**
 * The action with the text typed into its form as the first argument it leaves out, trimmed as a
 * typed line would be (nothing typed leaves it out, so the command says it is missing); undefined
 * when the action leaves nothing out.
 */
export function withTyped(command: AnyCommand, action: Action, typed: string): Action | undefined {
  const asked = formArg(command, action);
  if (!asked) return undefined;
  const text = typed.trim();
  return text === "" ? action : { command: action.command, args: { ...action.args, [asked.name]: text } };
}
