import { describe, expect, it } from "vitest";
import { z } from "zod";
import { argSpecs, restOfLine, usage } from "./args.js";
import type { Command } from "./command.js";
import { parseLine, tokenize } from "./parse.js";
import { commands } from "./registry.js";

describe("tokenize", () => {
  it("given quoted text, keeps it as one argument", () => {
    expect(tokenize(`cohort create "spring 2026" x`).map((t) => t.text)).toEqual([
      "cohort",
      "create",
      "spring 2026",
      "x",
    ]);
  });
});

describe("parseLine", () => {
  it("given a subcommand, picks the longest matching command", () => {
    const parsed = parseLine("/track join dba", commands);
    expect(parsed).toMatchObject({ kind: "command", args: { track: "dba" } });
    if (parsed.kind === "command") expect(parsed.command.name).toBe("track join");
  });

  it("given a line without the slash, as Slack sends it, still finds the command", () => {
    expect(parseLine("week 5", commands)).toMatchObject({ kind: "command", args: { week: "5" } });
  });

  it("given a misspelt command, suggests the close ones", () => {
    expect(parseLine("/weak 3", commands)).toEqual({ kind: "unknown", word: "weak", suggestions: ["week"] });
  });

  it("given a group without its subcommand, names the subcommands", () => {
    const parsed = parseLine("/track", commands);
    expect(parsed.kind).toBe("needs-subcommand");
    if (parsed.kind === "needs-subcommand") {
      expect(parsed.subcommands.map((c) => c.name)).toEqual([
        "track list",
        "track join",
        "track leave",
        "track show",
      ]);
    }
  });

  it("given more words than the command takes, reports the extra ones", () => {
    expect(parseLine("/track leave now please", commands)).toMatchObject({
      kind: "too-many-arguments",
      extra: "now please",
    });
  });

  it("given a rest-of-line argument, keeps its spaces and quotes as typed", () => {
    const input = z.object({
      id: z.string(),
      query: z.string().register(restOfLine, { rest: true }),
    });
    const submit = {
      name: "submit",
      summary: "test",
      audience: "everyone",
      group: "learn",
      input,
      examples: [],
      async run() {
        return {};
      },
    } satisfies Command<typeof input>;
    expect(parseLine(`/submit c1 SELECT "a b"  FROM t`, [submit])).toMatchObject({
      kind: "command",
      args: { id: "c1", query: `SELECT "a b"  FROM t` },
    });
  });
});

describe("argument specs derived from zod", () => {
  it("given the week command, reads names, optionality and types off its schema", () => {
    const week = commands.find((c) => c.name === "week");
    expect(week && argSpecs(week)).toEqual([
      expect.objectContaining({ name: "week", required: false, type: "integer", rest: false }),
      expect.objectContaining({ name: "part", required: false, type: "string", rest: false }),
    ]);
    expect(week && usage(week)).toBe("/week [week] [part]");
  });

  it("given an enum argument, reads its choices off the schema", () => {
    const streaks = commands.find((c) => c.name === "cohort streaks");
    expect(streaks && argSpecs(streaks)).toEqual([
      expect.objectContaining({ name: "unit", required: true, type: "string", choices: ["daily", "weekly"] }),
    ]);
  });

  it("given every command, each summary fits Discord's 100-character limit", () => {
    for (const command of commands) expect(command.summary.length, command.name).toBeLessThanOrEqual(100);
  });
});
