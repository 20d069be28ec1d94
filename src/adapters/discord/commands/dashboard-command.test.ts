import {
  type APIChatInputApplicationCommandInteractionData,
  ApplicationCommandOptionType,
  ApplicationCommandType,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../../core/commands/registry.js";
import { slashCommands } from "./definitions.js";
import { readCommand } from "./options.js";

// /dashboard has a subcommand (signout), so Discord gets it as /dashboard open beside /dashboard signout.

const byName = (name: string) => {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new Error(`no core command ${name}`);
  return command;
};

const subcommand = (name: string): APIChatInputApplicationCommandInteractionData => ({
  id: "1",
  name: "dashboard",
  type: ApplicationCommandType.ChatInput,
  options: [{ type: ApplicationCommandOptionType.Subcommand, name }],
});

describe("/dashboard on Discord", () => {
  it("given the deployed commands, /dashboard is a group of open and signout, neither with options", () => {
    const dashboard = slashCommands(commands).find((c) => c.name === "dashboard");
    expect(dashboard && "options" in dashboard ? dashboard.options : undefined).toEqual([
      expect.objectContaining({ type: ApplicationCommandOptionType.Subcommand, name: "open", options: [] }),
      expect.objectContaining({
        type: ApplicationCommandOptionType.Subcommand,
        name: "signout",
        options: [],
      }),
    ]);
  });

  it("given /dashboard open or /dashboard signout, runs the link command or the sign-out", () => {
    expect(readCommand(commands, subcommand("open"))).toEqual({ command: byName("dashboard"), args: {} });
    expect(readCommand(commands, subcommand("signout"))).toEqual({
      command: byName("dashboard signout"),
      args: {},
    });
  });
});
