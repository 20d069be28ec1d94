import { argSpecs } from "../../core/commands/args.js";
import type { AnyCommand } from "../../core/commands/command.js";
import type { Action } from "../../core/messages.js";

/**
 * A typed action written as a short path, for the ids platforms give back when a button is pressed
 * (Discord's custom_id, Slack's button value):
 *
 *   /answer w01-left b        → { command: "answer", args: { question: "w01-left", choice: "b" } }
 *   /cohort info              → { command: "cohort info", args: {} }
 *
 * The command's exact name, then its arguments by place in the order the command declares them,
 * each with `%`, white space and control characters percent-escaped so one argument is one word.
 * Version 1 is marked by the leading "/": it reads as what a person would type, and it is the form
 * of the buttons already posted, so they keep working. A later version starts with another character,
 * and ids of a version this code does not know are not read.
 *
 * Reading back takes the registered commands (an argument's name comes from its place) and accepts
 * only the one way this writes an action: no quotes, aliases, case changes, extra spaces or
 * needless escapes. The result is still text, for the command's schema to validate when it runs.
 */
const version1 = "/";

const escaped = /[%\s\p{Cc}]/gu;

function escapeWord(value: string): string {
  return value.replace(escaped, (c) => encodeURIComponent(c));
}

/** The path for an action; undefined when it cannot be written (an empty command or argument). */
export function encodeActionPath(action: Action): string | undefined {
  const words = action.command.split(" ");
  const values = Object.values(action.args);
  if (
    words.some((word) => word === "" || escapeWord(word) !== word) ||
    values.some((value) => value === "")
  ) {
    return undefined;
  }
  return version1 + [...words, ...values.map(escapeWord)].join(" ");
}

/** The action a path stands for, among these commands; undefined for anything this did not write. */
export function decodeActionPath(path: string, commands: readonly AnyCommand[]): Action | undefined {
  if (!path.startsWith(version1)) return undefined;
  const words = path.slice(version1.length).split(" ");
  let command: AnyCommand | undefined;
  let nameLength = 0;
  for (const candidate of commands) {
    const name = candidate.name.split(" ");
    if (name.length > nameLength && name.every((word, i) => words[i] === word)) {
      command = candidate;
      nameLength = name.length;
    }
  }
  if (!command) return undefined;
  const specs = argSpecs(command);
  const values = words.slice(nameLength);
  if (values.length > specs.length) return undefined;
  const args: Record<string, string> = {};
  try {
    values.forEach((value, i) => {
      args[specs[i]?.name ?? ""] = decodeURIComponent(value);
    });
  } catch {
    return undefined;
  }
  const action: Action = { command: command.name, args };
  // One action, one path: anything written another way was not written here.
  return encodeActionPath(action) === path ? action : undefined;
}
