import { z } from "zod";
import type { Field, Message } from "../messages.js";
import { problem } from "../messages.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { cohortProgress, describeProgress } from "../schedules/timeline.js";
import { viewLearner } from "../services/learner.js";
import { argHints } from "./args.js";
import { cohortName } from "./cohort-shared.js";
import type { Command } from "./command.js";

const input = z.object({
  name: cohortName
    .optional()
    .describe("a cohort of this server (default: yours)")
    .register(argHints, { suggest: "cohort" }),
});

export const cohortInfo = {
  name: "cohort info",
  summary: "A cohort's start, time zone, current week, members and tracks",
  audience: "everyone",
  group: "cohorts",
  input,
  examples: ["/cohort info", "/cohort info spring"],
  async run({ name }, ctx) {
    const learner = await viewLearner(ctx);
    let cohort = learner.cohort;
    if (name) {
      const space = learner.identity?.space ?? (await ctx.store.identities.findSpace(ctx.actor));
      cohort = space && (await ctx.store.cohorts.findByName(space.id, name));
      if (!cohort)
        return problem(`There is no cohort called "${name}" here.`, "See yours with /cohort info.");
    }
    if (!cohort) {
      return problem(
        "You're not in a cohort yet.",
        "Join one with /cohort join <name>; a moderator creates one with /cohort create <name>.",
      );
    }
    const summary = await ctx.store.cohorts.summary(cohort.id);
    const progress = cohort.id === learner.cohort?.id && learner.progress ? learner.progress : undefined;
    const state = progress ?? (await cohortProgress(ctx.store, cohort, ctx.clock.now()));
    const trackName = (id: string) => ctx.curriculum.tracks.find((t) => t.id === id)?.name ?? id;
    const fields: Field[] = [
      { name: "Starts", value: cohort.startDate, inline: true },
      { name: "Time zone", value: cohort.timezone, inline: true },
      {
        name: "Status",
        value:
          state.state === "finished"
            ? "complete"
            : state.state === "running" && state.paused
              ? "paused"
              : "active",
        inline: true,
      },
      { name: "Members", value: String(summary.memberCount), inline: true },
      {
        name: "Tracks",
        value: summary.tracks.length
          ? summary.tracks.map((t) => `${trackName(t.trackId)}: ${t.members}`).join("\n")
          : "nobody has joined a track yet",
      },
    ];
    const message: Message = {
      title: `Cohort ${cohort.name}`,
      text: `The cohort ${describeProgress(state, cohort.timezone)}.`,
      fields,
      progress: {
        current: state.state === "running" ? state.week : state.state === "finished" ? TOTAL_WEEKS : 0,
        total: TOTAL_WEEKS,
        label: `${cohort.name} ${describeProgress(state, cohort.timezone)}`,
      },
    };
    if (cohort.id !== learner.cohort?.id) message.footer = `Join it with /cohort join ${cohort.name}`;
    return message;
  },
} satisfies Command<typeof input>;
