import type { z } from "zod";
import { argSpecs, usage } from "./commands/args.js";
import type { AnyCommand, CommandContext } from "./commands/command.js";
import { parseLine } from "./commands/parse.js";
import { type Message, problem } from "./messages.js";
import type { Actor } from "./ports.js";

/** Everything a command may use except who is asking; built once in main. */
export type Core = Omit<CommandContext, "actor">;

function usageHint(command: AnyCommand): string {
  const example = command.examples[0];
  return `Usage: ${usage(command)}${example ? ` · e.g. ${example}` : ""}`;
}

function describeIssue(command: AnyCommand, issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const name = issue.path[0];
  if (typeof name !== "string") return issue.message;
  const spec = argSpecs(command).find((arg) => arg.name === name);
  if (raw[name] === undefined) return `${name} is missing`;
  if (spec?.choices && issue.code === "invalid_value") {
    return `${name} must be one of ${spec.choices.join(", ")}`;
  }
  return `${name} ${issue.message}`;
}

/**
 * Runs one command for one person: permission, validation, handler.
 * Never throws: bad input gets a short reply and writes nothing; a bug gets a reference id.
 */
export async function invoke(
  core: Core,
  actor: Actor,
  command: AnyCommand,
  raw: Record<string, unknown>,
): Promise<Message> {
  if (command.audience === "moderator" && !actor.isModerator) {
    return problem(`/${command.name} is for moderators.`, "Ask a moderator of this server to run it.");
  }
  const parsed = command.input.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const what = first ? describeIssue(command, first, raw) : "the arguments are not valid";
    return problem(`/${command.name}: ${what}.`, usageHint(command));
  }
  try {
    const message = await command.run(parsed.data, { ...core, actor });
    // A message that does not say who sees it follows its command's usual way.
    return { ...message, visibility: message.visibility ?? command.replies ?? "public" };
  } catch (error) {
    const ref = crypto.randomUUID().slice(0, 8);
    core.logger.error({ err: error, ref, command: command.name }, "command failed");
    return problem(`Something went wrong on our side (ref ${ref}).`, "Please try again in a moment.");
  }
}

/** The text form every text platform shares: the terminal line, Slack's `/quorum …`. */
export async function handleText(core: Core, actor: Actor, line: string): Promise<Message | undefined> {
  const parsed = parseLine(line, core.commands);
  switch (parsed.kind) {
    case "empty":
      return undefined;
    case "unknown": {
      const guess = parsed.suggestions.length
        ? ` Did you mean ${parsed.suggestions.map((s) => `/${s}`).join(" or ")}?`
        : "";
      return problem(`Unknown command /${parsed.word}.${guess}`, "Type /help to see every command.");
    }
    case "needs-subcommand":
      return problem(
        `/${parsed.group} needs one of: ${parsed.subcommands.map((c) => c.name.split(" ").slice(1).join(" ")).join(", ")}.`,
        usageHint(parsed.subcommands[0] as AnyCommand),
      );
    case "too-many-arguments":
      return problem(`/${parsed.command.name}: unexpected "${parsed.extra}".`, usageHint(parsed.command));
    case "command":
      return invoke(core, actor, parsed.command, parsed.args);
  }
}
