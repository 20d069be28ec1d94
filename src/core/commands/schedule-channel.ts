import { z } from "zod";
import { type Message, problem, success } from "../messages.js";
import type { ChannelCheck } from "../ports/channels.js";
import { argHints } from "./args.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

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

const rightChannel =
  "Run /schedule channel inside the channel the cohort should use, or name one of this space's channels: /schedule channel #study-group";

/** The reply to a channel the platform says cannot take the cohort's posts. */
function refusal(id: string, check: Exclude<ChannelCheck, { ok: true }>): Message {
  switch (check.reason) {
    case "elsewhere":
      return problem(`"${id}" is a channel of another server or workspace, not this one.`, rightChannel);
    case "not-a-channel":
      return problem(
        `"${id}" is not a channel: posts go to a channel, not to a person or a direct message.`,
        rightChannel,
      );
    case "unknown":
      return problem(`I can't find a channel "${id}" here that I may see.`, rightChannel);
    case "unavailable":
      return problem(
        `I couldn't check that channel just now (${check.detail}), so nothing changed.`,
        "Try again in a minute.",
      );
  }
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
    // The platform, not the id's shape, says whether the channel is this space's (another server's is refused).
    const check = ctx.channels
      ? await ctx.channels.check({
          platform: ctx.actor.platform,
          spaceExternalId: ctx.actor.spaceExternalId,
          channelExternalId: id,
        })
      : ({ ok: true, channelExternalId: id } as const);
    if (!check.ok) return refusal(id, check);
    await ctx.store.cohorts.setChannel(cohort.id, check.channelExternalId);
    const paused = found.value.schedules.some((s) => s.pausedAt !== null);
    return success(
      `Posts for **${cohort.name}** go to #${id} from now on.${paused ? " The schedule is paused: /schedule resume starts it." : ""}`,
    );
  },
} satisfies Command<typeof input>;
