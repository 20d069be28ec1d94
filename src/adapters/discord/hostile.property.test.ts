import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIModalInteractionResponseCallbackData,
  ApplicationCommandOptionType,
  ComponentType,
} from "discord.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { realCurriculum, testCore } from "../../../test/helpers.js";
import {
  actorFor,
  anyLine,
  argsExpectation,
  broadcastMentions,
  expectationProblems,
  holdsLoneSurrogate,
  hostileArgs,
  hostileDisplayName,
  hostileText,
  type KnownValues,
  knownValues,
} from "../../../test/hostile-input.js";
import { withTyped } from "../../core/commands/action.js";
import { argSpecs } from "../../core/commands/args.js";
import type { AnyCommand } from "../../core/commands/command.js";
import { commands } from "../../core/commands/registry.js";
import { actionForm, type Core, handleAction, handleText, invoke } from "../../core/dispatch.js";
import type { Action, Message } from "../../core/messages.js";
import type { Actor } from "../../core/ports/identity.js";
import { discordNames } from "./commands/definitions.js";
import type { CommandData } from "./commands/options.js";
import { autocompleteChoices, planSlashCommand } from "./events/interaction.js";
import { limitProblems } from "./render/check.js";
import { limits } from "./render/limits.js";
import { type DiscordPayload, parseCustomId, renderMessage } from "./render/message.js";
import { modalFor, readModalText } from "./render/modal.js";

const ids = { space: "100000000000000001", channel: "300000000000000001" };
const registered = new Set(discordNames(commands).values());
const known = knownValues(realCurriculum(), "discord");

type Role = "learner" | "moderator";
const roles = fc.constantFrom<Role>("learner", "moderator");

/** Discord's limits for a form, which the payload checker does not cover. */
function modalProblems(modal: APIModalInteractionResponseCallbackData): string[] {
  const problems: string[] = [];
  const over = (what: string, length: number, min: number, max: number) => {
    if (length < min || length > max) problems.push(`${what} has ${length} characters (${min}–${max})`);
  };
  over("custom_id", modal.custom_id.length, 1, limits.customId);
  over("title", modal.title.length, 1, limits.modalTitle);
  if (modal.components.length === 0 || modal.components.length > limits.rowsPerMessage) {
    problems.push(`${modal.components.length} components`);
  }
  for (const component of modal.components) {
    if (component.type !== ComponentType.Label) continue;
    over("label", component.label.length, 1, limits.inputLabel);
    const input = component.component;
    if (input.type === ComponentType.TextInput)
      over("placeholder", input.placeholder?.length ?? 0, 0, limits.inputPlaceholder);
  }
  if (!parseCustomId(modal.custom_id, commands))
    problems.push(`custom_id ${modal.custom_id} is not read back`);
  return problems;
}

/**
 * Discord pings only for mentions in `content`, and only those `allowedMentions` lets through; embeds never
 * ping. Every payload must let none through, and its content must hold no mention at all.
 */
function pingProblems(payloads: readonly DiscordPayload[]): string[] {
  return payloads.flatMap((payload, i) => {
    const problems: string[] = [];
    if (JSON.stringify(payload.allowedMentions) !== JSON.stringify({ parse: [] })) {
      problems.push(`payload ${i} allows mentions: ${JSON.stringify(payload.allowedMentions)}`);
    }
    const content = payload.content ?? "";
    if (broadcastMentions.some((m) => content.includes(m)) || /<@/.test(content)) {
      problems.push(`payload ${i} content mentions: ${content.slice(0, 60)}`);
    }
    return problems;
  });
}

/** What Discord would refuse, or ping for, in the rendered reply. */
function renderProblems(reply: Message): { problems: string[]; payloads: DiscordPayload[] } {
  const payloads = renderMessage(reply, { ephemeral: reply.visibility === "private" });
  const problems = payloads.length === 0 ? ["no payloads"] : payloads.flatMap(limitProblems);
  problems.push(...pingProblems(payloads));
  // Discord's API reads UTF-8, which cannot carry half a character, whatever the input held.
  if (holdsLoneSurrogate(payloads)) problems.push("half a surrogate pair in the payload");
  return { problems, payloads };
}

/** How Discord sends the options of a slash command: typed by the command's definition, values as given. */
function slashData(command: AnyCommand, args: Record<string, string>): CommandData {
  const options = argSpecs(command).flatMap((spec): APIApplicationCommandInteractionDataBasicOption[] => {
    const value = args[spec.name];
    if (value === undefined) return [];
    if (spec.refers === "user") return [{ type: ApplicationCommandOptionType.User, name: spec.name, value }];
    if (spec.refers === "channel")
      return [{ type: ApplicationCommandOptionType.Channel, name: spec.name, value }];
    if (spec.type === "integer") {
      // Discord sends numbers for integer options; a forged request could send anything.
      const number = Number(value);
      return [
        {
          type: ApplicationCommandOptionType.Integer,
          name: spec.name,
          value: Number.isSafeInteger(number) ? number : (value as unknown as number),
        },
      ];
    }
    return [{ type: ApplicationCommandOptionType.String, name: spec.name, value }];
  });
  const [root = command.name, sub] = (discordNames(commands).get(command) ?? command.name).split(" ");
  return sub
    ? { name: root, options: [{ type: ApplicationCommandOptionType.Subcommand, name: sub, options }] }
    : { name: root, options };
}

/** A server where the moderator runs a cohort with a channel, and the learner has joined it and a track. */
async function serverWithCohort(): Promise<{ core: Core; actor: (role: Role, name: string) => Actor }> {
  const { core } = testCore();
  const actor = (role: Role, name: string) => actorFor("discord", role, name, ids);
  for (const [role, line] of [
    ["moderator", "/cohort create spring 2026-03-02"],
    ["moderator", "/schedule channel"],
    ["learner", "/cohort join spring"],
    ["learner", "/track join dba"],
  ] as const) {
    await handleText(core, actor(role, role), line);
  }
  return { core, actor };
}

/** An action run from a button or a submitted form (with what was typed into it), as the interaction handler runs it. */
async function actionProblems(core: Core, actor: Actor, action: Action, typed?: string): Promise<string[]> {
  const command = commands.find((c) => c.name === action.command);
  if (!command) return [`/${action.command} is not a command`];
  const reply = await handleAction(core, actor, action, null, typed);
  const complete = typed === undefined ? action : withTyped(command, action, typed);
  if (!complete) return reply === undefined ? [] : ["a reply to a form with nothing to fill"];
  const problems = expectationProblems(argsExpectation(command, complete.args, actor), reply);
  if (reply) problems.push(...renderProblems(reply).problems);
  return problems;
}

/** A press on one of the reply's buttons; one that asks first opens its form, submitted with `typed`. */
async function pressProblems(
  core: Core,
  actor: Actor,
  payloads: readonly DiscordPayload[],
  pick: number,
  typed: string,
): Promise<string[]> {
  const buttons = payloads.flatMap((p) =>
    p.components.flatMap((row) => row.components.flatMap((b) => ("custom_id" in b ? [b] : []))),
  );
  const button = buttons[pick % Math.max(1, buttons.length)];
  if (!button) return [];
  const pressed = parseCustomId(button.custom_id, commands);
  if (!pressed) return [`button ${button.custom_id} is not read back`];
  if (pressed.mode === "run") return actionProblems(core, actor, pressed.action);
  const words = actionForm(core, pressed.action);
  if (!words) return [`button ${button.custom_id} asks for nothing`];
  const modal = modalFor({ action: pressed.action, ...words });
  return [...modalProblems(modal), ...(await actionProblems(core, actor, pressed.action, typed))];
}

/** A slash command from its options to the rendered reply, through the form when one is asked for. */
async function slashProblems(
  core: Core,
  actor: Actor,
  command: AnyCommand,
  args: Record<string, string>,
  pick: number,
  typed: string,
): Promise<string[]> {
  const plan = planSlashCommand(core, slashData(command, args));
  if (plan.kind === "stale") return [`/${command.name} is not recognised`];
  if (plan.kind === "form") {
    const asked = parseCustomId(plan.modal.custom_id, commands);
    return [
      ...modalProblems(plan.modal),
      ...(asked ? await actionProblems(core, actor, asked.action, typed) : []),
    ];
  }
  const reply = await invoke(core, actor, plan.command, plan.args);
  const problems = expectationProblems(argsExpectation(plan.command, plan.args, actor), reply);
  const rendered = renderProblems(reply);
  problems.push(...rendered.problems, ...(await pressProblems(core, actor, rendered.payloads, pick, typed)));
  return problems;
}

function choiceProblems(choices: readonly { name: string; value: string | number }[]): string[] {
  const problems = choices.length > 25 ? [`${choices.length} choices`] : [];
  for (const { name, value } of choices) {
    if (name.length < 1 || name.length > 100) problems.push(`choice name of ${name.length} characters`);
    if (typeof value === "string" && (value.length < 1 || value.length > 100))
      problems.push(`value "${value}"`);
    if (typeof value === "number" && !Number.isSafeInteger(value)) problems.push(`value ${value}`);
  }
  return problems;
}

/** Autocomplete requests for every argument that offers values, typed so far with hostile text. */
function autocompleteData(source: KnownValues): fc.Arbitrary<CommandData> {
  const suggesting = commands.flatMap((command) =>
    argSpecs(command)
      .filter((spec) => spec.suggest)
      .map((spec) => ({ command, spec })),
  );
  return fc
    .tuple(
      fc.constantFrom(...suggesting),
      fc.oneof(hostileText, fc.constantFrom(...source.tracks, "", "1", "Eur")),
    )
    .map(([{ command, spec }, typed]) => {
      const data = slashData(command, { [spec.name]: typed });
      const mark = (options: CommandData["options"]): CommandData["options"] =>
        options?.map((option) =>
          option.type === ApplicationCommandOptionType.Subcommand
            ? { ...option, options: option.options?.map((o) => ({ ...o, focused: true })) }
            : { ...option, focused: true },
        ) as CommandData["options"];
      return { name: data.name, options: mark(data.options) };
    });
}

describe("Discord under hostile input", () => {
  it.each(commands.map((command) => [command.name, command] as const))(
    "given /%s with hostile options from learners and moderators, replies well formed within Discord's limits",
    async (_name, command) => {
      const { core, actor } = await serverWithCohort();
      await fc.assert(
        fc.asyncProperty(
          roles,
          hostileDisplayName,
          hostileArgs(command, known),
          fc.nat(),
          hostileText,
          async (role, name, args, pick, typed) => {
            const problems = await slashProblems(core, actor(role, name), command, args, pick, typed);
            expect(problems, JSON.stringify([args, typed])).toEqual([]);
          },
        ),
        { numRuns: 50 },
      );
    },
  );

  it("given hostile text typed into any autocompleted option, offers at most 25 values Discord accepts", async () => {
    const { core, actor } = await serverWithCohort();
    await fc.assert(
      fc.asyncProperty(roles, autocompleteData(known), async (role, data) => {
        const choices = await autocompleteChoices(core, actor(role, "ana"), data);
        expect(choiceProblems(choices), JSON.stringify(data)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("given forged custom ids, form fields and command names, reads only its own and answers what it reads", async () => {
    const { core, actor } = await serverWithCohort();
    const customId = fc.oneof(
      fc.constantFrom("run:", "ask:", "run: ", "ask:/submit", "RUN:/help", "other:/help", "ask:/quiz"),
      hostileText.map((text) => `run:${text}`),
      hostileText.map((text) => `run:/answer w01-left ${text}`),
      anyLine(commands, known).map((line) => `ask:${line}`),
      hostileText,
    );
    const submitted = fc.oneof(
      hostileText.map((value) => [{ type: ComponentType.Label, component: { custom_id: "text", value } }]),
      hostileText.map((value) => [
        { type: ComponentType.ActionRow, components: [{ customId: "text", value }] },
      ]),
      fc.constant([{ type: ComponentType.Label, component: { custom_id: "text", value: 42 } }]),
      fc.constant([]),
    );
    const stale = fc.record({
      name: fc.oneof(hostileText, fc.constantFrom("track", "challenge", "schedule")),
      options: fc.constantFrom<CommandData["options"]>(
        undefined,
        [],
        [{ type: ApplicationCommandOptionType.Subcommand, name: "dance", options: [] }],
        [{ type: ApplicationCommandOptionType.SubcommandGroup, name: "x", options: [] }],
      ),
    });
    await fc.assert(
      fc.asyncProperty(roles, customId, submitted, stale, async (role, id, components, data) => {
        const who = actor(role, "ana");
        const problems: string[] = [];
        const read = parseCustomId(id, commands);
        if (read) {
          if (!/^(run|ask):\//.test(id) || id.length > limits.customId) problems.push(`accepted ${id}`);
          const typed = read.mode === "ask" ? readModalText(components) : undefined;
          problems.push(...(await actionProblems(core, who, read.action, typed)));
        }
        // Only a one-word command Quorum registers runs; a subcommand group or unknown name is stale.
        const plan = planSlashCommand(core, data);
        const runs =
          registered.has(data.name) &&
          !data.options?.some((o) => o.type === ApplicationCommandOptionType.SubcommandGroup) &&
          !data.options?.some((o) => o.type === ApplicationCommandOptionType.Subcommand);
        if (plan.kind !== (runs ? "run" : "stale")) problems.push(`/${data.name} is planned as ${plan.kind}`);
        expect(problems, JSON.stringify([id, components, data])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("given /submit with an id too long for a form and no query, answers with the usage instead of failing", async () => {
    const { core, actor } = await serverWithCohort();
    const submit = commands.find((command) => command.name === "submit");
    if (!submit) throw new Error("no /submit");
    const plan = planSlashCommand(core, slashData(submit, { id: "x".repeat(120) }));
    expect(plan.kind).toBe("run");
    if (plan.kind !== "run") return;
    const reply = await invoke(core, actor("learner", "ana"), plan.command, plan.args);
    expect(reply.tone).toBe("error");
    expect(reply.text).toContain("Usage: /submit <id> <query>");
  });

  it("given a reply cut inside an emoji upstream, sends U+FFFD rather than half a character", () => {
    const [payload] = renderMessage({ text: "near 🙂\ud83d..." });
    expect(payload?.embeds[0]?.description).toBe("near 🙂\ufffd...");
  });
});
