import { z } from "zod";
import { problem, success } from "../messages.js";
import { localDate, parseCalendarDate, resolveTimeZone } from "../rules/time.js";
import { formatInZone } from "../rules/zoned.js";
import { defaultModuleSchedule } from "../schedules/timeline.js";
import { argHints } from "./args.js";
import { cohortName } from "./cohort-shared.js";
import type { Command, CommandContext } from "./command.js";

const input = z.object({
  name: cohortName.describe("cohort name: letters, digits, - or _ (e.g. spring-2026)"),
  start: z
    .string()
    .refine((text) => parseCalendarDate(text) !== undefined, "must be a date like 2026-01-05")
    .optional()
    .describe("first day of week 1, YYYY-MM-DD (default: today)"),
  tz: z
    .string()
    .max(64, "is too long")
    .optional()
    .describe("IANA time zone, e.g. Europe/Berlin")
    .register(argHints, { suggest: "timezone" }),
});

/**
 * The channel the command was run in, if it may take the cohort's posts; a direct message or a
 * channel the platform refuses leaves the cohort without one. A platform that cannot be asked just
 * now is not a refusal: every post checks again.
 */
async function postsChannel(ctx: CommandContext): Promise<string | null> {
  const here = ctx.actor.channelExternalId;
  if (!here) return null;
  if (!ctx.channels) return here;
  const check = await ctx.channels.check({
    platform: ctx.actor.platform,
    spaceExternalId: ctx.actor.spaceExternalId,
    channelExternalId: here,
  });
  if (check.ok) return check.channelExternalId;
  return check.reason === "unavailable" ? here : null;
}

export const cohortCreate = {
  name: "cohort create",
  summary: "Create a cohort that follows the roadmap from a start date",
  audience: "moderator",
  group: "cohorts",
  input,
  examples: ["/cohort create spring", "/cohort create spring-2026 2026-03-02 Europe/Berlin"],
  async run({ name, start, tz }, ctx) {
    const zone = resolveTimeZone(tz ?? ctx.settings.defaultTimezone);
    if (!zone.ok) {
      return problem(
        `"${tz}" is not a time zone I know.`,
        `Closest: ${zone.error.suggestions.join(", ")} — e.g. /cohort create ${name} ${start ?? "2026-03-02"} Europe/Berlin`,
      );
    }
    const now = ctx.clock.now();
    const startDate = start ?? localDate(now, zone.value);

    const space = await ctx.store.identities.findSpace(ctx.actor);
    if (space && (await ctx.store.cohorts.findByName(space.id, name))) {
      return problem(
        `A cohort called "${name}" already exists here.`,
        `Join it with /cohort join ${name}, or pick another name.`,
      );
    }
    const channel = await postsChannel(ctx);
    const identity = await ctx.store.identities.ensure(ctx.actor, now);
    const created = await ctx.store.cohorts.create({
      spaceId: identity.space.id,
      name,
      startDate,
      timezone: zone.value,
      channelExternalId: channel,
      createdBy: identity.member.id,
      at: now,
      moduleSchedule: defaultModuleSchedule(startDate, zone.value, now),
    });
    if (!created.ok) {
      return problem(`A cohort called "${name}" already exists here.`, `Join it with /cohort join ${name}.`);
    }
    const cohort = created.value;
    ctx.scheduler.wake();
    const firstPost = defaultModuleSchedule(startDate, zone.value).nextFireAt;
    const when = firstPost ? formatInZone(firstPost, cohort.timezone) : cohort.startDate;
    const where = channel
      ? "each week's module posts here at that time"
      : "each week's module posts at that time once it has a channel: run /schedule channel in the channel it should use";
    return success(
      `Cohort **${cohort.name}** created: week 1 starts ${when}${cohort.timezone === "UTC" ? "" : ` (${cohort.timezone})`}, and ${where}. You're in it.`,
      { footer: `Learners join with /cohort join ${cohort.name} · change the timing with /schedule set` },
    );
  },
} satisfies Command<typeof input>;
