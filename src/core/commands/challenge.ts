import { z } from "zod";
import { problem } from "../messages.js";
import { argHints } from "./args.js";
import { challengeStatus, engineNames } from "./challenge-list.js";
import type { Command } from "./command.js";

const input = z.object({
  id: z
    .string()
    .trim()
    .min(1, "is missing")
    .max(80, "is too long")
    .describe("the challenge id, from /challenge list")
    .register(argHints, { suggest: "challenge" }),
});

export const challenge = {
  name: "challenge",
  aliases: ["challenge open"],
  summary: "A hands-on task: the data, what to return, and how to submit",
  audience: "everyone",
  group: "practice",
  input,
  replies: "private",
  examples: ["/challenge store-customer-order-counts"],
  async run({ id }, ctx) {
    const { bank } = ctx.curriculum;
    const found = bank.challenges.find((c) => c.id === id.toLowerCase());
    if (!found) return problem(`There is no challenge "${id}".`, "See them with /challenge list.");
    const dataset = bank.datasets.find((d) => d.id === found.dataset);
    const identity = await ctx.store.identities.find(ctx.actor);
    const summary = identity ? await ctx.store.answers.summary(identity.member.id, found.id) : undefined;
    const language =
      found.engine === "mongodb"
        ? "a mongosh query"
        : found.engine === "redis"
          ? "Redis commands, one per line"
          : "SQL";
    return {
      title: `${found.title} · ${found.id}`,
      text: found.prompt,
      fields: [
        { name: "Engine", value: engineNames[found.engine], inline: true },
        { name: "Week", value: String(found.week), inline: true },
        { name: "Difficulty", value: found.difficulty, inline: true },
        { name: "Status", value: challengeStatus(summary), inline: true },
      ],
      sections: dataset ? [{ heading: `The data: ${dataset.id}`, text: dataset.description }] : [],
      choices: [
        {
          id: `/submit ${found.id}`,
          label: "Submit a query",
          style: "primary",
          input: { title: found.title, label: `Your ${language}`, multiline: true },
        },
      ],
      footer: `Submit ${language} with /submit ${found.id} <query>${found.ordered ? " · row order counts" : ""}`,
    };
  },
} satisfies Command<typeof input>;
