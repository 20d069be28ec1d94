import type { z } from "zod";
import { formFor, withTyped } from "./commands/action.js";
import { argSpecs, usage } from "./commands/args.js";
import type { AnyCommand, CommandContext } from "./commands/command.js";
import { type ParsedLine, parseLine } from "./commands/parse.js";
import { type Action, about, type ChoiceInput, type Message, problem } from "./messages.js";
import type { Actor } from "./ports/identity.js";
import type { CommandOutcome } from "./ports/metrics.js";

/** Everything a command may use except who is asking and which event asks; built once in main. */
export type Core = Omit<CommandContext, "actor" | "eventKey" | "cohortId">;

/** What a call is about beyond who makes it: a dashboard page names its cohort. */
export interface CallScope {
  cohortId?: number;
}

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

/** The reply to work that arrives after shutdown began; nothing was done, so it is safe to repeat. */
export const drainingReply: Message = problem(
  "Quorum is restarting, so that was not done.",
  "Please send it again in a minute.",
);

/**
 * Runs one command for one person: permission, validation, handler.
 * Never throws: bad input gets a short reply and writes nothing; a bug gets a reference id.
 * Counted by the gate (so a shutdown waits for it) and timed for the metrics.
 * `eventKey` is the platform's id for the event (see CommandContext); callers without one leave it out.
 */
export async function invoke(
  core: Core,
  actor: Actor,
  command: AnyCommand,
  raw: Record<string, unknown>,
  eventKey: string | null = null,
  scope: CallScope = {},
): Promise<Message> {
  const started = performance.now();
  const run = () => handle(core, actor, command, raw, eventKey, scope);
  const done = core.gate ? await core.gate.run(run) : await run();
  const { message, outcome } = done ?? { message: drainingReply, outcome: "draining" as const };
  core.metrics?.commandHandled(command.name, outcome, (performance.now() - started) / 1000);
  return message;
}

async function handle(
  core: Core,
  actor: Actor,
  command: AnyCommand,
  raw: Record<string, unknown>,
  eventKey: string | null,
  scope: CallScope,
): Promise<{ message: Message; outcome: CommandOutcome }> {
  // The dashboard's rights follow the platform's: a moderator demoted there loses them at their next command.
  if (core.settings.dashboardUrl !== undefined) {
    await core.store.web
      .recheckModerator(actor)
      .catch((error: unknown) => core.logger.warn({ err: error }, "dashboard rights not rechecked"));
  }
  if (command.audience === "moderator" && !actor.isModerator) {
    return {
      message: problem(`/${command.name} is for moderators.`, "Ask a moderator of this server to run it."),
      outcome: "refused",
    };
  }
  const parsed = command.input.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const what = first ? describeIssue(command, first, raw) : "the arguments are not valid";
    const message = problem(`/${command.name}: ${what}.`, usageHint(command));
    const field = first?.path[0];
    return { message: typeof field === "string" ? about(field, message) : message, outcome: "invalid" };
  }
  try {
    const message = await command.run(parsed.data, { ...core, actor, eventKey, ...scope });
    // A message that does not say who sees it follows its command's usual way.
    return {
      message: { ...message, visibility: message.visibility ?? command.replies ?? "public" },
      outcome: message.tone === "error" ? "invalid" : "ok",
    };
  } catch (error) {
    const ref = crypto.randomUUID().slice(0, 8);
    core.logger.error({ err: error, ref, command: command.name }, "command failed");
    return {
      message: problem(`Something went wrong on our side (ref ${ref}).`, "Please try again in a moment."),
      outcome: "error",
    };
  }
}

/**
 * Runs a typed action (a pressed button, a submitted form): the command of that exact name with the
 * action's arguments, and `typed`, when given, as the first argument it leaves out. No text line is
 * built or read; the command's schema validates the arguments as for any call. Undefined when no
 * command has that name, or a form's text has no argument to fill: the adapter says the button is stale.
 */
export async function handleAction(
  core: Core,
  actor: Actor,
  action: Action,
  eventKey: string | null = null,
  typed?: string,
): Promise<Message | undefined> {
  const command = core.commands.find((c) => c.name === action.command);
  if (!command) return undefined;
  const complete = typed === undefined ? action : withTyped(command, action, typed);
  return complete && invoke(core, actor, command, complete.args, eventKey);
}

/** The words of the form an action asks for first; undefined for a command not known or an action that asks for nothing. */
export function actionForm(
  core: Pick<Core, "commands" | "curriculum">,
  action: Action,
): ChoiceInput | undefined {
  const command = core.commands.find((c) => c.name === action.command);
  return command && formFor(command, action, core);
}

/**
 * The text form every text platform shares: the terminal line, Slack's `/quorum …`, each typed by a
 * person (buttons and forms run typed actions, see handleAction); `eventKey` as for invoke.
 */
export async function handleText(
  core: Core,
  actor: Actor,
  line: string,
  eventKey: string | null = null,
): Promise<Message | undefined> {
  const parsed = parseLine(line, core.commands);
  if (parsed.kind === "empty") return undefined;
  if (parsed.kind === "command") return invoke(core, actor, parsed.command, parsed.args, eventKey);
  const started = performance.now();
  const { message, label } = lineProblem(parsed);
  // An unknown word is counted as "unknown": a label per typed word would grow without bound.
  core.metrics?.commandHandled(label, "invalid", (performance.now() - started) / 1000);
  return message;
}

function lineProblem(parsed: Exclude<ParsedLine, { kind: "empty" | "command" }>): {
  message: Message;
  label: string;
} {
  switch (parsed.kind) {
    case "unknown": {
      const guess = parsed.suggestions.length
        ? ` Did you mean ${parsed.suggestions.map((s) => `/${s}`).join(" or ")}?`
        : "";
      return {
        message: problem(`Unknown command /${parsed.word}.${guess}`, "Type /help to see every command."),
        label: "unknown",
      };
    }
    case "needs-subcommand":
      return {
        message: problem(
          `/${parsed.group} needs one of: ${parsed.subcommands.map((c) => c.name.split(" ").slice(1).join(" ")).join(", ")}.`,
          usageHint(parsed.subcommands[0] as AnyCommand),
        ),
        label: parsed.group,
      };
    case "too-many-arguments":
      return {
        message: problem(`/${parsed.command.name}: unexpected "${parsed.extra}".`, usageHint(parsed.command)),
        label: parsed.command.name,
      };
  }
}
