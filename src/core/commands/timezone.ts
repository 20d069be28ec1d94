import { z } from "zod";
import { success } from "../messages.js";
import { localDate } from "../rules/time.js";
import { formatInZone } from "../rules/zoned.js";
import { viewLearner } from "../services/learner.js";
import { argHints } from "./args.js";
import type { Command } from "./command.js";
import { zoneOrProblem } from "./schedule-shared.js";

const input = z.object({
  zone: z
    .string()
    .trim()
    .min(1)
    .max(64, "is too long")
    .optional()
    .describe("an IANA zone like Europe/Berlin, or cohort to follow the cohort's")
    .register(argHints, { suggest: "timezone" }),
});

const followCohort = new Set(["cohort", "default", "reset", "none"]);

export const timezone = {
  name: "timezone",
  summary: "Your own time zone, which decides where your streak days begin and end",
  audience: "everyone",
  group: "progress",
  input,
  replies: "private",
  examples: ["/timezone Asia/Tokyo", "/timezone", "/timezone cohort"],
  async run({ zone }, ctx) {
    const learner = await viewLearner(ctx);
    const cohortZone = learner.cohort?.timezone ?? ctx.settings.defaultTimezone;
    const now = ctx.clock.now();
    const own = learner.identity?.member.timezone ?? null;
    if (zone === undefined) {
      const current = own ?? cohortZone;
      return {
        text: `Your days follow **${current}**${own ? "" : " (your cohort's zone)"}: it is ${formatInZone(now, current)} there.`,
        footer: "Set your own with /timezone <zone>, e.g. /timezone America/Chicago",
      };
    }
    if (followCohort.has(zone.toLowerCase())) {
      if (learner.identity) await ctx.store.identities.setTimezone(learner.identity.member.id, null);
      return success(`Your days follow your cohort's zone again: **${cohortZone}**.`);
    }
    const resolved = zoneOrProblem(zone, "/timezone Europe/Berlin");
    if (!resolved.ok) return resolved.error;
    const { member } = learner.identity ?? (await ctx.store.identities.ensure(ctx.actor, now));
    await ctx.store.identities.setTimezone(member.id, resolved.value);
    const before = own ?? cohortZone;
    const shift =
      localDate(now, before) === localDate(now, resolved.value)
        ? ""
        : " Today's date differs there; days already counted stay as they were.";
    return success(
      `Your days now follow **${resolved.value}** (${formatInZone(now, resolved.value)} there).${shift}`,
      { footer: "Back to the cohort's zone: /timezone cohort" },
    );
  },
} satisfies Command<typeof input>;
