import { z } from "zod";
import { problem, success } from "../messages.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

const input = z.object({});

export const schedulePostNow = {
  name: "schedule post-now",
  summary: "Post this week's module to the cohort channel now (the week doesn't move)",
  audience: "moderator",
  group: "schedules",
  input,
  replies: "private",
  examples: ["/schedule post-now"],
  async run(_input, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort, progress } = found.value;
    if (progress.state === "finished")
      return problem(`${cohort.name} has finished the roadmap.`, "Share any week with /week <n>.");
    if (!cohort.channelExternalId) {
      return problem(
        `${cohort.name} has no channel for posts yet.`,
        "Run /schedule channel in the channel it should use.",
      );
    }
    const week = progress.state === "running" ? progress.week : 1;
    const post = await ctx.scheduler.postNow(cohort, ctx.actor.platform, week);
    if (!post) return problem("That post is already on its way.", "Try again in a moment.");
    return success(`Posting week ${week}'s module to #${cohort.channelExternalId} now.`);
  },
} satisfies Command<typeof input>;
