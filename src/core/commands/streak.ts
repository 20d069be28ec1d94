import { z } from "zod";
import { type Message, problem } from "../messages.js";
import { picture, pictureParts } from "../pictures/draw.js";
import { activityLevel, heatmapRange, heatmapSvg } from "../pictures/heatmap.js";
import type { Identity, Member } from "../ports/identity.js";
import { type StreakUnit, type StreakView, streakAsOf } from "../rules/streak.js";
import { addDays } from "../rules/time.js";
import { learnerClock } from "../services/record-answer.js";
import { argHints } from "./args.js";
import type { Command, CommandContext } from "./command.js";

const input = z.object({
  user: z
    .string()
    .trim()
    .min(1)
    .max(100, "is too long")
    .optional()
    .describe("whose streak (a name or mention; default: yours)")
    .register(argHints, { refers: "user" }),
});

const HEATMAP_WEEKS = 12;
const shades = ["·", "░", "▒", "▓", "█"];
const shadeOf = (n: number) => shades[activityLevel(n)] ?? " ";

/** "<@123>", "@ana" and "ana" all name ana. */
function cleanMention(text: string): string {
  return text.replace(/^<@!?(\w+)(?:\|[^>]*)?>$/, "$1").replace(/^@/, "");
}

function describe(view: StreakView, unit: StreakUnit): string {
  const u = (n: number) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  switch (view.status) {
    case "none":
      return "No activity yet: answer a /quiz question or /submit a challenge to start a streak.";
    case "active":
      return `Active ${unit === "day" ? "today" : "this week"}: the streak is safe.`;
    case "at-risk":
      return `Not active ${unit === "day" ? "today" : "this week"} yet: one answer keeps the streak going.`;
    case "frozen":
      return `Missed ${u(view.freezesNeeded)}; ${view.freezesNeeded === 1 ? "a freeze covers it" : "freezes cover them"} if you're active ${unit === "day" ? "today" : "this week"}.`;
    case "broken":
      return `The streak ended${view.brokeOn ? ` on ${view.brokeOn}` : ""}. A new one starts with your next answer.`;
  }
}

/** A text heat-map: one column per week, Monday on top, for when the picture can't be shown. */
function textHeatmap(counts: ReadonlyMap<string, number>, first: string, last: string): string {
  const rows = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].map((label, weekday) => {
    let line = `${label} `;
    for (let week = 0; week < HEATMAP_WEEKS; week++) {
      const day = addDays(first, week * 7 + weekday);
      line += day > last ? " " : shadeOf(counts.get(day) ?? 0);
    }
    return line.trimEnd();
  });
  return ["```", ...rows, "```"].join("\n");
}

async function target(ctx: CommandContext, user: string | undefined): Promise<Member | Message | undefined> {
  const space = await ctx.store.identities.findSpace(ctx.actor);
  if (user === undefined) return (await ctx.store.identities.find(ctx.actor))?.member;
  const query = cleanMention(user);
  const found = space ? await ctx.store.identities.lookup(space.id, query) : [];
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    return problem(`More than one learner here is called "${query}".`, "Use a mention to pick one.");
  }
  return problem(`I don't know a learner called "${query}" here.`, "Check the name, or use a mention.");
}

export const streak = {
  name: "streak",
  summary: "Current and longest streak, freezes, and a heat-map of the last 12 weeks",
  audience: "everyone",
  group: "progress",
  input,
  replies: "private",
  examples: ["/streak", "/streak @ana"],
  async run({ user }, ctx) {
    const found = await target(ctx, user);
    if (found && !("id" in found)) return found;
    const space = await ctx.store.identities.findSpace(ctx.actor);
    if (!found || !space) {
      return {
        text: "No streak yet: answer a /quiz question or /submit a challenge to start one.",
      };
    }
    const member = found;
    const cohort = member.cohortId === null ? undefined : await ctx.store.cohorts.get(member.cohortId);
    const identity: Identity = { space, member };
    const now = ctx.clock.now();
    const { zone, day: today } = await learnerClock(ctx, identity, cohort, now);
    const unit = cohort?.streakUnit ?? "day";
    const view = streakAsOf(await ctx.store.progress.streak(member.id, unit), today, unit);
    const { first, last } = heatmapRange(today, HEATMAP_WEEKS);
    const counts = await ctx.store.progress.activity(member.id, first, last);
    const activeDays = [...counts.values()].filter((n) => n > 0).length;
    const self = member.externalId === ctx.actor.userExternalId;
    const who = self ? "Your" : `${member.displayName}'s`;
    const u = (n: number) => `${n} ${unit}${n === 1 ? "" : "s"}`;
    const title = `${who} streak · ${u(view.current)}`;
    const drawn = await picture(
      ctx,
      () =>
        heatmapSvg({
          title: `${member.displayName} · ${u(view.current)} streak`,
          subtitle: `Last ${HEATMAP_WEEKS} weeks · ${zone}`,
          endDate: today,
          weeks: HEATMAP_WEEKS,
          counts,
        }),
      `Activity of ${member.displayName} over the last ${HEATMAP_WEEKS} weeks: active on ${activeDays} days; current streak ${u(view.current)}, longest ${u(view.longest)}.`,
      `streak-${member.id}.png`,
    );
    return {
      title,
      text: [describe(view, unit), ...(drawn.note ? [drawn.note] : [])].join("\n\n"),
      fields: [
        { name: "Current", value: u(view.current), inline: true },
        { name: "Longest", value: u(view.longest), inline: true },
        { name: "Freezes", value: `${view.freezes} of 2`, inline: true },
      ],
      sections: [
        {
          heading: `Last ${HEATMAP_WEEKS} weeks · active on ${activeDays} ${activeDays === 1 ? "day" : "days"}`,
          text: textHeatmap(counts, first, last),
        },
      ],
      ...pictureParts(drawn),
      footer: `A freeze is earned every 7 ${unit}s in a row (2 at most) and covers a missed ${unit}. Days follow ${zone}${self ? " (change with /timezone)" : ""}.`,
    };
  },
} satisfies Command<typeof input>;
