import { z } from "zod";
import type { AttemptSummary } from "../ports/answers.js";
import type { Command } from "./command.js";
import { weekArg } from "./week-arg.js";

const input = z.object({
  week: weekArg("only this week's challenges"),
});

export const engineNames = {
  sqlite: "SQLite",
  postgres: "PostgreSQL",
  mongodb: "MongoDB",
  redis: "Redis",
} as const;

export function challengeStatus(summary: AttemptSummary | undefined): string {
  if (!summary || summary.attempts === 0) return "not tried";
  if (summary.solved) return "✓ solved";
  return `tried ${summary.attempts}×`;
}

export const challengeList = {
  name: "challenge list",
  summary: "Hands-on challenges graded by running your query: SQLite, PostgreSQL, MongoDB, Redis",
  audience: "everyone",
  group: "practice",
  input,
  examples: ["/challenge list", "/challenge list 2"],
  async run({ week }, ctx) {
    const challenges = ctx.curriculum.bank.challenges
      .filter((c) => week === undefined || c.week === week)
      .slice()
      .sort((a, b) => a.week - b.week || a.id.localeCompare(b.id));
    if (challenges.length === 0) {
      return {
        text:
          week === undefined
            ? "There are no challenges yet."
            : `No challenges for week ${week} yet. /challenge list shows them all.`,
      };
    }
    const identity = await ctx.store.identities.find(ctx.actor);
    const history = identity
      ? await ctx.store.answers.history(identity.member.id)
      : new Map<string, AttemptSummary>();
    return {
      title: `Challenges${week === undefined ? "" : ` · week ${week}`} (${challenges.length})`,
      fields: challenges.map((c) => ({
        name: `${c.title} · \`${c.id}\``,
        value: `${engineNames[c.engine]} · week ${c.week} · ${c.difficulty} · ${challengeStatus(history.get(c.id))}`,
      })),
      footer: "Open one with /challenge <id>, then answer with /submit <id> <query>",
    };
  },
} satisfies Command<typeof input>;
