import { z } from "zod";
import { problem } from "../messages.js";
import { actionFor, formFor } from "./action.js";
import { challengeStatus, engineNames } from "./challenge-list.js";
import type { Command } from "./command.js";
import { challengeIdArg } from "./practice-args.js";
import { queryLanguage, submit } from "./submit.js";

const input = z.object({
  id: challengeIdArg("the challenge id, from /challenge list"),
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
    const language = queryLanguage(found.engine);
    const submitting = actionFor(submit, { id: found.id });
    const form = formFor(submit, submitting, ctx);
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
          label: "Submit a query",
          style: "primary",
          action: submitting,
          ...(form ? { input: form } : {}),
        },
      ],
      footer: `Submit ${language} with /submit ${found.id} <query>${found.ordered ? " · row order counts" : ""}`,
    };
  },
} satisfies Command<typeof input>;
