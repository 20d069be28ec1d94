import { z } from "zod";
import { problem, success } from "../messages.js";
import { cohortProgress, describeProgress } from "../schedules/timeline.js";
import { argHints } from "./args.js";
import { cohortName } from "./cohort-shared.js";
import type { Command } from "./command.js";

const input = z.object({
  name: cohortName.describe("the cohort to join").register(argHints, { suggest: "cohort" }),
});

export const cohortJoin = {
  name: "cohort join",
  summary: "Join a cohort of this server (you follow one at a time)",
  audience: "everyone",
  group: "cohorts",
  input,
  examples: ["/cohort join spring"],
  async run({ name }, ctx) {
    const space = await ctx.store.identities.findSpace(ctx.actor);
    const cohort = space && (await ctx.store.cohorts.findByName(space.id, name));
    if (!space || !cohort) {
      const here = space ? await ctx.store.cohorts.list(space.id) : [];
      return problem(
        `There is no cohort called "${name}" here.`,
        here.length
          ? `Cohorts: ${here.map((c) => c.name).join(", ")} — e.g. /cohort join ${here[0]?.name}`
          : "There are no cohorts yet: a moderator creates one with /cohort create <name>.",
      );
    }
    const existing = await ctx.store.identities.find(ctx.actor);
    if (existing?.member.cohortId === cohort.id) {
      return { text: `You're already in **${cohort.name}**. See it with /cohort info.` };
    }
    const { member } = existing ?? (await ctx.store.identities.ensure(ctx.actor, ctx.clock.now()));
    await ctx.store.cohorts.join(member.id, cohort.id);
    const progress = await cohortProgress(ctx.store, cohort, ctx.clock.now());
    return success(
      `Welcome to **${cohort.name}**! The cohort ${describeProgress(progress, cohort.timezone)}.`,
      {
        footer: "See the plan with /roadmap, and pick a role track with /track list",
      },
    );
  },
} satisfies Command<typeof input>;
