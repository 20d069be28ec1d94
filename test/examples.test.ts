import { describe, expect, it } from "vitest";
import { argSpecs } from "../src/core/commands/args.js";
import { parseLine } from "../src/core/commands/parse.js";
import { commands } from "../src/core/commands/registry.js";
import { realCurriculum } from "./helpers.js";

describe("the examples /help shows", () => {
  it("given every command's examples, each parses back to that command with no argument left over", () => {
    for (const command of commands) {
      for (const example of command.examples) {
        const parsed = parseLine(example, commands);
        expect(parsed.kind, example).toBe("command");
        if (parsed.kind === "command") expect(parsed.command.name, example).toBe(command.name);
      }
    }
  });

  it("given an example that names a challenge, that challenge exists in the curriculum", () => {
    const ids = new Set(realCurriculum().bank.challenges.map((c) => c.id));
    const named = commands.flatMap((command) =>
      argSpecs(command).some((spec) => spec.suggest === "challenge")
        ? command.examples.map((example) => parseLine(example, commands))
        : [],
    );
    expect(named.length).toBeGreaterThan(0);
    for (const parsed of named) {
      if (parsed.kind !== "command") throw new Error("example does not parse");
      expect(ids).toContain(parsed.args.id);
    }
  });
});
