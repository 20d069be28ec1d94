import {
  type APIAutocompleteApplicationCommandInteractionData,
  type APIChatInputApplicationCommandInteractionData,
  ApplicationCommandOptionType,
  ApplicationCommandType,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../../core/commands/registry.js";
import { focusedOption, missingMultiline, readCommand } from "./options.js";

const byName = (name: string) => {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new Error(`no core command ${name}`);
  return command;
};

function slash(
  name: string,
  options: APIChatInputApplicationCommandInteractionData["options"],
): APIChatInputApplicationCommandInteractionData {
  return { id: "1", name, type: ApplicationCommandType.ChatInput, ...(options ? { options } : {}) };
}

describe("readCommand", () => {
  it("given /track join with a track, returns track join and the track as text", () => {
    const data = slash("track", [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "join",
        options: [{ type: ApplicationCommandOptionType.String, name: "track", value: "dba" }],
      },
    ]);
    expect(readCommand(commands, data)).toEqual({ command: byName("track join"), args: { track: "dba" } });
  });

  it("given /challenge open, returns the challenge command through its alias", () => {
    const data = slash("challenge", [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "open",
        options: [{ type: ApplicationCommandOptionType.String, name: "id", value: "sql-top-customers" }],
      },
    ]);
    expect(readCommand(commands, data)).toEqual({
      command: byName("challenge"),
      args: { id: "sql-top-customers" },
    });
  });

  it("given an integer and a picked user, gives both as text the core's schemas coerce", () => {
    const week = readCommand(
      commands,
      slash("week", [{ type: ApplicationCommandOptionType.Integer, name: "week", value: 4 }]),
    );
    expect(week?.args).toEqual({ week: "4" });
    expect(byName("week").input.parse(week?.args)).toMatchObject({ week: 4 });
    const streak = readCommand(
      commands,
      slash("streak", [
        { type: ApplicationCommandOptionType.User, name: "user", value: "112233445566778899" },
      ]),
    );
    expect(streak?.args).toEqual({ user: "112233445566778899" });
  });

  it("given a command with no options, returns empty arguments", () => {
    expect(readCommand(commands, slash("roadmap", undefined))).toEqual({
      command: byName("roadmap"),
      args: {},
    });
  });

  it("given a command or subcommand Quorum no longer has, returns undefined", () => {
    expect(readCommand(commands, slash("dance", undefined))).toBeUndefined();
    const data = slash("track", [
      { type: ApplicationCommandOptionType.Subcommand, name: "swap", options: [] },
    ]);
    expect(readCommand(commands, data)).toBeUndefined();
  });

  it("given an option the core no longer declares, drops it and keeps the rest", () => {
    const data = slash("quiz", [
      { type: ApplicationCommandOptionType.Integer, name: "week", value: 2 },
      { type: ApplicationCommandOptionType.String, name: "difficulty", value: "hard" },
    ]);
    expect(readCommand(commands, data)?.args).toEqual({ week: "2" });
  });
});

describe("focusedOption", () => {
  it("given autocomplete on /track join, returns the track argument and what was typed", () => {
    const data: APIAutocompleteApplicationCommandInteractionData = {
      id: "1",
      name: "track",
      type: ApplicationCommandType.ChatInput,
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "join",
          options: [{ type: ApplicationCommandOptionType.String, name: "track", value: "db", focused: true }],
        },
      ],
    };
    const focused = focusedOption(commands, data);
    expect(focused?.command).toBe(byName("track join"));
    expect(focused?.spec).toMatchObject({ name: "track", suggest: "track" });
    expect(focused?.typed).toBe("db");
  });

  it("given a half-typed week, returns it as text with the week suggestion source", () => {
    const data: APIAutocompleteApplicationCommandInteractionData = {
      id: "1",
      name: "quiz",
      type: ApplicationCommandType.ChatInput,
      options: [{ type: ApplicationCommandOptionType.Integer, name: "week", value: "1", focused: true }],
    };
    expect(focusedOption(commands, data)).toMatchObject({
      spec: { name: "week", suggest: "week" },
      typed: "1",
    });
  });

  it("given no focused option, returns undefined", () => {
    const data: APIAutocompleteApplicationCommandInteractionData = {
      id: "1",
      name: "quiz",
      type: ApplicationCommandType.ChatInput,
      options: [{ type: ApplicationCommandOptionType.Integer, name: "week", value: "1" }],
    };
    expect(focusedOption(commands, data)).toBeUndefined();
  });
});

describe("missingMultiline", () => {
  const submit = byName("submit");

  it("given /submit without a query, returns the query argument to ask for in a form", () => {
    expect(missingMultiline(submit, { id: "sql-top-customers" })?.name).toBe("query");
    expect(missingMultiline(submit, { id: "sql-top-customers", query: "   " })?.name).toBe("query");
  });

  it("given /submit with a query, or a command without multi-line arguments, returns undefined", () => {
    expect(missingMultiline(submit, { id: "sql-top-customers", query: "SELECT 1" })).toBeUndefined();
    expect(missingMultiline(byName("answer"), {})).toBeUndefined();
  });
});
