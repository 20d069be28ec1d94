import { z } from "zod";
import { problem, success } from "../messages.js";
import { argHints } from "./args.js";
import type { Command } from "./command.js";
import { callerCohort } from "./schedule-shared.js";

const input = z.object({
  channel: z
    .string()
    .trim()
    .max(100, "is too long")
    .optional()
    .describe("the channel for posts (default: the one you are in)")
    .register(argHints, { refers: "channel" }),
});

/** "<#123>", "#general" or "123" as the platform's channel id. */
function channelId(text: string): string {
  return text.replace(/^<#([^>|]+)(?:\|[^>]*)?>$/, "$1").replace(/^#/, "");
}

export const scheduleChannel = {
  name: "schedule channel",
  summary: "Where the cohort's posts go: this channel, or the one you name",
  audience: "moderator",
  group: "schedules",
  input,
  examples: ["/schedule channel", "/schedule channel #study-group"],
  async run({ channel }, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort } = found.value;
    const id = channel ? channelId(channel) : ctx.actor.channelExternalId;
    if (!id)
      return problem(
        "I can't tell which channel you mean.",
        "Run /schedule channel inside the channel, or name it: /schedule channel #study-group",
      );
    await ctx.store.cohorts.setChannel(cohort.id, id);
    const paused = found.value.schedules.some((s) => s.pausedAt !== null);
    return success(
      `Posts for **${cohort.name}** go to #${id} from now on.${paused ? " The schedule is paused: /schedule resume starts it." : ""}`,
    );
  },
} satisfies Command<typeof input>;
