import type { Choice } from "../../../core/messages.js";
import { limits } from "./limits.js";

/** What a button or form carries back: run the command line, or ask for text and then run it. */
export interface ChoiceAction {
  kind: "run" | "ask";
  line: string;
}

const prefixes = { run: "run:", ask: "ask:" } as const;

/** The custom_id that makes a button or form carry the line; undefined when it would pass Discord's limit. */
export function customIdFor(action: ChoiceAction): string | undefined {
  const id = prefixes[action.kind] + action.line;
  return action.line.trim() !== "" && id.length <= limits.customId ? id : undefined;
}

export function choiceAction(choice: Choice): ChoiceAction {
  return { kind: choice.input ? "ask" : "run", line: choice.id };
}

export function parseCustomId(id: string): ChoiceAction | undefined {
  for (const kind of ["run", "ask"] as const) {
    if (!id.startsWith(prefixes[kind])) continue;
    const line = id.slice(prefixes[kind].length);
    return line.trim() === "" ? undefined : { kind, line };
  }
  return undefined;
}
