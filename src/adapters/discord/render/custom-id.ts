import type { AnyCommand } from "../../../core/commands/command.js";
import type { Action, Choice } from "../../../core/messages.js";
import { decodeActionPath, encodeActionPath } from "../../shared/action-path.js";
import { limits } from "./limits.js";

/** What a button or form carries back: run the action, or ask for text first and then run it. */
export interface ChoiceAction {
  mode: "run" | "ask";
  action: Action;
}

const prefixes = { run: "run:", ask: "ask:" } as const;

/**
 * The custom_id that makes a button or form carry the action: `run:` or `ask:` and the action's path
 * (see action-path.ts), e.g. `run:/answer w01-left b`. Undefined when it cannot be written or would
 * pass Discord's 100 characters: the button is left out and the message lists its choices instead.
 */
export function customIdFor(choice: ChoiceAction): string | undefined {
  const path = encodeActionPath(choice.action);
  const id = path === undefined ? undefined : prefixes[choice.mode] + path;
  return id !== undefined && id.length <= limits.customId ? id : undefined;
}

export function choiceAction(choice: Choice): ChoiceAction {
  return { mode: choice.input ? "ask" : "run", action: choice.action };
}

/** A pressed button's or submitted form's custom_id back to its action; undefined for any id Quorum did not write. */
export function parseCustomId(id: string, commands: readonly AnyCommand[]): ChoiceAction | undefined {
  if (id.length > limits.customId) return undefined;
  for (const mode of ["run", "ask"] as const) {
    if (!id.startsWith(prefixes[mode])) continue;
    const action = decodeActionPath(id.slice(prefixes[mode].length), commands);
    return action && { mode, action };
  }
  return undefined;
}
