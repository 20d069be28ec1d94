import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandOption,
  type APIChatInputApplicationCommandInteractionData,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { argHints } from "../../../core/commands/args.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { commands } from "../../../core/commands/registry.js";
import { FORM_HINT, slashCommands } from "./definitions.js";
import { readCommand } from "./options.js";

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

function chatInput(list: readonly AnyCommand[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return slashCommands(list).filter(
    (c): c is RESTPostAPIChatInputApplicationCommandsJSONBody =>
      c.type === undefined || c.type === ApplicationCommandType.ChatInput,
  );
}

function fakeCommand(name: string, input: z.ZodObject, extra: Partial<AnyCommand> = {}): AnyCommand {
  return {
    name,
    summary: `Does ${name}`,
    audience: "everyone",
    group: "start",
    input,
    examples: [],
    run: async () => ({ text: "ok" }),
    ...extra,
  };
}

const isBasic = (o: APIApplicationCommandOption): o is APIApplicationCommandBasicOption =>
  o.type !== ApplicationCommandOptionType.Subcommand &&
  o.type !== ApplicationCommandOptionType.SubcommandGroup;

/** Every rule Discord applies to one level of options, as readable problems. */
function optionProblems(options: readonly APIApplicationCommandOption[], where: string): string[] {
  const problems: string[] = [];
  if (options.length > 25) problems.push(`${where}: ${options.length} options (max 25)`);
  const names = options.map((o) => o.name);
  if (new Set(names).size !== names.length) problems.push(`${where}: repeated option names ${names}`);
  const basic = options.filter(isBasic);
  if (basic.length > 0 && basic.length !== options.length) {
    problems.push(`${where}: mixes subcommands with options`);
  }
  const firstOptional = basic.findIndex((o) => !o.required);
  if (firstOptional >= 0 && basic.slice(firstOptional).some((o) => o.required)) {
    problems.push(`${where}: a required option follows an optional one`);
  }
  for (const option of options) {
    const at = `${where} ${option.name}`;
    if (!NAME.test(option.name) || option.name !== option.name.toLowerCase())
      problems.push(`${at}: bad name`);
    if (option.description.length < 1 || option.description.length > 100) {
      problems.push(`${at}: description of ${option.description.length} characters`);
    }
    if ("choices" in option && option.choices) {
      if (option.choices.length > 25) problems.push(`${at}: ${option.choices.length} choices`);
      for (const choice of option.choices) {
        if (choice.name.length < 1 || choice.name.length > 100)
          problems.push(`${at}: choice "${choice.name}"`);
      }
      if (option.autocomplete) problems.push(`${at}: choices together with autocomplete`);
    }
    if (!isBasic(option)) problems.push(...optionProblems(option.options ?? [], at));
  }
  return problems;
}

/** Discord counts names, descriptions and choice names and values towards a command's 4000. */
function characters(options: readonly APIApplicationCommandOption[]): number {
  return options.reduce((sum, option) => {
    const choices = "choices" in option && option.choices ? option.choices : [];
    const nested = isBasic(option) ? 0 : characters(option.options ?? []);
    const choiceChars = choices.reduce((n, c) => n + c.name.length + String(c.value).length, 0);
    return sum + option.name.length + option.description.length + choiceChars + nested;
  }, 0);
}

/** A value Discord could send for the option, and the text the core should receive. */
function sampleValue(
  option: APIApplicationCommandBasicOption,
): APIApplicationCommandInteractionDataBasicOption {
  const { name } = option;
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
      return { name, type: option.type, value: option.max_value ?? 7 };
    case ApplicationCommandOptionType.User:
      return { name, type: option.type, value: "112233445566778899" };
    case ApplicationCommandOptionType.Channel:
      return { name, type: option.type, value: "998877665544332211" };
    case ApplicationCommandOptionType.String: {
      const choice = option.choices?.at(-1)?.value;
      return { name, type: option.type, value: choice ?? `some ${name} with spaces` };
    }
    default:
      throw new Error(`unexpected option type ${option.type} for ${name}`);
  }
}

describe("slashCommands", () => {
  const body = chatInput(commands);

  it("given the core's commands, keeps every generated command within Discord's limits", () => {
    const problems: string[] = [];
    if (body.length > 100) problems.push(`${body.length} top-level commands (max 100)`);
    for (const command of body) {
      const where = `/${command.name}`;
      if (!NAME.test(command.name) || command.name !== command.name.toLowerCase()) {
        problems.push(`${where}: bad name`);
      }
      if (command.description.length < 1 || command.description.length > 100) {
        problems.push(`${where}: description of ${command.description.length} characters`);
      }
      const options = command.options ?? [];
      problems.push(...optionProblems(options, where));
      const total = command.name.length + command.description.length + characters(options);
      if (total > 4000) problems.push(`${where}: ${total} characters (max 4000)`);
    }
    expect(problems).toEqual([]);
  });

  it("given the core's commands, lets Discord send each one back as the same command with its arguments", () => {
    const reached = new Set<AnyCommand>();
    for (const top of body) {
      const options = top.options ?? [];
      const subcommands = options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
      const targets = subcommands.length
        ? subcommands.map((s) => ({ path: `${top.name} ${s.name}`, sub: s.name, options: s.options ?? [] }))
        : [{ path: top.name, sub: undefined, options: options.filter(isBasic) }];
      for (const target of targets) {
        const values = target.options.map(sampleValue);
        const data: APIChatInputApplicationCommandInteractionData = {
          id: "1",
          name: top.name,
          type: ApplicationCommandType.ChatInput,
          options: target.sub
            ? [{ type: ApplicationCommandOptionType.Subcommand, name: target.sub, options: values }]
            : values,
        };
        const read = readCommand(commands, data);
        expect(read, target.path).toBeDefined();
        if (!read) continue;
        expect([read.command.name, ...(read.command.aliases ?? [])], target.path).toContain(target.path);
        expect(read.args, target.path).toEqual(
          Object.fromEntries(values.map((v) => [v.name, String(v.value)])),
        );
        reached.add(read.command);
      }
    }
    expect([...reached].map((c) => c.name).sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it("given track list/join/leave/show, makes one /track with four subcommands", () => {
    const track = body.find((c) => c.name === "track");
    expect(track?.options?.map((o) => [o.type, o.name])).toEqual([
      [ApplicationCommandOptionType.Subcommand, "list"],
      [ApplicationCommandOptionType.Subcommand, "join"],
      [ApplicationCommandOptionType.Subcommand, "leave"],
      [ApplicationCommandOptionType.Subcommand, "show"],
    ]);
  });

  it("given /challenge <id> beside /challenge list, registers the root as its alias challenge open", () => {
    const challenge = body.find((c) => c.name === "challenge");
    expect(challenge?.options?.map((o) => o.name)).toEqual(["list", "open"]);
  });

  it("given a group root without an alias inside the group, throws an error that names the fix", () => {
    const withoutAlias = commands.map((c) => (c.name === "challenge" ? { ...c, aliases: [] } : c));
    expect(() => slashCommands(withoutAlias)).toThrow(/"challenge".*alias inside the group/);
  });

  it("given a three-word command or two commands sharing a Discord name, throws", () => {
    expect(() => slashCommands([fakeCommand("cohort member add", z.object({}))])).toThrow(
      /more than two words/,
    );
    const clash = [
      fakeCommand("item", z.object({}), { aliases: ["item open"] }),
      fakeCommand("item list", z.object({})),
      fakeCommand("item open", z.object({})),
    ];
    expect(() => slashCommands(clash)).toThrow(/both map to \/item open/);
  });

  it("given only moderator commands under a name, requires Manage Guild; mixed groups stay open", () => {
    const permissions = Object.fromEntries(body.map((c) => [c.name, c.default_member_permissions]));
    expect(permissions.stats).toBe("32");
    expect(permissions.schedule).toBeNull();
    expect(permissions.cohort).toBeNull();
    expect(permissions.track).toBeNull();
    const moderatorGroup = [
      fakeCommand("admin reset", z.object({}), { audience: "moderator" }),
      fakeCommand("admin purge", z.object({}), { audience: "moderator" }),
    ];
    expect(chatInput(moderatorGroup)[0]?.default_member_permissions).toBe("32");
  });

  it("given any command, offers it in servers only", () => {
    for (const command of body) {
      expect(command.contexts, command.name).toEqual([0]);
      expect(command.integration_types, command.name).toEqual([0]);
    }
  });

  it("given arguments with hints, picks Discord's option types, pickers, week bounds and autocomplete", () => {
    const input = z.object({
      who: z.string().optional().describe("a person").register(argHints, { refers: "user" }),
      where: z.string().optional().describe("a channel").register(argHints, { refers: "channel" }),
      week: z.coerce.number().optional().describe("a week").register(argHints, { suggest: "week" }),
      count: z.coerce.number().optional().describe("how many"),
      board: z.enum(["week", "all"]).optional().describe("which board"),
      track: z.string().optional().describe("a track").register(argHints, { suggest: "track" }),
    });
    const options = chatInput([fakeCommand("sample", input)])[0]?.options ?? [];
    expect(options).toEqual([
      { type: ApplicationCommandOptionType.User, name: "who", description: "a person", required: false },
      {
        type: ApplicationCommandOptionType.Channel,
        name: "where",
        description: "a channel",
        required: false,
        channel_types: [ChannelType.GuildText],
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: "week",
        description: "a week",
        required: false,
        min_value: 1,
        max_value: 20,
        autocomplete: true,
      },
      { type: ApplicationCommandOptionType.Integer, name: "count", description: "how many", required: false },
      {
        type: ApplicationCommandOptionType.String,
        name: "board",
        description: "which board",
        required: false,
        choices: [
          { name: "week", value: "week" },
          { name: "all", value: "all" },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "track",
        description: "a track",
        required: false,
        autocomplete: true,
      },
    ]);
  });

  it("given a required multi-line argument, makes it optional and says a form asks for it", () => {
    const submit = body.find((c) => c.name === "submit");
    const query = submit?.options?.find((o) => o.name === "query");
    expect(query).toMatchObject({ required: false });
    expect(query?.description.endsWith(FORM_HINT)).toBe(true);
    expect(submit?.options?.find((o) => o.name === "id")).toMatchObject({ required: true });
  });

  it("given an optional argument before a required one, moves the required one first", () => {
    const input = z.object({
      first: z.string().optional().describe("optional, typed first"),
      second: z.string().describe("required, typed second"),
      third: z.string().optional().describe("optional, typed third"),
    });
    const options = chatInput([fakeCommand("order", input)])[0]?.options ?? [];
    expect(options.map((o) => o.name)).toEqual(["second", "first", "third"]);
  });

  it("given a description over 100 characters, shortens it to fit", () => {
    const input = z.object({ text: z.string().describe("x".repeat(150)) });
    const [command] = chatInput([fakeCommand("long", input, { summary: "y".repeat(150) })]);
    expect(command?.description).toHaveLength(100);
    expect(command?.options?.[0]?.description).toHaveLength(100);
  });
});
