import { z } from "zod";
import type { Message, Section } from "../messages.js";
import { problem } from "../messages.js";
import { argSpecs, restOfLine, usage } from "./args.js";
import type { AnyCommand, Command } from "./command.js";

const input = z.object({
  command: z
    .string()
    .optional()
    .describe("a command to explain, e.g. week or track join")
    .register(restOfLine, { rest: true }),
});

const groups: { id: AnyCommand["group"]; heading: string }[] = [
  { id: "start", heading: "Getting started" },
  { id: "learn", heading: "Learn" },
  { id: "practice", heading: "Practise" },
  { id: "progress", heading: "Progress" },
  { id: "tracks", heading: "Role tracks" },
  { id: "cohorts", heading: "Cohorts" },
  { id: "schedules", heading: "Schedules" },
];

function explain(command: AnyCommand): Message {
  const args = argSpecs(command).map(
    (arg) =>
      `- \`${arg.name}\`${arg.required ? "" : " (optional)"}: ${arg.description}${
        arg.choices ? ` — one of ${arg.choices.join(", ")}` : ""
      }`,
  );
  return {
    title: usage(command),
    text: command.summary + (command.audience === "moderator" ? "\n*For moderators.*" : ""),
    sections: [
      ...(args.length ? [{ heading: "Arguments", text: args.join("\n") }] : []),
      { heading: "Examples", text: command.examples.map((e) => `\`${e}\``).join("\n") },
    ],
  };
}

export const help = {
  name: "help",
  summary: "What Quorum does and every command",
  audience: "everyone",
  group: "start",
  input,
  replies: "private",
  examples: ["/help", "/help week", "/help cohort create"],
  async run({ command: wanted }, ctx) {
    if (wanted) {
      const name = wanted.replace(/^\//, "").trim().toLowerCase().replace(/\s+/g, " ");
      const exact = ctx.commands.find((c) => c.name === name);
      if (exact) return explain(exact);
      const family = ctx.commands.filter((c) => c.name.startsWith(`${name} `));
      if (family.length === 0) {
        return problem(`There is no command /${name}.`, "Type /help to see every command.");
      }
      return {
        title: `/${name}`,
        text: family.map((c) => `\`${usage(c)}\` — ${c.summary}`).join("\n"),
      };
    }
    const sections: Section[] = groups.map(({ id, heading }) => ({
      heading,
      text: ctx.commands
        .filter((c) => c.group === id)
        .map((c) => `\`${usage(c)}\` — ${c.summary}${c.audience === "moderator" ? " *(moderators)*" : ""}`)
        .join("\n"),
    }));
    return {
      title: "Quorum — study the Database & Systems Architect roadmap together",
      text:
        "Twenty weeks from SQL basics to distributed systems, in a cohort that learns together. " +
        "Quorum posts each week's module, teaches it in short explanations with hands-on exercises, " +
        "and keeps your role track and your cohort's progress.",
      sections,
      footer: "Details and examples: /help <command>, e.g. /help week",
    };
  },
} satisfies Command<typeof input>;
